// RECCON input: the original annotation files (declare-lab/RECCON data/original_annotation/*.json).
#include "io/reccon_input.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/json_lines.hpp"

namespace emo::io {
namespace {

using nlohmann::json;

const std::string evidence_field = "expanded emotion cause evidence";
const std::string span_field = "expanded emotion cause span";

// Stops the parse as soon as the first utterance object closes (or the shape is wrong), so that detection costs
// a few hundred bytes of a multi-megabyte file.
class RecconProbe : public nlohmann::json_sax<json> {
public:
    bool found = false;

    bool null() override { return scalar(); }
    bool boolean(bool) override { return scalar(); }
    bool number_integer(number_integer_t) override { return scalar(); }
    bool number_unsigned(number_unsigned_t) override { return scalar(); }
    bool number_float(number_float_t, const string_t&) override { return scalar(); }
    bool string(string_t&) override { return scalar(); }
    bool binary(binary_t&) override { return scalar(); }
    bool key(string_t& k) override {
        if (depth_ == shape.size()) {
            turn_ = turn_ || k == "turn";
            utterance_ = utterance_ || k == "utterance";
        }
        return true;
    }
    bool start_object(std::size_t) override { return open('{'); }
    bool start_array(std::size_t) override { return open('['); }
    bool end_object() override {
        if (depth_ == shape.size()) {
            found = turn_ && utterance_;
            return false;
        }
        return close();
    }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&, const json::exception&) override { return false; }

private:
    // The containers on the way to the first utterance: the file's object, a dialogue's list, its one inner list,
    // an utterance object. Inside the utterance anything goes; a scalar above it means another format.
    static constexpr std::string_view shape = "{[[{";
    bool open(char kind) {
        if (depth_ < shape.size() && shape[depth_] != kind) return false;
        ++depth_;
        return true;
    }
    bool close() { return --depth_ > 0; }
    bool scalar() const { return depth_ >= shape.size(); }

    std::size_t depth_ = 0;
    bool turn_ = false;
    bool utterance_ = false;
};

// RECCON's DailyDialog dialogues are named tr_/va_/te_ after their DailyDialog split; its IEMOCAP dialogues are not.
bool is_dailydialog_id(std::string_view id) {
    return id.starts_with("tr_") || id.starts_with("va_") || id.starts_with("te_");
}

// The stray labels of RECCON's DailyDialog files (SOURCE.md) under DailyDialog's own names. Only DailyDialog
// dialogues are normalised, by id rather than by label frequency: happy, sad, angry and excited are regular labels
// of the IEMOCAP file, and a frequency threshold would treat a small file differently from a large one.
std::string dailydialog_label(std::string label) {
    static constexpr std::pair<std::string_view, std::string_view> strays[] = {
        {"happines", "happiness"}, {"happy", "happiness"},  {"excited", "happiness"},
        {"angry", "anger"},        {"sad", "sadness"},      {"surprised", "surprise"}};
    for (const auto& [stray, name] : strays)
        if (label == stray) return std::string(name);
    return label;
}

std::string optional_string(const json& object, const std::string& field, const std::string& source) {
    const auto it = object.find(field);
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_string()) fail(source, field + " must be a string");
    return std::string(trim(it->get_ref<const std::string&>()));
}

// An integer JSON value as int64, when it is one and fits.
std::optional<std::int64_t> integer(const json& v) {
    if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<std::int64_t>();
    if (v.is_number_unsigned() && v.get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max())
        return static_cast<std::int64_t>(v.get<std::uint64_t>());
    return std::nullopt;
}

// The causes of one utterance. Turns become 0-based indices as written, even past the dialogue or after the
// target (the consumers validate); turns below 1 are refused because index -1 means latent.
void read_causes(const json& object, Utterance& u, const std::string& source) {
    const auto evidence = object.find(evidence_field);
    const auto spans = object.find(span_field);
    const bool has_spans = spans != object.end() && !spans->is_null();
    if (evidence == object.end() || evidence->is_null()) {
        if (has_spans) fail(source, span_field + " without " + evidence_field);
        return;
    }
    if (!evidence->is_array()) fail(source, evidence_field + " must be a list");
    if (has_spans && !spans->is_array()) fail(source, span_field + " must be a list");
    if (has_spans && spans->size() > evidence->size())
        fail(source, span_field + " has " + std::to_string(spans->size()) + " items but " + evidence_field +
                         " has " + std::to_string(evidence->size()));
    std::vector<CauseAnnotation> causes;
    for (std::size_t i = 0; i < evidence->size(); ++i) {
        const json& item = (*evidence)[i];
        CauseAnnotation cause;
        if (item.is_string() && item.get_ref<const std::string&>() == "b") {
            cause.index = CauseAnnotation::latent;
        } else if (const auto turn = integer(item); turn && *turn >= 1) {
            cause.index = static_cast<long>(*turn - 1);
        } else {
            fail(source, evidence_field + "[" + std::to_string(i) + "] must be a turn number (from 1) or \"b\"");
        }
        if (has_spans && i < spans->size()) {
            const json& span = (*spans)[i];
            if (!span.is_string()) fail(source, span_field + "[" + std::to_string(i) + "] must be a string");
            cause.span = std::string(trim(span.get_ref<const std::string&>()));
            // RECCON writes "b" as the span of a latent cause too: a placeholder, not text of any utterance.
            if (cause.index == CauseAnnotation::latent && cause.span == "b") cause.span.clear();
        }
        causes.push_back(std::move(cause));
    }
    u.causes = std::move(causes);
    u.causes_annotated = true;
}

// One utterance object. `used[t]` marks turns already taken: with every turn unique and within 1..n, the turns are
// exactly 1..n, so that a cause's turn - 1 is the position of its utterance.
void read_utterance(const json& object, bool dailydialog, std::vector<bool>& used, Parsed& p) {
    const std::string& source = p.utterance.source;
    if (!object.is_object()) fail(source, "expected a JSON object for the utterance");
    const auto turn_it = object.find("turn");
    if (turn_it == object.end()) fail(source, "missing field turn");
    const std::size_t n = used.size() - 1;
    const std::optional<std::int64_t> turn = integer(*turn_it);
    if (!turn || *turn < 1 || static_cast<std::uint64_t>(*turn) > n)
        fail(source, "turn must be an integer from 1 to " + std::to_string(n) + " (the dialogue's utterances), not " +
                         shorten(turn_it->dump(), 40));
    p.order = static_cast<double>(*turn);  // even a repeated turn: its error then sits beside its twin
    if (used[static_cast<std::size_t>(*turn)]) fail(source, "turn " + std::to_string(*turn) + " occurs twice");
    used[static_cast<std::size_t>(*turn)] = true;

    p.utterance.speaker = optional_string(object, "speaker", source);
    if (!object.contains("utterance")) fail(source, "missing field utterance");
    p.utterance.text = optional_string(object, "utterance", source);
    if (p.utterance.text.empty()) fail(source, "empty utterance");
    p.utterance.label = optional_string(object, "emotion", source);
    if (dailydialog) p.utterance.label = dailydialog_label(std::move(p.utterance.label));
    read_causes(object, p.utterance, source);
}

void read_dialogue(Reader& r, const std::string& key, const json& value, std::size_t line) {
    const std::string source = place(r.name, line);
    const std::string id(trim(key));
    if (id.empty()) return r.add_error("", source, source + ": empty dialogue id");
    // RECCON wraps each dialogue's utterance list in a list of its own, always of one.
    if (!value.is_array() || value.size() != 1 || !value[0].is_array())
        return r.add_error(id, source, source + ": dialogue \"" + shorten(id, 40) +
                                           "\" must be a list holding one list of utterances");
    const json& utterances = value[0];
    r.builder.touch(id);
    std::vector<bool> used(utterances.size() + 1);
    const bool dailydialog = is_dailydialog_id(id);
    for (const json& item : utterances) {
        r.record(place(r.name, object_line(item, line)), [&](Parsed& p) {
            p.dialogue_id = id;
            read_utterance(item, dailydialog, used, p);
        });
    }
}

}  // namespace

bool looks_like_reccon(std::string_view data) {
    RecconProbe probe;
    try {
        json::sax_parse(data.begin(), data.end(), &probe);
    } catch (const json::exception&) {
        return false;
    }
    return probe.found;
}

void read_reccon(Reader& r, std::string_view data) {
    if (const std::size_t bad = valid_utf8_prefix(data); bad != data.size())
        fail(place(r.name, line_at(data, bad)), "invalid UTF-8");
    const std::size_t begin = std::min(data.find_first_not_of(" \t\r\n"), data.size());
    const std::size_t line = line_at(data, begin);
    const LinedJson document = parse_with_lines(data, begin, data.size(), line, r.name);
    if (!document.value.is_object())
        fail(place(r.name, line), "expected a JSON object mapping dialogue ids to dialogues");
    // JSON keeps one value per key, so a repeated id would silently lose a dialogue: it is a bad record instead.
    std::unordered_set<std::string> seen;
    for (const auto& [key, key_line] : document.root_keys) {
        const std::string id(trim(key));
        if (!id.empty() && !seen.insert(id).second) {
            const std::string source = place(r.name, key_line);
            r.add_error(id, source, source + ": dialogue id \"" + shorten(id, 40) + "\" occurs more than once");
            continue;
        }
        const auto it = document.value.find(key);
        if (it != document.value.end()) read_dialogue(r, key, *it, key_line);
    }
}

}  // namespace emo::io
