#include "text/wordpiece_tokenizer.hpp"

#include "text/tokenizer.hpp"

#include <utf8proc.h>
#include "core/model_files.hpp"
#include "text/tokenizer_json.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace emo::text {

namespace {

// Code points of valid UTF-8 (checked by the caller).
std::vector<char32_t> code_points(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
    while (left > 0) {
        utf8proc_int32_t cp;
        const auto n = utf8proc_iterate(p, left, &cp);
        out.push_back(static_cast<char32_t>(cp));
        p += n;
        left -= n;
    }
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    utf8proc_uint8_t buffer[4];
    const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

utf8proc_category_t category(char32_t cp) { return utf8proc_category(static_cast<utf8proc_int32_t>(cp)); }

// Control for BERT's cleaning: any "other" category (Cc, Cf, Cs, Co, Cn) except tab, newline and carriage return.
bool is_control(char32_t c) {
    if (c == '\t' || c == '\n' || c == '\r') return false;
    const auto cat = category(c);
    return cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_CS ||
           cat == UTF8PROC_CATEGORY_CO || cat == UTF8PROC_CATEGORY_CN;
}

// CJK Unified Ideographs and their extensions and compatibility blocks, as BERT pads them.
bool is_chinese_char(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

// ASCII punctuation (which includes symbols such as $ + < = > ^ ` | ~) or any Unicode punctuation category.
bool is_bert_punctuation(char32_t c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
    const auto cat = category(c);
    return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

// vocab.txt and tokenizer_config.json as the tokenizer.json that Hugging Face's converter writes for them.
nlohmann::json config_from_vocab_txt(const std::string& vocab_path, const nlohmann::json& settings) {
    std::ifstream in(vocab_path, std::ios::binary);
    if (!in) throw Error(vocab_path + ": cannot open");
    nlohmann::json vocab = nlohmann::json::object();
    std::size_t id = 0;
    // A token on two lines leaves a gap in the ids, which from_json refuses (BERT's vocab files have none).
    for (std::string line; std::getline(in, line); ++id) vocab[line] = id;
    if (vocab.empty()) throw Error(vocab_path + ": no tokens");
    const bool lowercase = settings.value("do_lower_case", true);
    const auto strip = settings.contains("strip_accents") ? settings.at("strip_accents") : nlohmann::json();
    const auto token = [&](const char* key, const char* fallback) {
        const auto& v = settings.contains(key) ? settings.at(key) : nlohmann::json();
        // Newer configs give a token as {"content": ...} (an AddedToken), older ones as a string.
        return v.is_string() ? v.get<std::string>() : v.is_object() ? v.value("content", fallback) : fallback;
    };
    const auto unk = token("unk_token", "[UNK]"), cls = token("cls_token", "[CLS]"), sep = token("sep_token", "[SEP]");
    nlohmann::json added = nlohmann::json::array();
    for (const auto& special : {token("pad_token", "[PAD]"), unk, cls, sep, token("mask_token", "[MASK]")})
        if (vocab.contains(special)) added.push_back({{"content", special}, {"special", true}});
    nlohmann::json post = nullptr;
    if (vocab.contains(cls) && vocab.contains(sep))
        post = {{"type", "BertProcessing"}, {"cls", {cls, vocab.at(cls)}}, {"sep", {sep, vocab.at(sep)}}};
    return {{"added_tokens", added},
            {"normalizer",
             {{"type", "BertNormalizer"},
              {"clean_text", true},
              {"handle_chinese_chars", settings.value("tokenize_chinese_chars", true)},
              {"strip_accents", strip.is_boolean() ? strip : nlohmann::json()},
              {"lowercase", lowercase}}},
            {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
            {"post_processor", post},
            {"model", {{"type", "WordPiece"}, {"unk_token", unk}, {"vocab", vocab}}}};
}

}  // namespace

WordPieceTokenizer WordPieceTokenizer::load(const std::string& path) {
    return from_json(core::read_json_file(path), path);
}

WordPieceTokenizer WordPieceTokenizer::load_directory(const std::string& dir) {
    const std::filesystem::path root(dir);
    if (std::filesystem::is_regular_file(root / "tokenizer.json")) return load((root / "tokenizer.json").string());
    if (!std::filesystem::is_regular_file(root / "vocab.txt"))
        throw Error(dir + ": no tokenizer.json or vocab.txt (not a checkpoint directory in Hugging Face layout?)");
    const auto config_path = root / "tokenizer_config.json";
    const auto settings = std::filesystem::is_regular_file(config_path) ? core::read_json_file(config_path.string())
                                                                        : nlohmann::json::object();
    if (!settings.is_object()) throw Error(config_path.string() + ": not a JSON object");
    const auto vocab_path = (root / "vocab.txt").string();
    try {
        return from_json(config_from_vocab_txt(vocab_path, settings), vocab_path);
    } catch (const nlohmann::json::exception& e) {
        throw Error(config_path.string() + ": unexpected content: " + e.what());
    }
}

WordPieceTokenizer WordPieceTokenizer::from_json(const nlohmann::json& config, const std::string& origin) {
    WordPieceTokenizer t;
    try {
        const auto& model = json_field(config, "model", origin);
        if (const auto type = json_type(model, origin + ": model"); type != "WordPiece")
            throw Error(origin + ": model.type \"" + type + "\" is not WordPiece");
        t.continuing_prefix_ = model.value("continuing_subword_prefix", t.continuing_prefix_);
        t.max_input_chars_per_word_ = model.value("max_input_chars_per_word", t.max_input_chars_per_word_);
        const auto& vocab = json_field(model, "vocab", origin + ": model");
        if (!vocab.is_object() || vocab.empty()) throw Error(origin + ": model.vocab is not a token -> id object");
        t.tokens_.resize(vocab.size());
        for (const auto& [token, id] : vocab.items()) {
            const auto i = id.get<std::int64_t>();
            if (i < 0 || static_cast<std::size_t>(i) >= vocab.size() || !t.tokens_[static_cast<std::size_t>(i)].empty())
                throw Error(origin + ": model.vocab: id " + std::to_string(i) + " of \"" + token +
                            "\" is out of range or taken twice");
            t.tokens_[static_cast<std::size_t>(i)] = token;
            t.vocab_.emplace(token, static_cast<std::int32_t>(i));
        }
        t.unk_id_ = t.id_of(model.value("unk_token", std::string("[UNK]")), origin + ": model.unk_token");

        const auto& normalizer = json_field(config, "normalizer", origin);
        if (!normalizer.is_null()) {
            if (const auto type = json_type(normalizer, origin + ": normalizer"); type != "BertNormalizer")
                throw Error(origin + ": normalizer.type \"" + type + "\" is not supported with WordPiece yet");
            auto& n = t.normalizer_;
            n.clean_text = normalizer.value("clean_text", true);
            n.handle_chinese_chars = normalizer.value("handle_chinese_chars", true);
            n.lowercase = normalizer.value("lowercase", true);
            const auto& strip =
                normalizer.contains("strip_accents") ? normalizer.at("strip_accents") : nlohmann::json();
            n.strip_accents = strip.is_null() ? n.lowercase : strip.get<bool>();  // null: as lowercase, as BERT does
        } else {
            t.normalizer_ = {false, false, false, false};
        }

        const auto& pre = json_field(config, "pre_tokenizer", origin);
        if (pre.is_null() || json_type(pre, origin + ": pre_tokenizer") != "BertPreTokenizer")
            throw Error(origin + ": pre_tokenizer must be BertPreTokenizer for WordPiece");

        t.post_ = post_processor_from_json(json_field(config, "post_processor", origin), origin, t.tokens_);

        if (config.contains("added_tokens") && !config.at("added_tokens").is_null()) {
            for (const auto& added : config.at("added_tokens")) {
                const auto content = json_field(added, "content", origin + ": added_tokens").get<std::string>();
                if (content.empty()) throw Error(origin + ": added_tokens: an empty token");
                const auto id = t.id_of(content, origin + ": added_tokens");
                // Unmarked, a special token is matched as written and another one normalised, as in the Rust crate.
                if (added.value("normalized", !added.value("special", false))) {
                    if (!is_valid_utf8(content)) throw Error(origin + ": added_tokens: invalid UTF-8");
                    auto normalized = t.normalized_code_points(content);
                    if (!normalized.empty()) t.normalized_tokens_.emplace_back(std::move(normalized), id);
                } else {
                    t.special_tokens_.emplace_back(content, id);
                }
            }
            // Longest first, so that "[MASK]" wins over a shorter token it starts with.
            const auto longest_first = [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); };
            std::stable_sort(t.special_tokens_.begin(), t.special_tokens_.end(), longest_first);
            std::stable_sort(t.normalized_tokens_.begin(), t.normalized_tokens_.end(), longest_first);
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(origin + ": unexpected tokenizer.json content: " + e.what());
    }
    return t;
}

std::int32_t WordPieceTokenizer::id_of(const std::string& token, const std::string& origin) const {
    const auto it = vocab_.find(token);
    if (it == vocab_.end()) throw Error(origin + ": \"" + token + "\" is not in the vocabulary");
    return it->second;
}

std::u32string WordPieceTokenizer::normalized_code_points(std::string_view text) const {
    std::u32string out;
    out.reserve(text.size());
    // Accents stripped (NFD, then combining marks left out) and lowercased, as the normaliser's last two steps.
    const auto emit = [&](char32_t c) {
        const auto lowered = [&](utf8proc_int32_t d) {
            out.push_back(static_cast<char32_t>(normalizer_.lowercase ? utf8proc_tolower(d) : d));
        };
        if (normalizer_.strip_accents) {
            utf8proc_int32_t decomposed[8];
            int boundclass = 0;
            const auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), decomposed, 8, UTF8PROC_DECOMPOSE,
                                                   &boundclass);
            if (n > 0 && n <= 8) {
                for (utf8proc_ssize_t i = 0; i < n; ++i)
                    if (category(static_cast<char32_t>(decomposed[i])) != UTF8PROC_CATEGORY_MN) lowered(decomposed[i]);
                return;
            }
        }
        lowered(static_cast<utf8proc_int32_t>(c));
    };
    for (char32_t c : code_points(text)) {
        if (normalizer_.clean_text) {
            if (c == 0 || c == 0xFFFD || is_control(c)) continue;
            if (is_unicode_white_space(c)) c = ' ';
        }
        const bool alone = normalizer_.handle_chinese_chars && is_chinese_char(c);
        if (alone) out.push_back(' ');
        emit(c);
        if (alone) out.push_back(' ');
    }
    return out;
}

std::string WordPieceTokenizer::normalize(std::string_view text) const {
    if (!is_valid_utf8(text)) throw Error("invalid UTF-8");
    std::string out;
    for (char32_t c : normalized_code_points(text)) append_utf8(out, c);
    return out;
}

void WordPieceTokenizer::append_id(std::int32_t id, TokenIds& out) const {
    out.ids.push_back(id);
    out.tokens.push_back(tokens_[static_cast<std::size_t>(id)]);
}

void WordPieceTokenizer::encode_word(std::string_view word, TokenIds& out) const {
    // Byte offsets of the word's code points, so pieces never split one.
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < word.size(); ++i)
        if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80) starts.push_back(i);
    const std::size_t n = starts.size();
    starts.push_back(word.size());
    if (n > max_input_chars_per_word_) return append_id(unk_id_, out);
    const std::size_t first_piece = out.ids.size();
    std::string candidate;
    for (std::size_t start = 0; start < n;) {
        std::size_t end = n;
        for (; end > start; --end) {
            candidate.assign(start > 0 ? continuing_prefix_ : "");
            candidate.append(word.substr(starts[start], starts[end] - starts[start]));
            if (auto it = vocab_.find(candidate); it != vocab_.end()) {
                append_id(it->second, out);
                break;
            }
        }
        if (end == start) {  // one piece unmatched: the whole word is unknown, as WordPiece does
            out.ids.resize(first_piece);
            out.tokens.resize(first_piece);
            return append_id(unk_id_, out);
        }
        start = end;
    }
}

TokenIds WordPieceTokenizer::encode_plain(std::string_view text) const {
    if (!is_valid_utf8(text)) throw Error("invalid UTF-8");
    TokenIds out;
    // Plain text between special tokens: normalised, cut at the normalised added tokens, the rest split at white
    // space and around punctuation, then WordPiece.
    const auto encode_plain = [&](std::string_view piece) {
        std::string word;
        const auto flush = [&] {
            if (!word.empty()) encode_word(word, out);
            word.clear();
        };
        const auto split_words = [&](std::u32string_view normalized) {
            for (char32_t c : normalized) {
                if (is_unicode_white_space(c)) {
                    flush();
                } else if (is_bert_punctuation(c)) {
                    flush();
                    append_utf8(word, c);
                    flush();
                } else {
                    append_utf8(word, c);
                }
            }
            flush();
        };
        const std::u32string normalized = normalized_code_points(piece);
        const std::u32string_view view(normalized);
        std::size_t start = 0;
        for (std::size_t i = 0; i < view.size() && !normalized_tokens_.empty();) {
            const auto added = std::find_if(normalized_tokens_.begin(), normalized_tokens_.end(),
                                            [&](const auto& a) { return view.substr(i).starts_with(a.first); });
            if (added == normalized_tokens_.end()) {
                ++i;
                continue;
            }
            split_words(view.substr(start, i - start));
            append_id(added->second, out);
            i += added->first.size();
            start = i;
        }
        split_words(view.substr(start));
    };
    std::size_t plain_start = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto special = std::find_if(special_tokens_.begin(), special_tokens_.end(),
                                          [&](const auto& s) { return text.substr(i).starts_with(s.first); });
        if (special == special_tokens_.end()) {
            ++i;
            continue;
        }
        encode_plain(text.substr(plain_start, i - plain_start));
        append_id(special->second, out);
        i += special->first.size();
        plain_start = i;
    }
    encode_plain(text.substr(plain_start));
    return out;
}

}  // namespace emo::text
