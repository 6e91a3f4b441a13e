#include "text/unigram_tokenizer.hpp"

#include "core/model_files.hpp"
#include "text/tokenizer.hpp"
#include "text/tokenizer_json.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <limits>
#include <string_view>

namespace emo::text {

namespace {

// The crate's penalty: an unknown character scores this much below the lowest-scoring piece.
constexpr double unknown_penalty = 10.0;

std::size_t utf8_length(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

}  // namespace

UnigramTokenizer UnigramTokenizer::load(const std::string& path) { return from_json(core::read_json_file(path), path); }

UnigramTokenizer UnigramTokenizer::from_json(const nlohmann::json& config, const std::string& origin) {
    UnigramTokenizer t;
    try {
        const auto& model = json_field(config, "model", origin);
        const std::string m = origin + ": model";
        if (const auto type = json_type(model, m); type != "Unigram")
            throw Error(origin + ": model.type \"" + type + "\" is not Unigram");
        const auto& vocab = json_field(model, "vocab", m);
        if (!vocab.is_array() || vocab.empty()) throw Error(m + ".vocab is not a list of [piece, score]");
        if (vocab.size() > static_cast<std::size_t>(INT32_MAX)) throw Error(m + ".vocab is too large");
        t.tokens_.reserve(vocab.size());
        t.scores_.reserve(vocab.size());
        double min_score = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < vocab.size(); ++i) {
            const auto& entry = vocab[i];
            const std::string where = m + ".vocab[" + std::to_string(i) + "]";
            if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number())
                throw Error(where + ": not [piece, score]");
            auto piece = entry[0].get<std::string>();
            if (piece.empty()) throw Error(where + ": an empty piece");
            if (!is_valid_utf8(piece)) throw Error(where + ": not valid UTF-8");
            const double score = entry[1].get<double>();
            min_score = std::min(min_score, score);
            // A piece listed twice is found under its later id, as the crate's map does.
            t.vocab_[piece] = static_cast<std::int32_t>(i);
            t.tokens_.push_back(std::move(piece));
            t.scores_.push_back(score);
        }
        t.unk_score_ = min_score - unknown_penalty;
        if (model.contains("unk_id") && !model.at("unk_id").is_null()) {
            const auto& unk = model.at("unk_id");
            if (!unk.is_number_integer() || unk.get<std::int64_t>() < 0 ||
                unk.get<std::int64_t>() >= static_cast<std::int64_t>(vocab.size()))
                throw Error(m + ".unk_id: not an id of the vocabulary");
            t.unk_id_ = static_cast<std::int32_t>(unk.get<std::int64_t>());
        }
        if (model.contains("byte_fallback") && !model.at("byte_fallback").is_null()) {
            if (!model.at("byte_fallback").is_boolean()) throw Error(m + ".byte_fallback: not true or false");
            t.byte_fallback_ = model.at("byte_fallback").get<bool>();
        }
        t.build_trie(origin);
        t.read_pipeline(config, origin);
    } catch (const nlohmann::json::exception& e) {
        throw Error(origin + ": unexpected tokenizer.json content: " + e.what());
    }
    return t;
}

void UnigramTokenizer::build_trie(const std::string& origin) {
    // The distinct pieces in byte order; each node's edges are then made together, so they are contiguous and sorted.
    std::vector<std::pair<std::string_view, std::int32_t>> pieces;
    pieces.reserve(vocab_.size());
    for (const auto& [piece, id] : vocab_) pieces.emplace_back(piece, id);
    std::sort(pieces.begin(), pieces.end());
    struct Pending {
        std::size_t lo, hi, depth;
        std::int32_t node;
    };
    std::deque<Pending> queue{{0, pieces.size(), 0, 0}};
    nodes_.assign(1, TrieNode{});
    while (!queue.empty()) {
        auto [lo, hi, depth, node] = queue.front();
        queue.pop_front();
        if (lo < hi && pieces[lo].first.size() == depth)
            nodes_[static_cast<std::size_t>(node)].piece = pieces[lo++].second;
        nodes_[static_cast<std::size_t>(node)].first_edge = static_cast<std::uint32_t>(edge_bytes_.size());
        std::uint16_t count = 0;
        while (lo < hi) {
            const auto byte = static_cast<unsigned char>(pieces[lo].first[depth]);
            std::size_t end = lo;
            while (end < hi && static_cast<unsigned char>(pieces[end].first[depth]) == byte) ++end;
            const auto child_node = static_cast<std::int32_t>(nodes_.size());
            nodes_.push_back(TrieNode{});
            edge_bytes_.push_back(byte);
            edge_nodes_.push_back(child_node);
            ++count;
            queue.push_back({lo, end, depth + 1, child_node});
            lo = end;
        }
        nodes_[static_cast<std::size_t>(node)].edge_count = count;
        if (nodes_.size() > static_cast<std::size_t>(INT32_MAX)) throw Error(origin + ": model.vocab is too large");
    }
}

std::int32_t UnigramTokenizer::child(std::int32_t node, unsigned char byte) const {
    const auto& n = nodes_[static_cast<std::size_t>(node)];
    const auto first = edge_bytes_.begin() + n.first_edge, last = first + n.edge_count;
    const auto it = std::lower_bound(first, last, byte);
    if (it == last || *it != byte) return -1;
    return edge_nodes_[static_cast<std::size_t>(it - edge_bytes_.begin())];
}

void UnigramTokenizer::encode_word(const std::string& word, TokenIds& out) const {
    // best[i]: the best segmentation of the first i bytes, by its last piece (start and id) and total score.
    struct Best {
        double score = 0;
        std::size_t start = 0;
        std::int32_t id = -1;
        bool reached = false;
    };
    const std::size_t size = word.size();
    std::vector<Best> best(size + 1);
    best[0].reached = true;
    const auto offer = [&](std::size_t end, std::size_t start, std::int32_t id, double score) {
        auto& b = best[end];
        if (b.reached && !(score > b.score)) return;  // ties keep the path found first
        b = {score, start, id, true};
    };
    for (std::size_t start = 0; start < size;) {
        const double base = best[start].score;
        const std::size_t char_length = std::min(utf8_length(static_cast<unsigned char>(word[start])), size - start);
        bool single_char_piece = false;
        std::int32_t node = 0;
        for (std::size_t pos = start; pos < size; ++pos) {
            node = child(node, static_cast<unsigned char>(word[pos]));
            if (node < 0) break;
            const auto piece = nodes_[static_cast<std::size_t>(node)].piece;
            if (piece < 0) continue;
            offer(pos + 1, start, piece, base + scores_[static_cast<std::size_t>(piece)]);
            if (pos + 1 - start == char_length) single_char_piece = true;
        }
        if (!single_char_piece) {
            const auto end = start + char_length;
            if (!best[end].reached || unk_score_ + base > best[end].score) {
                if (unk_id_ < 0)
                    throw Error("Unigram: \"" + word.substr(start, char_length) +
                                "\" is not in the vocabulary and the model has no unk_id");
                offer(end, start, unk_id_, unk_score_ + base);
            }
        }
        start += char_length;
    }

    // Back from the end; neighbouring unknown pieces are fused into one.
    struct Span {
        std::size_t start, end;
        std::int32_t id;
    };
    std::vector<Span> spans;
    for (std::size_t end = size; end > 0;) {
        const auto& b = best[end];
        if (b.id == unk_id_ && !spans.empty() && spans.back().id == unk_id_)
            spans.back().start = b.start;
        else
            spans.push_back({b.start, end, b.id});
        end = b.start;
    }
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        if (it->id != unk_id_) {
            append_id(it->id, out);
            continue;
        }
        // An unknown run is looked up whole (the crate does), then tried as bytes, else it is the unknown piece.
        const auto text = std::string_view(word).substr(it->start, it->end - it->start);
        if (const auto found = vocab_.find(std::string(text)); found != vocab_.end()) {
            append_id(found->second, out);
            continue;
        }
        if (byte_fallback_) {
            std::vector<std::int32_t> bytes;
            char name[8];
            for (const char c : text) {
                std::snprintf(name, sizeof name, "<0x%02X>", static_cast<unsigned>(static_cast<unsigned char>(c)));
                const auto found = vocab_.find(name);
                if (found == vocab_.end()) break;
                bytes.push_back(found->second);
            }
            if (bytes.size() == text.size()) {
                for (const auto id : bytes) append_id(id, out);
                continue;
            }
        }
        append_id(unk_id_, out);
    }
}

}  // namespace emo::text
