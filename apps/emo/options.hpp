// CLI options that several subcommands share, so they read and validate the same way everywhere.
#pragma once

#include "io/checkpoint_hub.hpp"

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

// --on-error fail|skip (default fail); `help` says what each does for this command.
void add_on_error_option(CLI::App& cmd, std::string& on_error, const std::string& help);
// The library's policy for an --on-error value ("skip" or "fail").
ErrorPolicy error_policy(const std::string& on_error);

// --model, defaulting to the built-in model.
void add_model_option(CLI::App& cmd, std::string& model_dir);
// Model arguments: "hf:ORG/NAME[@REVISION]" from the checkpoint cache, else a directory (io/checkpoint_hub).
using io::resolve_model;
// --quantize int8|bf16 and --threads N, for a Hugging Face checkpoint given as --model.
void add_checkpoint_options(CLI::App& cmd, CheckpointOptions& options);
// --encoder DIR|hf:ORG/NAME, --pooling and --encoder-scale of emo train text and emo train conv.
void add_encoder_feature_options(CLI::App& cmd, EncoderFeatureOptions& options);
// --context N of emo conv and emo eval conv (ConvOptions::checkpoint_context).
void add_checkpoint_context_option(CLI::App& cmd, std::size_t& context);

// Texts taken as `emo text` takes them: arguments ("-" alone: one text per line of standard input) or --input FILE,
// with --format and --on-error.
struct TextInputOptions {
    std::vector<std::string> texts;
    std::string input;
    std::string format = "auto";
    std::string on_error = "fail";

    // Adds the texts argument, --input, --format and --on-error to `cmd`; `verb` ("analyse") says what is done to them.
    void add_to(CLI::App& cmd, const std::string& verb);
    // The library's read options; throws emo::Error for an unknown format.
    TextReadOptions read_options() const;
    // The records, from --input or from the arguments; throws emo::Error when both or neither are given.
    std::vector<TextRecord> records() const;
};

// The failed records of a batch: with --on-error fail the first one ends the run (the output so far flushed first),
// with skip each is counted, and report() sums them up on standard error.
class FailedRecords {
public:
    explicit FailedRecords(ErrorPolicy policy) : policy_(policy) {}
    // Called for every record before it is written; `error` is empty when the record succeeded.
    void check(const std::string& error);
    // "emo: N of `total` `what` (see their 'error' field)", when any failed; `what`: "texts could not be analysed".
    void report(std::size_t total, const std::string& what) const;

private:
    ErrorPolicy policy_;
    std::size_t failed_ = 0;
};

}  // namespace emo::cli
