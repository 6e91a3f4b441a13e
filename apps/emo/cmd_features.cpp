// emo features: the 88 eGeMAPS v02 functionals of audio files as CSV, one row per file (or speech segment).
#include "commands.hpp"
#include "io/csv.hpp"

#include <emo/emo.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct FeaturesArgs {
    std::vector<std::string> files;
    bool lld = false;
    AudioOptions options;
};

std::string number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.7g", v);
    return buffer;
}

void run_features(const FeaturesArgs& args) {
    const auto& names = args.lld ? egemaps_lld_names() : egemaps_names();
    std::string header = "file";
    if (args.options.segments) header += ",start,end";
    if (args.lld) header += ",frameTime";
    for (const auto& n : names) header += ',' + n;
    std::cout << header << '\n';
    const auto results = args.lld ? egemaps_lld(args.files, args.options) : egemaps_features(args.files, args.options);
    std::size_t failed = 0;
    for (const auto& f : results) {
        std::string prefix;
        io::append_csv_field(prefix, f.file);
        if (args.options.segments)
            prefix += ',' + (f.start ? number(*f.start) : "") + ',' + (f.end ? number(*f.end) : "");
        if (!f.warning.empty()) std::cerr << "emo: warning: " << f.warning << '\n';
        if (!f.error.empty()) {
            // The row stays, with empty cells, so that every input is accounted for in the output.
            std::cerr << "emo: " << f.error << '\n';
            ++failed;
            std::cout << prefix << std::string(names.size() + (args.lld ? 1 : 0), ',') << '\n';
            continue;
        }
        // Functionals: one row. LLDs: one row per frame, frameTime in seconds from the start of the file.
        const std::size_t rows = args.lld ? f.values.size() / names.size() : 1;
        for (std::size_t r = 0; r < rows; ++r) {
            std::string row = prefix;
            if (args.lld) row += ',' + number(f.start.value_or(0.0) + 0.01 * static_cast<double>(r));
            for (std::size_t c = 0; c < names.size(); ++c) row += ',' + number(f.values[r * names.size() + c]);
            std::cout << row << '\n';
        }
    }
    std::cout.flush();
    if (failed) throw Error(std::to_string(failed) + " file(s) could not be analysed (their rows are empty)");
}

}  // namespace

void add_features_command(CLI::App& app) {
    auto args = std::make_shared<FeaturesArgs>();
    auto* cmd = app.add_subcommand("features",
                                   "The 88 eGeMAPS v02 acoustic functionals of audio files as CSV (openSMILE's column "
                                   "names), one row per file in argument order");
    cmd->add_option("files", args->files, "audio files (WAV, FLAC, OGG, MP3, ...)")->required();
    cmd->add_flag("--lld", args->lld,
                  "the 25 frame-level descriptors instead, one row per 10 ms frame with its frameTime in seconds");
    cmd->add_flag("--segments", args->options.segments,
                  "one row per speech segment (energy-based detection), with start and end in seconds; without it, "
                  "one row per file of any length (long files are streamed in bounded memory)");
    cmd->add_option("--threads", args->options.threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->callback([args] { run_features(*args); });
}

}  // namespace emo::cli
