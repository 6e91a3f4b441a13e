// emo dask: the Python package's Dask helpers (python/emo/dask.py) for those who do not write Python. The work is
// Python's (Dask schedules it); this command only finds the interpreter that has the package and hands over.
#include "commands.hpp"

#include <emo/emo.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace emo::cli {

namespace {

// $EMO_PYTHON, else the virtual environment `make python` makes beside this binary (build/venv).
std::string python_with_emo() {
    if (const char* env = std::getenv("EMO_PYTHON"); env && *env) return env;
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto venv = self.parent_path() / "venv" / "bin" / "python";
        if (std::filesystem::exists(venv, ec)) return venv.string();
    }
    throw Error(
        "emo dask needs emo's Python package: build it with `make python` (into build/venv), or set EMO_PYTHON to a "
        "Python that can import emo and dask");
}

}  // namespace

void add_dask_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "dask",
        "Run analyses on a Dask cluster (python -m emo.dask): emo dask conv --scheduler ADDRESS INPUTS... --out DIR; "
        "`emo dask conv --help` lists the options");
    cmd->prefix_command();
    cmd->callback([cmd] {
        const std::string python = python_with_emo();
        std::vector<std::string> args{python, "-m", "emo.dask"};
        for (const auto& a : cmd->remaining()) args.push_back(a);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(python.c_str(), argv.data());
        throw Error(python + ": cannot run it: " + std::strerror(errno));
    });
}

}  // namespace emo::cli
