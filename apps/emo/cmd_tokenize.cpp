// emo tokenize: a checkpoint tokenizer's ids and tokens for each text, to debug it and to compare it with others.
#include "commands.hpp"
#include "options.hpp"
#include "text/wordpiece_tokenizer.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct TokenizeArgs {
    std::vector<std::string> texts;
    std::string input, model;
    std::string format = "auto", on_error = "fail";
    bool no_special_tokens = false;
};

void run_tokenize(const TokenizeArgs& args) {
    TextReadOptions read;
    read.format = parse_text_format(args.format);
    read.on_error = args.on_error == "skip" ? ErrorPolicy::skip : ErrorPolicy::fail;
    const auto records = gather_texts(args.texts, args.input, read);
    // A checkpoint directory (Hugging Face layout) or its tokenizer.json itself.
    if (!std::filesystem::exists(args.model))
        throw Error(args.model + ": no such checkpoint directory or tokenizer.json");
    const auto tokenizer = std::filesystem::is_directory(args.model)
                               ? text::WordPieceTokenizer::load_directory(args.model)
                               : text::WordPieceTokenizer::load(args.model);
    std::size_t failed = 0;
    for (const auto& r : records) {
        nlohmann::ordered_json line;
        if (!r.id.empty()) line["id"] = r.id;
        std::string error = r.error;
        if (error.empty()) {
            try {
                auto encoded = tokenizer.encode(r.text, !args.no_special_tokens);
                line["ids"] = std::move(encoded.ids);
                line["tokens"] = std::move(encoded.tokens);
            } catch (const Error& e) {
                error = r.source + ": " + e.what();
            }
        }
        if (!error.empty()) {
            if (read.on_error == ErrorPolicy::fail) {
                std::cout.flush();
                throw Error(error);
            }
            line["error"] = error;
            ++failed;
        }
        std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    std::cout.flush();
    if (failed)
        std::cerr << "emo: " << failed << " of " << records.size()
                  << " texts could not be tokenised (see their 'error' field)\n";
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
    auto args = std::make_shared<TokenizeArgs>();
    auto* cmd = app.add_subcommand("tokenize",
                                   "A checkpoint tokenizer's ids and tokens for each text (special tokens "
                                   "included), one JSON object per line; WordPiece (BERT family) so far");
    cmd->add_option("texts", args->texts, "texts to tokenise; '-' reads one text per line from standard input");
    cmd->add_option("--input", args->input,
                    "a file of texts: lines, CSV with a text column, or JSONL with a text "
                    "field (id passed through)");
    cmd->add_option("--model", args->model, "a checkpoint directory in Hugging Face layout, or its tokenizer.json")
        ->required();
    cmd->add_option("--format", args->format, "format of --input: auto (by extension), lines, csv, jsonl, goemotions")
        ->capture_default_str();
    cmd->add_option("--on-error", args->on_error,
                    "fail: stop at the first bad record; skip: write it with an 'error' field and go on")
        ->check(CLI::IsMember({"fail", "skip"}))
        ->capture_default_str();
    cmd->add_flag("--no-special-tokens", args->no_special_tokens, "leave out [CLS], [SEP] and the like");
    cmd->callback([args] { run_tokenize(*args); });
}

}  // namespace emo::cli
