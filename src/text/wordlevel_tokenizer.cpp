#include "text/wordlevel_tokenizer.hpp"

#include "core/model_files.hpp"
#include "text/tokenizer_json.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

namespace emo::text {

WordLevelTokenizer WordLevelTokenizer::load(const std::string& path) {
    return from_json(core::read_json_file(path), path);
}

WordLevelTokenizer WordLevelTokenizer::from_json(const nlohmann::json& config, const std::string& origin) {
    WordLevelTokenizer t;
    try {
        const auto& model = json_field(config, "model", origin);
        const std::string m = origin + ": model";
        if (const auto type = json_type(model, m); type != "WordLevel")
            throw Error(origin + ": model.type \"" + type + "\" is not WordLevel");
        const auto& vocab = json_field(model, "vocab", m);
        if (!vocab.is_object() || vocab.empty()) throw Error(m + ".vocab is not a token -> id object");
        for (const auto& [token, id] : vocab.items()) {
            // Ids beyond the vocabulary's size would leave gaps (and could ask for any amount of memory).
            if (!id.is_number_integer() || id.get<std::int64_t>() < 0 ||
                id.get<std::int64_t>() >= static_cast<std::int64_t>(vocab.size()))
                throw Error(m + ".vocab: the id of \"" + token +
                            "\" is not an integer from 0 to the vocabulary's size");
            const auto i = static_cast<std::size_t>(id.get<std::int64_t>());
            if (i >= t.tokens_.size()) t.tokens_.resize(i + 1);
            if (!t.tokens_[i].empty()) throw Error(m + ".vocab: id " + std::to_string(i) + " is taken twice");
            t.tokens_[i] = token;
            t.vocab_.emplace(token, static_cast<std::int32_t>(i));
        }
        const auto& unk = model.contains("unk_token") ? model.at("unk_token") : nlohmann::json("<unk>");
        if (!unk.is_string()) throw Error(m + ".unk_token: not a string");
        t.unk_token_ = unk.get<std::string>();
        if (const auto it = t.vocab_.find(t.unk_token_); it != t.vocab_.end()) t.unk_id_ = it->second;
        t.read_pipeline(config, origin);
    } catch (const nlohmann::json::exception& e) {
        throw Error(origin + ": unexpected tokenizer.json content: " + e.what());
    }
    return t;
}

void WordLevelTokenizer::encode_word(const std::string& word, TokenIds& out) const {
    if (const auto it = vocab_.find(word); it != vocab_.end()) return append_id(it->second, out);
    if (unk_id_ < 0)
        throw Error("WordLevel: \"" + word + "\" is not in the vocabulary, nor is its unk_token \"" + unk_token_ +
                    "\"");
    append_id(unk_id_, out);
}

}  // namespace emo::text
