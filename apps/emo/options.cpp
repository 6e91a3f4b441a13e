#include "options.hpp"

#include <iostream>

namespace emo::cli {

void add_on_error_option(CLI::App& cmd, std::string& on_error, const std::string& help) {
    cmd.add_option("--on-error", on_error, help)->check(CLI::IsMember({"fail", "skip"}))->capture_default_str();
}

ErrorPolicy error_policy(const std::string& on_error) {
    return on_error == "skip" ? ErrorPolicy::skip : ErrorPolicy::fail;
}

void InputOptions::add_to(CLI::App& cmd) {
    cmd.add_option("--format", format,
                   "input format: auto (detect from the header), csv, jsonl, json, meld, emorynlp, dailydialog, "
                   "reccon")
        ->capture_default_str();
    add_on_error_option(cmd, on_error,
                        "fail: stop at the first bad record; skip: write it with an 'error' field and go on");
}

ReadOptions InputOptions::read_options() const {
    ReadOptions r;
    r.format = parse_input_format(format);
    r.on_error = error_policy(on_error);
    return r;
}

void add_model_option(CLI::App& cmd, std::string& model_dir) {
    cmd.add_option("--model", model_dir,
                   "model directory, or a Hugging Face sequence-classification checkpoint directory (default: the "
                   "built-in model, or $EMO_MODEL_DIR)");
}

void add_checkpoint_options(CLI::App& cmd, CheckpointOptions& options) {
    using Quantize = CheckpointOptions::Quantize;
    cmd.add_option_function<std::string>(
           "--quantize",
           [&options](const std::string& v) {
               options.quantize = v == "int8" ? Quantize::int8 : v == "bf16" ? Quantize::bf16 : Quantize::none;
           },
           "with a Hugging Face checkpoint as --model: int8 quantises its encoder's linear layers, bf16 runs them in "
           "bfloat16 (CPUs with AVX512-BF16 or AMX only); both are faster, and scores move slightly")
        ->check(CLI::IsMember({"none", "int8", "bf16"}))
        ->default_str("none");
    cmd.add_option("--threads", options.threads,
                   "with a Hugging Face checkpoint as --model: threads for its products (0: every core)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd.add_flag(
        "--occlusion", options.occlusion,
        "with a Hugging Face checkpoint as --model: evidence by occlusion (each word left out in turn; one more "
        "pass through the checkpoint per word, so off by default)");
}

void add_encoder_feature_options(CLI::App& cmd, EncoderFeatureOptions& options) {
    cmd.add_option_function<std::string>(
        "--encoder", [&options](const std::string& v) { options.dir = resolve_model(v); },
        "a Hugging Face encoder checkpoint (directory or hf:ORG/NAME from `emo models pull`) whose pooled sentence "
        "embedding joins the features; the model needs the checkpoint wherever it runs");
    cmd.add_option("--pooling", options.pooling,
                   "with --encoder: mean or first-token (default: the checkpoint's sentence-transformers pooling, "
                   "else mean)")
        ->check(CLI::IsMember({"mean", "first-token"}));
    cmd.add_option("--encoder-scale", options.scale,
                   "with --encoder: length of the embedding in a row (each n-gram block's is 1)")
        ->check(CLI::Range(0.01, 100.0))
        ->capture_default_str();
}

void add_checkpoint_context_option(CLI::App& cmd, std::size_t& context) {
    cmd.add_option("--context", context,
                   "with a Hugging Face checkpoint as --model: preceding utterances given with each utterance as a "
                   "second segment (0: each on its own)")
        ->capture_default_str();
}

void TextInputOptions::add_to(CLI::App& cmd, const std::string& verb) {
    cmd.add_option("texts", texts, "texts to " + verb + "; '-' reads one text per line from standard input");
    cmd.add_option("--input", input,
                   "a file of texts: lines, CSV with a text column, or JSONL with a text field (id passed through)");
    cmd.add_option("--format", format, "format of --input: auto (by extension), lines, csv, jsonl, goemotions")
        ->capture_default_str();
    add_on_error_option(cmd, on_error,
                        "fail: stop at the first bad record; skip: write it with an 'error' field and go on");
}

TextReadOptions TextInputOptions::read_options() const {
    TextReadOptions r;
    r.format = parse_text_format(format);
    r.on_error = error_policy(on_error);
    return r;
}

std::vector<TextRecord> TextInputOptions::records() const {
    const TextReadOptions read = read_options();
    if (texts.empty() == input.empty())
        throw Error("give the texts as arguments ('-' reads lines from standard input) or --input FILE, not both");
    if (!input.empty()) return read_texts(input, read);
    if (texts.size() == 1 && texts[0] == "-") {
        TextReadOptions lines = read;
        if (lines.format == TextFormat::auto_detect) lines.format = TextFormat::lines;
        return read_texts(std::cin, "<stdin>", lines);
    }
    std::vector<TextRecord> records;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        TextRecord r;
        r.text = texts[i];
        r.source = "argument " + std::to_string(i + 1);
        records.push_back(std::move(r));
    }
    return records;
}

void FailedRecords::check(const std::string& error) {
    if (error.empty()) return;
    if (policy_ == ErrorPolicy::fail) {
        std::cout.flush();
        throw Error(error);
    }
    ++failed_;
}

void FailedRecords::report(std::size_t total, const std::string& what) const {
    if (failed_) std::cerr << "emo: " << failed_ << " of " << total << " " << what << " (see their 'error' field)\n";
}

}  // namespace emo::cli
