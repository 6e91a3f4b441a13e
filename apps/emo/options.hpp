// CLI options that several subcommands share, so they read and validate the same way everywhere.
#pragma once

#include <emo/emo.hpp>

#include <CLI/CLI.hpp>

#include <string>

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

}  // namespace emo::cli
