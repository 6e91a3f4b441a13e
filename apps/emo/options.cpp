#include "options.hpp"

#include <iostream>

namespace emo::cli {

void InputOptions::add_to(CLI::App& cmd) {
    cmd.add_option("--format", format,
                   "input format: auto (detect from the header), csv, jsonl, json, meld, emorynlp, dailydialog, "
                   "reccon")
        ->capture_default_str();
    cmd.add_option("--on-error", on_error,
                   "fail: stop at the first bad record; skip: write it with an 'error' field and go on")
        ->check(CLI::IsMember({"fail", "skip"}))
        ->capture_default_str();
}

ReadOptions InputOptions::read_options() const {
    ReadOptions r;
    r.format = parse_input_format(format);
    r.on_error = on_error == "skip" ? ErrorPolicy::skip : ErrorPolicy::fail;
    return r;
}

void add_model_option(CLI::App& cmd, std::string& model_dir) {
    cmd.add_option("--model", model_dir, "model directory (default: the built-in model, or $EMO_MODEL_DIR)");
}

std::vector<TextRecord> gather_texts(const std::vector<std::string>& arguments, const std::string& input,
                                     const TextReadOptions& read) {
    if (arguments.empty() == input.empty())
        throw Error("give the texts as arguments ('-' reads lines from standard input) or --input FILE, not both");
    if (!input.empty()) return read_texts(input, read);
    if (arguments.size() == 1 && arguments[0] == "-") {
        TextReadOptions lines = read;
        if (lines.format == TextFormat::auto_detect) lines.format = TextFormat::lines;
        return read_texts(std::cin, "<stdin>", lines);
    }
    std::vector<TextRecord> records;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        TextRecord r;
        r.text = arguments[i];
        r.source = "argument " + std::to_string(i + 1);
        records.push_back(std::move(r));
    }
    return records;
}

}  // namespace emo::cli
