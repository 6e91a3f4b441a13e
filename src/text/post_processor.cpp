#include "text/post_processor.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

namespace emo::text {

namespace {

using Piece = PostProcessor::Piece;

Piece sequence(int which, std::int32_t type) {
    Piece p;
    p.sequence = true;
    p.which = which;
    p.type = type;
    return p;
}

// A special token given as ["[CLS]", 101] (BertProcessing, RobertaProcessing).
Piece special_pair(const nlohmann::json& j, std::int32_t type, const std::string& origin,
                   const std::vector<std::string>& tokens) {
    if (!j.is_array() || j.size() != 2 || !j[0].is_string() || !j[1].is_number_integer())
        throw Error(origin + ": a special token must be [\"token\", id]");
    Piece p;
    p.ids = {j[1].get<std::int32_t>()};
    p.tokens = {j[0].get<std::string>()};
    p.type = type;
    return p;
}

// TemplateProcessing's "single" or "pair" list.
std::vector<Piece> template_pieces(const nlohmann::json& list, const nlohmann::json& specials,
                                   const std::string& origin) {
    if (!list.is_array()) throw Error(origin + ": not a list of template pieces");
    std::vector<Piece> out;
    for (const auto& item : list) {
        if (auto s = item.find("Sequence"); s != item.end()) {
            const auto id = s->at("id").get<std::string>();
            if (id != "A" && id != "B") throw Error(origin + ": sequence id \"" + id + "\" is neither A nor B");
            out.push_back(sequence(id == "A" ? 0 : 1, s->value("type_id", 0)));
        } else if (auto t = item.find("SpecialToken"); t != item.end()) {
            const auto name = t->at("id").get<std::string>();
            auto spec = specials.find(name);
            if (spec == specials.end()) throw Error(origin + ": special token \"" + name + "\" is not defined");
            Piece p;
            p.ids = spec->at("ids").get<std::vector<std::int32_t>>();
            p.tokens = spec->at("tokens").get<std::vector<std::string>>();
            if (p.ids.size() != p.tokens.size())
                throw Error(origin + ": special token \"" + name + "\" has unequal ids and tokens");
            p.type = t->value("type_id", 0);
            out.push_back(std::move(p));
        } else {
            throw Error(origin + ": a template piece is neither Sequence nor SpecialToken");
        }
    }
    return out;
}

void append(TokenIds& out, const std::vector<std::int32_t>& ids, const std::vector<std::string>& tokens,
            std::int32_t type) {
    out.ids.insert(out.ids.end(), ids.begin(), ids.end());
    out.tokens.insert(out.tokens.end(), tokens.begin(), tokens.end());
    out.types.insert(out.types.end(), ids.size(), type);
}

TokenIds apply(const std::vector<Piece>& pieces, const TokenIds* sequences[2]) {
    TokenIds out;
    for (const auto& p : pieces) {
        if (p.sequence)
            append(out, sequences[p.which]->ids, sequences[p.which]->tokens, p.type);
        else
            append(out, p.ids, p.tokens, p.type);
    }
    return out;
}

}  // namespace

PostProcessor::PostProcessor() : single_{sequence(0, 0)}, pair_{sequence(0, 0), sequence(1, 1)} {}

PostProcessor::PostProcessor(std::vector<Piece> single, std::vector<Piece> pair)
    : single_(std::move(single)), pair_(std::move(pair)) {}

TokenIds PostProcessor::frame(TokenIds first) const {
    const TokenIds* sequences[2] = {&first, &first};
    return apply(single_, sequences);
}

TokenIds PostProcessor::frame_pair(TokenIds first, TokenIds second) const {
    if (pair_.empty()) throw Error("the tokenizer's post-processor has no template for pairs of texts");
    const TokenIds* sequences[2] = {&first, &second};
    return apply(pair_, sequences);
}

std::size_t PostProcessor::added(bool pair) const {
    std::size_t n = 0;
    for (const auto& p : pair ? pair_ : single_) n += p.ids.size();
    return n;
}

PostProcessor post_processor_from_json(const nlohmann::json& post, const std::string& origin,
                                       const std::vector<std::string>& tokens) {
    if (post.is_null()) return {};
    const std::string where = origin + ": post_processor";
    std::vector<Piece> single, pair;
    try {
        const auto type = post.at("type").get<std::string>();
        if (type == "BertProcessing") {
            const auto cls = special_pair(post.at("cls"), 0, where, tokens);
            const auto sep = special_pair(post.at("sep"), 0, where, tokens);
            auto sep_b = sep;
            sep_b.type = 1;
            single = {cls, sequence(0, 0), sep};
            pair = {cls, sequence(0, 0), sep, sequence(1, 1), sep_b};
        } else if (type == "RobertaProcessing") {
            // RoBERTa's models have one token type, and its tokenizers give no type ids: every token is type 0.
            const auto cls = special_pair(post.at("cls"), 0, where, tokens);
            const auto sep = special_pair(post.at("sep"), 0, where, tokens);
            single = {cls, sequence(0, 0), sep};
            pair = {cls, sequence(0, 0), sep, sep, sequence(1, 0), sep};
        } else if (type == "TemplateProcessing") {
            const auto& specials = post.at("special_tokens");
            single = template_pieces(post.at("single"), specials, where + ".single");
            if (post.contains("pair") && !post.at("pair").is_null())  // absent: the tokenizer takes no pairs
                pair = template_pieces(post.at("pair"), specials, where + ".pair");
        } else {
            throw Error(where + ".type \"" + type +
                        "\" is not supported (expected BertProcessing, RobertaProcessing or TemplateProcessing)");
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(where + ": unexpected content: " + e.what());
    }
    for (const auto* pieces : {&single, &pair})
        for (const auto& p : *pieces)
            for (std::size_t k = 0; k < p.ids.size(); ++k)
                if (p.ids[k] < 0 || static_cast<std::size_t>(p.ids[k]) >= tokens.size())
                    throw Error(where + ": id " + std::to_string(p.ids[k]) + " is not in the vocabulary");
                else if (tokens[static_cast<std::size_t>(p.ids[k])] != p.tokens[k])
                    throw Error(where + ": special token \"" + p.tokens[k] + "\" is not id " +
                                std::to_string(p.ids[k]) + " of the vocabulary");
    return PostProcessor(std::move(single), std::move(pair));
}

}  // namespace emo::text
