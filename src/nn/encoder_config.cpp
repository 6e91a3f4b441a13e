#include "nn/encoder_config.hpp"

#include "core/model_files.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

namespace emo::nn {

namespace {

// Sizes beyond these are not encoders this runtime can hold; checked so that a hostile config cannot ask for
// absurd allocations before the weights are even looked at.
constexpr std::uint64_t max_size = 1u << 24;

std::size_t size_field(const nlohmann::json& j, const char* key, const std::string& origin, bool required = true,
                       std::size_t fallback = 0) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) throw Error(origin + ": missing '" + key + "'");
        return fallback;
    }
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0 || it->get<std::uint64_t>() > max_size)
        throw Error(origin + ": '" + key + "' must be a positive integer of at most " + std::to_string(max_size));
    return it->get<std::size_t>();
}

std::string string_field(const nlohmann::json& j, const char* key, const std::string& fallback,
                         const std::string& origin) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_string()) throw Error(origin + ": '" + key + "' must be a string");
    return it->get<std::string>();
}

// id2label as a list in id order: ids must be 0..n-1, each once.
std::vector<std::string> label_list(const nlohmann::json& j, const std::string& origin) {
    auto it = j.find("id2label");
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_object()) throw Error(origin + ": 'id2label' must be an object of id -> label");
    std::map<std::size_t, std::string> by_id;
    for (auto& [key, value] : it->items()) {
        std::size_t id = 0, used = 0;
        try {
            id = std::stoul(key, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != key.size() || !value.is_string())
            throw Error(origin + ": 'id2label' entry '" + key + "' is not a numeric id with a label name");
        by_id[id] = value.get<std::string>();
    }
    std::vector<std::string> labels;
    for (auto& [id, name] : by_id) {
        if (id != labels.size()) throw Error(origin + ": 'id2label' ids must run from 0 without gaps");
        labels.push_back(name);
    }
    return labels;
}

}  // namespace

std::size_t EncoderConfig::max_tokens() const {
    if (family != EncoderFamily::roberta) return max_positions;
    const auto first = static_cast<std::size_t>(pad_token_id) + 1;
    return max_positions > first ? max_positions - first : 0;
}

EncoderConfig encoder_config_from_json(const nlohmann::json& j, const std::string& origin) {
    if (!j.is_object()) throw Error(origin + ": not a JSON object");
    EncoderConfig c;
    c.model_type = string_field(j, "model_type", "", origin);
    if (c.model_type == "bert")
        c.family = EncoderFamily::bert;
    else if (c.model_type == "roberta" || c.model_type == "xlm-roberta")
        c.family = EncoderFamily::roberta;
    else if (c.model_type == "distilbert")
        c.family = EncoderFamily::distilbert;
    else
        throw Error(origin + ": model_type '" + c.model_type +
                    "' is not supported (expected bert, roberta, xlm-roberta or distilbert)");

    if (c.family == EncoderFamily::distilbert) {
        c.hidden = size_field(j, "dim", origin);
        c.layers = size_field(j, "n_layers", origin);
        c.heads = size_field(j, "n_heads", origin);
        c.intermediate = size_field(j, "hidden_dim", origin);
        c.activation = activation_from_name(string_field(j, "activation", "gelu", origin), origin + ": 'activation'");
        c.layer_norm_eps = 1e-12f;  // fixed in DistilBERT's code, not in its config
        c.type_vocab_size = 0;
    } else {
        c.hidden = size_field(j, "hidden_size", origin);
        c.layers = size_field(j, "num_hidden_layers", origin);
        c.heads = size_field(j, "num_attention_heads", origin);
        c.intermediate = size_field(j, "intermediate_size", origin);
        c.activation = activation_from_name(string_field(j, "hidden_act", "gelu", origin), origin + ": 'hidden_act'");
        c.type_vocab_size = size_field(j, "type_vocab_size", origin, false, 2);
        auto eps = j.find("layer_norm_eps");
        if (eps != j.end() && !eps->is_null()) {
            if (!eps->is_number() || !(eps->get<double>() > 0.0 && eps->get<double>() < 1.0))
                throw Error(origin + ": 'layer_norm_eps' must be a number between 0 and 1");
            c.layer_norm_eps = eps->get<float>();
        }
        const auto position_type = string_field(j, "position_embedding_type", "absolute", origin);
        if (position_type != "absolute")
            throw Error(origin + ": position_embedding_type '" + position_type + "' is not supported (absolute only)");
    }
    c.vocab_size = size_field(j, "vocab_size", origin);
    c.max_positions = size_field(j, "max_position_embeddings", origin);
    auto pad = j.find("pad_token_id");
    if (pad != j.end() && !pad->is_null()) {
        if (!pad->is_number_integer() || pad->get<std::int64_t>() < 0 || pad->get<std::uint64_t>() >= c.vocab_size)
            throw Error(origin + ": 'pad_token_id' must be an id of the vocabulary");
        c.pad_token_id = pad->get<std::int32_t>();
    } else {
        c.pad_token_id = c.family == EncoderFamily::roberta ? 1 : 0;
    }
    if (c.hidden % c.heads != 0)
        throw Error(origin + ": hidden size " + std::to_string(c.hidden) + " is not divisible by " +
                    std::to_string(c.heads) + " attention heads");
    if (c.max_tokens() == 0) throw Error(origin + ": 'max_position_embeddings' leaves no room for a token");
    c.labels = label_list(j, origin);
    const auto problem = string_field(j, "problem_type", "", origin);
    if (!problem.empty() && problem != "single_label_classification" && problem != "multi_label_classification")
        throw Error(origin + ": problem_type '" + problem +
                    "' is not supported (expected single_label_classification or multi_label_classification)");
    c.multi_label = problem == "multi_label_classification";
    return c;
}

EncoderConfig read_encoder_config(const std::string& path) {
    return encoder_config_from_json(core::read_json_file(path), path);
}

}  // namespace emo::nn
