#include "text/checkpoint_tokenizer.hpp"

#include "text/bpe_tokenizer.hpp"
#include "text/unigram_tokenizer.hpp"
#include "text/wordlevel_tokenizer.hpp"
#include "text/wordpiece_tokenizer.hpp"

#include "core/model_files.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace emo::text {

namespace {

void keep_first(TokenIds& t, std::size_t n) {
    t.ids.resize(std::min(n, t.ids.size()));
    t.tokens.resize(t.ids.size());
}

void keep_last(TokenIds& t, std::size_t n) {
    if (t.ids.size() <= n) return;
    const auto drop = static_cast<std::ptrdiff_t>(t.ids.size() - n);
    t.ids.erase(t.ids.begin(), t.ids.begin() + drop);
    t.tokens.erase(t.tokens.begin(), t.tokens.begin() + drop);
}

}  // namespace

TokenIds CheckpointTokenizer::encode(std::string_view text, bool add_special_tokens) const {
    auto plain = encode_plain(text);
    if (add_special_tokens) return post_.frame(std::move(plain));
    plain.types.assign(plain.ids.size(), 0);
    return plain;
}

TokenIds CheckpointTokenizer::encode_truncated(std::string_view text, std::size_t max_tokens, bool* truncated) const {
    auto plain = encode_plain(text);
    const auto room = max_tokens > post_.added(false) ? max_tokens - post_.added(false) : 0;
    if (truncated) *truncated = plain.ids.size() > room;
    keep_first(plain, room);
    return post_.frame(std::move(plain));
}

TokenIds CheckpointTokenizer::encode_pair_truncated(std::string_view first, std::string_view second,
                                                    std::size_t max_tokens, bool* truncated) const {
    auto a = encode_plain(first);
    auto b = encode_plain(second);
    const auto room = max_tokens > post_.added(true) ? max_tokens - post_.added(true) : 0;
    if (truncated) *truncated = a.ids.size() + b.ids.size() > room;
    keep_first(a, room);
    keep_last(b, room - a.ids.size());
    return post_.frame_pair(std::move(a), std::move(b));
}

std::unique_ptr<CheckpointTokenizer> load_checkpoint_tokenizer(const std::string& path) {
    const auto& dir = path;
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool is_file = fs::is_regular_file(dir, ec);  // tokenizer.json named directly
    const auto json_path = is_file ? fs::path(dir) : fs::path(dir) / "tokenizer.json";
    if (is_file || fs::exists(json_path, ec)) {
        const auto config = core::read_json_file(json_path.string());
        const auto model = config.find("model");
        const std::string type = model != config.end() && model->is_object() ? model->value("type", "") : "";
        if (type == "WordPiece")
            return std::make_unique<WordPieceTokenizer>(WordPieceTokenizer::from_json(config, json_path.string()));
        if (type == "BPE") return std::make_unique<BpeTokenizer>(BpeTokenizer::from_json(config, json_path.string()));
        if (type == "Unigram")
            return std::make_unique<UnigramTokenizer>(UnigramTokenizer::from_json(config, json_path.string()));
        if (type == "WordLevel")
            return std::make_unique<WordLevelTokenizer>(WordLevelTokenizer::from_json(config, json_path.string()));
        throw Error(json_path.string() + ": model.type \"" + type +
                    "\" is not supported (expected WordPiece, BPE, Unigram or WordLevel)");
    }
    // Older checkpoints: RoBERTa's vocab.json + merges.txt, or BERT's vocab.txt.
    if (fs::exists(fs::path(dir) / "vocab.json", ec) || fs::exists(fs::path(dir) / "merges.txt", ec))
        return std::make_unique<BpeTokenizer>(BpeTokenizer::load_directory(dir));
    // sentencepiece's own model file would need its protobuf reader; the tokenizer.json that transformers writes for
    // the same checkpoint (tokenizer.save_pretrained) carries everything emo needs.
    for (const char* name : {"sentencepiece.bpe.model", "spiece.model", "tokenizer.model"})
        if (!fs::exists(fs::path(dir) / "vocab.txt", ec) && fs::exists(fs::path(dir) / name, ec))
            throw Error(
                dir + ": " + name +
                " without tokenizer.json is not supported (sentencepiece model files are not read; "
                "write tokenizer.json with transformers' AutoTokenizer.from_pretrained(dir).save_pretrained(dir))");
    if (!fs::exists(fs::path(dir) / "vocab.txt", ec))
        throw Error(dir +
                    ": no tokenizer.json, vocab.json + merges.txt or vocab.txt (not a checkpoint directory in "
                    "Hugging Face layout?)");
    return std::make_unique<WordPieceTokenizer>(WordPieceTokenizer::load_directory(dir));
}

}  // namespace emo::text
