// emo features: the 88 eGeMAPS v02 functionals of audio files as CSV, one row
// per file (or speech segment).
#include "commands.hpp"

#include <emo/emo.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct FeaturesArgs {
    std::vector<std::string> files;
    AudioOptions options;
};

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + '"';
}

std::string number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.7g", v);
    return buffer;
}

void run_features(const FeaturesArgs& args) {
    const auto& names = egemaps_names();
    std::string header = "file";
    if (args.options.segments) header += ",start,end";
    for (const auto& n : names) header += ',' + n;
    std::cout << header << '\n';
    std::size_t failed = 0;
    for (const auto& f : egemaps_features(args.files, args.options)) {
        std::string row = csv_field(f.file);
        if (args.options.segments) row += ',' + (f.start ? number(*f.start) : "") + ',' + (f.end ? number(*f.end) : "");
        if (!f.error.empty()) {
            // The row stays, with empty cells, so that every input is accounted for
            // in the output.
            std::cerr << "emo: " << f.error << '\n';
            ++failed;
            row += std::string(names.size(), ',');
        } else {
            for (double v : f.values) row += ',' + number(v);
        }
        std::cout << row << '\n';
    }
    std::cout.flush();
    if (failed) throw Error(std::to_string(failed) + " file(s) could not be analysed (their rows are empty)");
}

}  // namespace

void add_features_command(CLI::App& app) {
    auto args = std::make_shared<FeaturesArgs>();
    auto* cmd = app.add_subcommand("features",
                                   "The 88 eGeMAPS v02 acoustic functionals of audio files as CSV "
                                   "(openSMILE's column names), one row per file in argument order");
    cmd->add_option("files", args->files, "audio files (WAV, FLAC, OGG, MP3, ...)")->required();
    cmd->add_flag("--segments", args->options.segments,
                  "one row per speech segment (energy-based detection), with "
                  "start and end in seconds");
    cmd->add_option("--max-seconds", args->options.max_file_seconds,
                    "longest file analysed whole; longer ones need --segments")
        ->capture_default_str();
    cmd->add_option("--threads", args->options.threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->callback([args] { run_features(*args); });
}

}  // namespace emo::cli
