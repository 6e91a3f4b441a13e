// Runs the built `emo` binary for the end-to-end CLI tests, capturing its exit status, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace emo_test {

namespace fs = std::filesystem;

struct CliRun {
    int code = -1;
    std::string out, err;
    std::vector<std::string> out_lines() const { return lines(out); }
    std::vector<std::string> err_lines() const { return lines(err); }
    static std::vector<std::string> lines(const std::string& s) {
        std::vector<std::string> v;
        std::istringstream in(s);
        for (std::string line; std::getline(in, line);) v.push_back(line);
        return v;
    }
};

inline std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

// Runs `emo args...` with stdout and stderr captured in files under `dir` (and stdin from `in`, when given).
inline CliRun run_emo(const fs::path& dir, const std::vector<std::string>& args, const std::string& in = "") {
    static int counter = 0;
    const std::string id = std::to_string(++counter);
    const fs::path out = dir / ("stdout" + id), err = dir / ("stderr" + id);
    std::string cmd = quote(EMO_CLI_PATH);
    // Appending piece by piece (not " " + ...) also keeps GCC 12's -Wrestrict false alarm away.
    for (const auto& a : args) cmd.append(" ").append(quote(a));
    cmd.append(" >").append(quote(out.string())).append(" 2>").append(quote(err.string()));
    if (!in.empty()) cmd.append(" <").append(quote(in));
    else cmd += " </dev/null";
    CliRun r;
    const int status = std::system(cmd.c_str());
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    r.out = slurp(out);
    r.err = slurp(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

}  // namespace emo_test
