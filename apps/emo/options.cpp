#include "options.hpp"

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

}  // namespace emo::cli
