// CLI options that several subcommands share, so they read and validate the same way everywhere.
#pragma once

#include <emo/emo.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace emo::cli {

struct InputOptions {
    std::string format = "auto";
    std::string on_error = "fail";

    // Adds --format and --on-error to `cmd`.
    void add_to(CLI::App& cmd);
    // The library's read options; throws emo::Error for an unknown format.
    ReadOptions read_options() const;
};

// --model, defaulting to the built-in model.
void add_model_option(CLI::App& cmd, std::string& model_dir);

// The texts of a command that takes them as `emo text` does: from --input `input` when given, else the arguments
// ("-" alone: one text per line of standard input). Throws emo::Error when both or neither are given.
std::vector<TextRecord> gather_texts(const std::vector<std::string>& arguments, const std::string& input,
                                     const TextReadOptions& read);

}  // namespace emo::cli
