// emo tokenize: a checkpoint tokenizer's ids and tokens for each text, to debug it and to compare it with others.
#include "commands.hpp"
#include "options.hpp"
#include "text/checkpoint_tokenizer.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct TokenizeArgs {
    TextInputOptions input;
    std::string model;
    bool no_special_tokens = false;
};

void run_tokenize(const TokenizeArgs& args) {
    const auto records = args.input.records();
    // A checkpoint directory (Hugging Face layout) or its tokenizer.json itself.
    if (!std::filesystem::exists(args.model))
        throw Error(args.model + ": no such checkpoint directory or tokenizer.json");
    const auto tokenizer = text::load_checkpoint_tokenizer(args.model);
    FailedRecords failed(args.input.read_options().on_error);
    for (const auto& r : records) {
        nlohmann::ordered_json line;
        if (!r.id.empty()) line["id"] = r.id;
        std::string error = r.error;
        if (error.empty()) {
            try {
                auto encoded = tokenizer->encode(r.text, !args.no_special_tokens);
                line["ids"] = std::move(encoded.ids);
                line["tokens"] = std::move(encoded.tokens);
            } catch (const Error& e) {
                error = r.source + ": " + e.what();
            }
        }
        failed.check(error);
        if (!error.empty()) line["error"] = error;
        std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    std::cout.flush();
    failed.report(records.size(), "texts could not be tokenised");
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
    auto args = std::make_shared<TokenizeArgs>();
    auto* cmd = app.add_subcommand("tokenize",
                                   "A checkpoint tokenizer's ids and tokens for each text (special tokens "
                                   "included), one JSON object per line; WordPiece (BERT family), byte-level BPE "
                                   "(RoBERTa family), Unigram (XLM-R) and WordLevel");
    args->input.add_to(*cmd, "tokenise");
    cmd->add_option("--model", args->model, "a checkpoint directory in Hugging Face layout, or its tokenizer.json")
        ->required();
    cmd->add_flag("--no-special-tokens", args->no_special_tokens, "leave out [CLS], [SEP] and the like");
    cmd->callback([args] { run_tokenize(*args); });
}

}  // namespace emo::cli
