#include "text/bpe_tokenizer.hpp"

#include "text/tokenizer.hpp"

#include <utf8proc.h>
#include "core/model_files.hpp"
#include "text/tokenizer_json.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <queue>

namespace emo::text {

namespace {

// GPT-2's table: bytes that are printable Latin-1 stand for themselves, the other 68 (controls, space, DEL, NBSP,
// soft hyphen) take the code points from U+0100 on, in byte order, so that every token is visible text.
constexpr std::array<char32_t, 256> make_byte_chars() {
    std::array<char32_t, 256> table{};
    char32_t next = 0x100;
    for (std::size_t b = 0; b < 256; ++b) {
        const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        table[b] = printable ? static_cast<char32_t>(b) : next++;
    }
    return table;
}
constexpr auto byte_chars = make_byte_chars();

void append_utf8(std::string& out, char32_t cp) {
    utf8proc_uint8_t buffer[4];
    const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

// The code point starting at byte `i` of valid UTF-8, and its length.
char32_t code_point_at(std::string_view s, std::size_t i, std::size_t* length = nullptr) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (length) *length = n > 0 ? static_cast<std::size_t>(n) : 1;
    return static_cast<char32_t>(cp);
}

// Where the code point that ends at byte `end` of valid UTF-8 starts.
std::size_t previous_start(std::string_view s, std::size_t end) {
    std::size_t i = end - 1;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return i;
}

utf8proc_category_t category(char32_t cp) { return utf8proc_category(static_cast<utf8proc_int32_t>(cp)); }

bool is_letter(char32_t c) {
    const auto cat = category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool is_number(char32_t c) {
    const auto cat = category(c);
    return cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
}

bool is_other(char32_t c) { return !is_unicode_white_space(c) && !is_letter(c) && !is_number(c); }

// Rust regex's \w (Alphabetic, marks, decimal digits, connector punctuation, joiners), which single_word tokens
// test on either side; Alphabetic is approximated by letters and letter numbers.
bool is_word_char(char32_t c) {
    const auto cat = category(c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) || cat == UTF8PROC_CATEGORY_ND ||
           cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_PC || c == 0x200C || c == 0x200D;
}

// A string setting that may be null; empty when null or absent.
std::string optional_string(const nlohmann::json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || j.at(key).is_null()) return {};
    if (!j.at(key).is_string()) throw Error(where + "." + key + ": not a string or null");
    return j.at(key).get<std::string>();
}

// utf8proc's options for one Unicode normal form named by tokenizer.json.
int normal_form_options(const nlohmann::json& n, const std::string& where) {
    const auto type = json_type(n, where);
    if (type == "NFC") return UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    if (type == "NFD") return UTF8PROC_STABLE | UTF8PROC_DECOMPOSE;
    if (type == "NFKC") return UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
    if (type == "NFKD") return UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT;
    throw Error(where + ".type \"" + type +
                "\" is not supported with BPE (expected null, NFC, NFD, NFKC, NFKD or a Sequence of them)");
}

// The ByteLevel pre-tokeniser, alone or as the only member of a Sequence.
const nlohmann::json& byte_level_pre_tokenizer(const nlohmann::json& pre, const std::string& origin) {
    const std::string where = origin + ": pre_tokenizer";
    if (pre.is_null()) throw Error(where + " is null: BPE is supported with the ByteLevel pre-tokenizer only");
    const auto type = json_type(pre, where);
    if (type == "ByteLevel") return pre;
    if (type == "Sequence") {
        const auto& list = json_field(pre, "pretokenizers", where);
        if (list.is_array() && list.size() == 1 && json_type(list[0], where + ".pretokenizers[0]") == "ByteLevel")
            return list[0];
        throw Error(where + ".pretokenizers: a Sequence is supported only as a single ByteLevel");
    }
    throw Error(where + ".type \"" + type + "\" is not supported with BPE (expected ByteLevel)");
}

// RoBERTa's post-processors; ByteLevel (GPT-2's, which only trims offsets) adds nothing, and in a Sequence it may
// stand beside one that adds the special tokens.
PostProcessor bpe_post_processor(const nlohmann::json& post, const std::string& origin,
                                 const std::vector<std::string>& tokens) {
    if (post.is_null()) return {};
    const std::string where = origin + ": post_processor";
    const auto type = json_type(post, where);
    if (type == "ByteLevel") return {};
    if (type == "Sequence") {
        const auto& list = json_field(post, "processors", where);
        const nlohmann::json* adding = nullptr;
        for (const auto& p : list) {
            if (json_type(p, where + ".processors[]") == "ByteLevel") continue;
            if (adding) throw Error(where + ".processors: more than one besides ByteLevel is not supported");
            adding = &p;
        }
        return adding ? post_processor_from_json(*adding, origin, tokens) : PostProcessor();
    }
    return post_processor_from_json(post, origin, tokens);
}

// vocab.json, merges.txt and tokenizer_config.json as the tokenizer.json Hugging Face's RoBERTa converter writes.
nlohmann::json config_from_vocab_json(const std::string& vocab_path, const std::string& merges_path,
                                      const nlohmann::json& settings, const std::string& settings_path) {
    auto vocab = core::read_json_file(vocab_path);
    if (!vocab.is_object() || vocab.empty()) throw Error(vocab_path + ": not a token -> id object");
    std::ifstream in(merges_path, std::ios::binary);
    if (!in) throw Error(merges_path + ": cannot open");
    nlohmann::json merges = nlohmann::json::array();
    std::size_t line_number = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.starts_with("#version")) continue;
        const auto space = line.find(' ');
        if (space == std::string::npos || space == 0 || line.find(' ', space + 1) != std::string::npos ||
            space + 1 == line.size())
            throw Error(merges_path + ":" + std::to_string(line_number) + ": not two tokens separated by a space");
        merges.push_back(line);
    }
    if (!settings.is_object()) throw Error(settings_path + ": not a JSON object");
    const auto add_prefix_space =
        settings.contains("add_prefix_space") ? settings.at("add_prefix_space") : nlohmann::json(false);
    if (!add_prefix_space.is_boolean()) throw Error(settings_path + ": add_prefix_space is not true or false");
    // A special token is given as a string, or (newer configs) as an AddedToken object with its flags.
    const auto special = [&](const char* key, const char* fallback, bool lstrip) {
        const auto& v = settings.contains(key) ? settings.at(key) : nlohmann::json();
        nlohmann::json token = {{"content", fallback}, {"single_word", false}, {"lstrip", lstrip},
                                {"rstrip", false},     {"normalized", false},  {"special", true}};
        if (v.is_string()) token["content"] = v;
        if (v.is_object())
            for (const char* flag : {"content", "single_word", "lstrip", "rstrip"})
                if (v.contains(flag)) token[flag] = v.at(flag);
        return token;
    };
    // RoBERTa's tokenizer class gives <mask> lstrip, so that "a <mask>" leaves no lone space before it.
    const auto cls = special("cls_token", "<s>", false), sep = special("sep_token", "</s>", false);
    nlohmann::json added = nlohmann::json::array();
    for (const auto& token :
         {special("bos_token", "<s>", false), special("pad_token", "<pad>", false), special("eos_token", "</s>", false),
          special("unk_token", "<unk>", false), cls, sep, special("mask_token", "<mask>", true)}) {
        const auto& content = token.at("content");
        if (!content.is_string() || !vocab.contains(content.get<std::string>())) continue;
        const auto same = [&](const nlohmann::json& t) { return t.at("content") == content; };
        if (std::any_of(added.begin(), added.end(), same)) continue;
        auto entry = token;
        entry["id"] = vocab.at(content.get<std::string>());
        added.push_back(entry);
    }
    nlohmann::json post = nullptr;
    const auto cls_name = cls.at("content"), sep_name = sep.at("content");
    if (cls_name.is_string() && sep_name.is_string() && vocab.contains(cls_name.get<std::string>()) &&
        vocab.contains(sep_name.get<std::string>()))
        post = {{"type", "RobertaProcessing"},
                {"cls", {cls_name, vocab.at(cls_name.get<std::string>())}},
                {"sep", {sep_name, vocab.at(sep_name.get<std::string>())}}};
    return {{"added_tokens", added},
            {"normalizer", nullptr},
            {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", add_prefix_space}, {"trim_offsets", true}}},
            {"post_processor", post},
            // The converter gives no unk_token: every byte has a token of its own in these vocabularies.
            {"model",
             {{"type", "BPE"},
              {"dropout", nullptr},
              {"unk_token", nullptr},
              {"continuing_subword_prefix", ""},
              {"end_of_word_suffix", ""},
              {"fuse_unk", false},
              {"vocab", std::move(vocab)},
              {"merges", std::move(merges)}}}};
}

std::uint64_t pair_key(std::int32_t a, std::int32_t b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
}

}  // namespace

std::string byte_level_map(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) append_utf8(out, byte_chars[b]);
    return out;
}

std::vector<std::string_view> split_gpt2(std::string_view text) {
    // Code points and their byte offsets, so each alternative of the pattern is a test on neighbours.
    std::vector<char32_t> c;
    std::vector<std::size_t> at;
    for (std::size_t i = 0, n = 0; i < text.size(); i += n) {
        c.push_back(code_point_at(text, i, &n));
        at.push_back(i);
    }
    const std::size_t n = c.size();
    at.push_back(text.size());
    const auto run = [&](std::size_t from, bool (*in_class)(char32_t)) {
        while (from < n && in_class(c[from])) ++from;
        return from;
    };
    // The end of the match at `i`: the pattern's alternatives in order, as a backtracking engine tries them.
    const auto match_end = [&](std::size_t i) -> std::size_t {
        if (c[i] == '\'' && i + 1 < n) {
            const char32_t a = c[i + 1];
            if (a == 's' || a == 't' || a == 'm' || a == 'd') return i + 2;
            if (i + 2 < n) {
                const char32_t b = c[i + 2];
                if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return i + 3;
            }
        }
        // " ?X+" for each class X: a leading space joins the run that follows it.
        const std::size_t from = c[i] == ' ' && i + 1 < n ? i + 1 : i;
        for (auto* in_class : {&is_letter, &is_number, &is_other}) {
            if (in_class(c[from])) return run(from, in_class);
        }
        // White space: "\s+(?!\S)" leaves the last space of a run to the word after it; "\s+" takes a lone one.
        const std::size_t end = run(i, &is_unicode_white_space);
        if (end == n || end - i == 1) return end;
        return end - 1;
    };
    std::vector<std::string_view> pieces;
    for (std::size_t i = 0; i < n;) {
        const auto end = match_end(i);
        pieces.push_back(text.substr(at[i], at[end] - at[i]));
        i = end;
    }
    return pieces;
}

BpeTokenizer BpeTokenizer::load(const std::string& path) { return from_json(core::read_json_file(path), path); }

BpeTokenizer BpeTokenizer::load_directory(const std::string& dir) {
    const std::filesystem::path root(dir);
    if (std::filesystem::is_regular_file(root / "tokenizer.json")) return load((root / "tokenizer.json").string());
    const auto vocab_path = (root / "vocab.json").string(), merges_path = (root / "merges.txt").string();
    if (!std::filesystem::is_regular_file(vocab_path))
        throw Error(dir + ": no tokenizer.json or vocab.json (not a BPE checkpoint directory?)");
    if (!std::filesystem::is_regular_file(merges_path))
        throw Error(dir + ": vocab.json without merges.txt (both are needed without tokenizer.json)");
    const auto config_path = (root / "tokenizer_config.json").string();
    const auto settings =
        std::filesystem::is_regular_file(config_path) ? core::read_json_file(config_path) : nlohmann::json::object();
    try {
        return from_json(config_from_vocab_json(vocab_path, merges_path, settings, config_path),
                         dir + " (vocab.json, merges.txt)");
    } catch (const nlohmann::json::exception& e) {
        throw Error(config_path + ": unexpected content: " + e.what());
    }
}

BpeTokenizer BpeTokenizer::from_json(const nlohmann::json& config, const std::string& origin) {
    BpeTokenizer t;
    try {
        const std::string m = origin + ": model";
        const auto& model = json_field(config, "model", origin);
        if (const auto type = json_type(model, m); type != "BPE")
            throw Error(origin + ": model.type \"" + type + "\" is not BPE");
        if (model.contains("dropout") && !model.at("dropout").is_null() && model.at("dropout").get<double>() != 0.0)
            throw Error(m + ".dropout: BPE dropout (random merges) is not supported; it must be null or 0");
        if (model.value("byte_fallback", false))
            throw Error(m + ".byte_fallback: true is not supported (a byte-level vocabulary needs none)");
        t.fuse_unk_ = model.value("fuse_unk", false);
        t.ignore_merges_ = model.value("ignore_merges", false);
        t.continuing_prefix_ = optional_string(model, "continuing_subword_prefix", m);
        t.end_of_word_suffix_ = optional_string(model, "end_of_word_suffix", m);

        const auto& vocab = json_field(model, "vocab", m);
        if (!vocab.is_object() || vocab.empty()) throw Error(m + ".vocab is not a token -> id object");
        // Ids run from 0 through the vocabulary's and the added tokens' count (added tokens may fill gaps): any
        // larger one would ask for that much memory.
        const auto& added = config.contains("added_tokens") ? config.at("added_tokens") : nlohmann::json();
        const auto id_limit = static_cast<std::int64_t>(vocab.size() + (added.is_array() ? added.size() : 0));
        for (const auto& [token, id] : vocab.items()) {
            if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() >= id_limit)
                throw Error(m + ".vocab: the id of \"" + token +
                            "\" is not an integer from 0 to the vocabulary's and added tokens' count");
            const auto i = static_cast<std::size_t>(id.get<std::int64_t>());
            if (i >= t.tokens_.size()) t.tokens_.resize(i + 1);
            if (!t.tokens_[i].empty()) throw Error(m + ".vocab: id " + std::to_string(i) + " is taken twice");
            t.tokens_[i] = token;
            t.vocab_.emplace(token, static_cast<std::int32_t>(i));
        }
        const auto id_in_vocab = [&](const std::string& token, const std::string& where) {
            const auto it = t.vocab_.find(token);
            if (it == t.vocab_.end()) throw Error(where + ": \"" + token + "\" is not in the vocabulary");
            return it->second;
        };

        const auto& merges = json_field(model, "merges", m);
        if (!merges.is_array()) throw Error(m + ".merges is not a list");
        for (std::size_t rank = 0; rank < merges.size(); ++rank) {
            const auto& merge = merges[rank];
            const std::string where = m + ".merges[" + std::to_string(rank) + "]";
            std::string a, b;
            if (merge.is_string()) {  // "a b", the older layout
                const auto s = merge.get<std::string>();
                const auto space = s.find(' ');
                if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
                    throw Error(where + ": \"" + s + "\" is not two tokens separated by a space");
                a = s.substr(0, space);
                b = s.substr(space + 1);
            } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string()) {
                a = merge[0].get<std::string>();
                b = merge[1].get<std::string>();
            } else {
                throw Error(where + ": neither \"a b\" nor [\"a\", \"b\"]");
            }
            // The right part carries the continuing prefix, which the merged token does not repeat.
            if (!t.continuing_prefix_.empty() && !b.starts_with(t.continuing_prefix_))
                throw Error(where + ": \"" + b + "\" does not start with continuing_subword_prefix");
            const auto merged = a + b.substr(t.continuing_prefix_.size());
            const auto left = id_in_vocab(a, where), right = id_in_vocab(b, where);
            const auto merged_id = id_in_vocab(merged, where);
            // A pair listed twice keeps its later rank, as the Rust crate's map does.
            t.merges_[pair_key(left, right)] = {static_cast<std::uint32_t>(rank), merged_id};
        }
        if (const auto unk = optional_string(model, "unk_token", m); !unk.empty())
            t.unk_id_ = id_in_vocab(unk, m + ".unk_token");

        const auto& normalizer = config.contains("normalizer") ? config.at("normalizer") : nlohmann::json();
        if (!normalizer.is_null()) {
            const std::string where = origin + ": normalizer";
            if (json_type(normalizer, where) == "Sequence") {
                const auto& list = json_field(normalizer, "normalizers", where);
                for (std::size_t i = 0; i < list.size(); ++i)
                    t.normalizer_options_.push_back(
                        normal_form_options(list[i], where + ".normalizers[" + std::to_string(i) + "]"));
            } else {
                t.normalizer_options_.push_back(normal_form_options(normalizer, where));
            }
        }

        const auto& byte_level = byte_level_pre_tokenizer(json_field(config, "pre_tokenizer", origin), origin);
        t.add_prefix_space_ = byte_level.value("add_prefix_space", true);
        t.use_regex_ = byte_level.value("use_regex", true);

        if (config.contains("added_tokens") && !config.at("added_tokens").is_null()) {
            const std::string where = origin + ": added_tokens";
            for (const auto& entry : config.at("added_tokens")) {
                AddedToken a;
                a.content = json_field(entry, "content", where).get<std::string>();
                if (a.content.empty()) throw Error(where + ": an empty token");
                if (!is_valid_utf8(a.content)) throw Error(where + ": a token is not valid UTF-8");
                a.single_word = entry.value("single_word", false);
                a.lstrip = entry.value("lstrip", false);
                a.rstrip = entry.value("rstrip", false);
                a.normalized = entry.value("normalized", !entry.value("special", false));
                const auto in_vocab = t.vocab_.find(a.content);
                if (entry.contains("id")) {
                    const auto& value = entry.at("id");
                    const auto id = value.is_number_integer() ? value.get<std::int64_t>() : -1;
                    if (id < 0 || id >= id_limit)
                        throw Error(where + ": the id of \"" + a.content + "\" is out of range");
                    a.id = static_cast<std::int32_t>(id);
                } else if (in_vocab != t.vocab_.end()) {
                    a.id = in_vocab->second;
                } else {
                    throw Error(where + ": \"" + a.content + "\" has no id and is not in the vocabulary");
                }
                // Tokens beyond the model's vocabulary extend it; one that is in it must keep its id there.
                const auto i = static_cast<std::size_t>(a.id);
                if (i >= t.tokens_.size()) t.tokens_.resize(i + 1);
                if (!t.tokens_[i].empty() && t.tokens_[i] != a.content)
                    throw Error(where + ": id " + std::to_string(i) + " of \"" + a.content + "\" is \"" + t.tokens_[i] +
                                "\" in the vocabulary");
                if (in_vocab != t.vocab_.end() && in_vocab->second != a.id)
                    throw Error(where + ": \"" + a.content + "\" is id " + std::to_string(in_vocab->second) +
                                " in the vocabulary, not " + std::to_string(a.id));
                t.tokens_[i] = a.content;
                // Those matched after normalisation are looked for in their normalised form.
                if (a.normalized) a.content = t.normalize(a.content);
                t.added_.push_back(std::move(a));
            }
        }

        const auto& post = config.contains("post_processor") ? config.at("post_processor") : nlohmann::json();
        t.post_ = bpe_post_processor(post, origin, t.tokens_);
    } catch (const nlohmann::json::exception& e) {
        throw Error(origin + ": unexpected tokenizer.json content: " + e.what());
    }
    return t;
}

std::string BpeTokenizer::normalize(std::string_view text) const {
    std::string s(text);
    for (const int options : normalizer_options_) {
        utf8proc_uint8_t* mapped = nullptr;
        const auto n =
            utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
                         &mapped, static_cast<utf8proc_option_t>(options));
        if (n < 0) {
            std::free(mapped);
            throw Error(std::string("Unicode normalisation failed: ") + utf8proc_errmsg(n));
        }
        s.assign(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
        std::free(mapped);
    }
    return s;
}

std::vector<BpeTokenizer::Piece> BpeTokenizer::split_added(std::vector<Piece> pieces, bool normalized) const {
    if (std::none_of(added_.begin(), added_.end(), [&](const auto& a) { return a.normalized == normalized; }))
        return pieces;
    std::vector<Piece> out;
    for (auto& piece : pieces) {
        if (piece.id >= 0) {
            out.push_back(std::move(piece));
            continue;
        }
        const std::string_view s = piece.text;
        const auto ends_with_word = [&](std::size_t end) {
            return end > 0 && is_word_char(code_point_at(s, previous_start(s, end)));
        };
        const auto starts_with_word = [&](std::size_t start) {
            return start < s.size() && is_word_char(code_point_at(s, start));
        };
        std::size_t kept = 0;  // where the text not yet given to `out` starts
        for (std::size_t pos = 0; pos < s.size();) {
            // The leftmost match, and the longest token there (an Aho-Corasick leftmost-longest search).
            const AddedToken* best = nullptr;
            for (const auto& a : added_)
                if (a.normalized == normalized && (!best || a.content.size() > best->content.size()) &&
                    s.substr(pos).starts_with(a.content))
                    best = &a;
            if (!best) {
                ++pos;
                continue;
            }
            std::size_t start = pos, stop = pos + best->content.size();
            pos = stop;
            // A token that must be a word of its own is passed over (and its text stays plain) inside a word.
            if (best->single_word && (ends_with_word(start) || starts_with_word(stop))) continue;
            if (best->lstrip) {
                while (start > kept) {
                    const auto prev = previous_start(s, start);
                    if (!is_unicode_white_space(code_point_at(s, prev))) break;
                    start = prev;
                }
            }
            if (best->rstrip) {
                for (std::size_t n = 0; stop < s.size() && is_unicode_white_space(code_point_at(s, stop, &n));)
                    stop += n;
            }
            if (kept < start) out.push_back({std::string(s.substr(kept, start - kept)), -1});
            out.push_back({std::string(s.substr(start, stop - start)), best->id});
            kept = pos = stop;
        }
        if (kept < s.size()) out.push_back({std::string(s.substr(kept)), -1});
    }
    return out;
}

void BpeTokenizer::pre_tokenize_into(std::string_view text, std::vector<std::string>& out) const {
    if (text.empty()) return;
    std::string spaced;
    // Every plain stretch between added tokens gets its own prefix space, as the Rust crate does.
    if (add_prefix_space_ && text.front() != ' ') {
        spaced = " ";
        spaced += text;
        text = spaced;
    }
    if (!use_regex_) return out.push_back(byte_level_map(text));
    for (const auto piece : split_gpt2(text)) out.push_back(byte_level_map(piece));
}

std::vector<std::string> BpeTokenizer::pre_tokenize(std::string_view text) const {
    if (!is_valid_utf8(text)) throw Error("invalid UTF-8");
    std::vector<std::string> out;
    pre_tokenize_into(normalize(text), out);
    return out;
}

void BpeTokenizer::append_id(std::int32_t id, TokenIds& out) const {
    out.ids.push_back(id);
    out.tokens.push_back(tokens_[static_cast<std::size_t>(id)]);
}

void BpeTokenizer::encode_word(const std::string& word, TokenIds& out) const {
    if (ignore_merges_) {
        if (const auto it = vocab_.find(word); it != vocab_.end()) return append_id(it->second, out);
    }
    struct Symbol {
        std::int32_t id;
        std::int32_t prev, next;  // neighbours still in the word (-1: none)
        bool merged_away = false;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    bool last_unknown = false;
    std::string symbol;
    for (std::size_t i = 0, n = 0; i < word.size(); i += n) {
        code_point_at(word, i, &n);
        symbol.assign(i > 0 ? continuing_prefix_ : std::string());
        symbol.append(word, i, n);
        if (i + n == word.size()) symbol += end_of_word_suffix_;
        std::int32_t id = -1;
        if (const auto it = vocab_.find(symbol); it != vocab_.end()) {
            id = it->second;
            last_unknown = false;
        } else if (unk_id_ >= 0) {
            if (last_unknown && fuse_unk_) continue;
            id = unk_id_;
            last_unknown = true;
        } else {
            continue;  // no unk_token: the character is dropped, as the Rust crate does
        }
        const auto index = static_cast<std::int32_t>(symbols.size());
        if (!symbols.empty()) symbols.back().next = index;
        symbols.push_back({id, index - 1, -1});
    }

    // Lowest rank first, leftmost first among equal ranks; entries made stale by an earlier merge are skipped.
    struct Candidate {
        std::uint32_t rank;
        std::int32_t pos;
        std::int32_t merged;
    };
    const auto later = [](const Candidate& a, const Candidate& b) {
        return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
    };
    std::priority_queue<Candidate, std::vector<Candidate>, decltype(later)> queue(later);
    const auto push_pair = [&](std::int32_t left) {
        const auto right = symbols[static_cast<std::size_t>(left)].next;
        if (right < 0) return;
        const auto it = merges_.find(
            pair_key(symbols[static_cast<std::size_t>(left)].id, symbols[static_cast<std::size_t>(right)].id));
        if (it != merges_.end()) queue.push({it->second.first, left, it->second.second});
    };
    for (std::int32_t i = 0; i + 1 < static_cast<std::int32_t>(symbols.size()); ++i) push_pair(i);
    while (!queue.empty()) {
        const auto top = queue.top();
        queue.pop();
        auto& left = symbols[static_cast<std::size_t>(top.pos)];
        if (left.merged_away || left.next < 0) continue;
        auto& right = symbols[static_cast<std::size_t>(left.next)];
        const auto it = merges_.find(pair_key(left.id, right.id));
        if (it == merges_.end() || it->second.second != top.merged) continue;
        left.id = top.merged;
        right.merged_away = true;
        left.next = right.next;
        if (left.next >= 0) symbols[static_cast<std::size_t>(left.next)].prev = top.pos;
        if (left.prev >= 0) push_pair(left.prev);
        push_pair(top.pos);
    }
    for (const auto& s : symbols)
        if (!s.merged_away) append_id(s.id, out);
}

TokenIds BpeTokenizer::encode_plain(std::string_view text) const {
    if (!is_valid_utf8(text)) throw Error("invalid UTF-8");
    // As the Rust crate: added tokens matched in the raw text, then the rest normalised and searched for the
    // normalised added tokens, then pre-tokenised and merged.
    auto pieces = split_added({{std::string(text), -1}}, false);
    if (!normalizer_options_.empty())
        for (auto& p : pieces)
            if (p.id < 0) p.text = normalize(p.text);
    pieces = split_added(std::move(pieces), true);
    TokenIds out;
    std::vector<std::string> words;
    for (const auto& p : pieces) {
        if (p.id >= 0) {
            append_id(p.id, out);
            continue;
        }
        words.clear();
        pre_tokenize_into(p.text, words);
        for (const auto& w : words) encode_word(w, out);
    }
    return out;
}

}  // namespace emo::text
