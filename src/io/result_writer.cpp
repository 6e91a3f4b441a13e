// Result output: one JSON object per line, or CSV rows with one score column per label.
#include <cmath>
#include <cstdio>

#include <utf8proc.h>
#include <nlohmann/json.hpp>

#include "emo/dynamics.hpp"
#include "emo/emo.hpp"
#include "emo/faces.hpp"
#include "io/csv.hpp"
#include "io/result_json.hpp"

namespace emo {
namespace io {
namespace {

using ordered_json = nlohmann::ordered_json;

// Rounds for output; adding 0.0 turns -0.0 into 0.0 so that tiny negative weights do not print as "-0.0".
double round_to(double value, double scale) {
    return std::isfinite(value) ? std::round(value * scale) / scale + 0.0 : value;
}

ordered_json rounded_scores(const std::map<std::string, double>& scores) {
    ordered_json out = ordered_json::object();
    for (const auto& [label, p] : scores) out[label] = round_to(p, 1e4);
    return out;
}

// Results carry validated text, but a CSV file must stay UTF-8 whatever happens: bad bytes become U+FFFD.
std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
    while (left > 0) {
        utf8proc_int32_t cp;
        const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 0) {
            out += "\xEF\xBF\xBD";
            ++p;
            --left;
            continue;
        }
        out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        p += n;
        left -= n;
    }
    return out;
}

ordered_json evidence_json(const std::vector<EvidenceItem>& items) {
    ordered_json evidence = ordered_json::array();
    for (const EvidenceItem& item : items) {
        ordered_json e;
        if (!item.label.empty()) e["label"] = item.label;
        e["cue"] = item.cue;
        e["weight"] = round_to(item.weight, 1e3);
        evidence.push_back(std::move(e));
    }
    return evidence;
}

// Causes as docs/schema.md shows them; candidates (which carry no span) only get index and score.
ordered_json causes_json(const std::vector<Cause>& causes, bool with_spans) {
    ordered_json out = ordered_json::array();
    for (const auto& c : causes) {
        ordered_json j;
        j["index"] = c.index;
        j["score"] = round_to(c.score, 1e4);
        if (with_spans) {
            j["span"] = c.span;
            j["start"] = c.start;
            j["end"] = c.end;
        }
        out.push_back(std::move(j));
    }
    return out;
}

void append_field(std::string& out, std::string_view field, bool first = false) {
    if (!first) out.push_back(',');
    append_csv_field(out, valid_utf8(field));
}

}  // namespace
}  // namespace io

namespace io {

ordered_json json_value(const Result& result) {
    ordered_json j;
    j["dialogue_id"] = result.dialogue_id;
    j["index"] = result.index;
    j["speaker"] = result.speaker;
    j["text"] = result.text;
    if (!result.error.empty()) {
        j["error"] = result.error;
    } else {
        j["emotion"] = result.emotion;
        j["scores"] = io::rounded_scores(result.scores);
        // A model without a sentiment head has nothing to say here, so the field is left out.
        if (!result.sentiment.empty() || !result.sentiment_scores.empty()) {
            io::ordered_json sentiment;
            sentiment["label"] = result.sentiment;
            sentiment["scores"] = io::rounded_scores(result.sentiment_scores);
            j["sentiment"] = std::move(sentiment);
        }
        j["evidence"] = io::evidence_json(result.evidence);
        if (!result.gold.empty()) j["gold"] = result.gold;
        if (result.causes) j["causes"] = io::causes_json(*result.causes, true);
        if (!result.cause_candidates.empty()) j["candidates"] = io::causes_json(result.cause_candidates, false);
    }
    return j;
}

ordered_json json_value(const TextResult& result) {
    ordered_json j;
    if (!result.id.empty()) j["id"] = result.id;
    j["text"] = result.text;
    if (!result.error.empty()) {
        j["error"] = result.error;
        return j;
    }
    if (!result.scores.empty()) {
        j["labels"] = result.labels;
        j["scores"] = io::rounded_scores(result.scores);
        if (!result.ekman.empty()) j["ekman"] = result.ekman;
        if (!result.sentiment.empty()) j["sentiment"] = result.sentiment;
    }
    if (!result.vad.empty()) {
        // One perspective prints flat ({"valence": ...}); several nest by perspective.
        io::ordered_json vad;
        for (const auto& [perspective, values] : result.vad) {
            io::ordered_json v;
            for (const char* d : {"valence", "arousal", "dominance"})
                if (auto it = values.find(d); it != values.end()) v[d] = io::round_to(it->second, 1e3);
            for (const auto& [name, value] : values)
                if (!v.contains(name)) v[name] = io::round_to(value, 1e3);
            if (perspective.empty())
                vad = std::move(v);
            else
                vad[perspective] = std::move(v);
        }
        j["vad"] = std::move(vad);
    }
    if (!result.scores.empty()) j["evidence"] = io::evidence_json(result.evidence);
    return j;
}

ordered_json json_value(const AudioResult& result) {
    ordered_json j;
    j["file"] = result.file;
    if (result.start) j["start"] = io::round_to(*result.start, 1e3);
    if (result.end) j["end"] = io::round_to(*result.end, 1e3);
    if (!result.speaker.empty()) j["speaker"] = result.speaker;
    if (!result.error.empty()) {
        j["error"] = result.error;
        return j;
    }
    j["emotion"] = result.emotion;
    j["scores"] = io::rounded_scores(result.scores);
    if (!result.vad.empty()) {
        io::ordered_json vad;
        for (const char* d : {"valence", "arousal"})
            if (auto it = result.vad.find(d); it != result.vad.end()) vad[d] = io::round_to(it->second, 1e3);
        vad["derived_from"] = "class probabilities";
        j["vad"] = std::move(vad);
    }
    j["baseline"] = result.baseline;
    j["evidence"] = io::evidence_json(result.evidence);
    if (!result.gold.empty()) j["gold"] = result.gold;
    return j;
}

}  // namespace io

// dump() throws on invalid UTF-8 by default; replacing keeps one bad string from losing the whole record.
std::string to_json(const Result& result) {
    return io::json_value(result).dump(-1, ' ', false, io::ordered_json::error_handler_t::replace);
}
std::string to_json(const TextResult& result) {
    return io::json_value(result).dump(-1, ' ', false, io::ordered_json::error_handler_t::replace);
}
std::string to_json(const AudioResult& result) {
    return io::json_value(result).dump(-1, ' ', false, io::ordered_json::error_handler_t::replace);
}

namespace {

// A face box in pixels, to 0.1 px.
io::ordered_json box_json(const FaceBox& box) {
    return {{"x", io::round_to(box.x, 10)},
            {"y", io::round_to(box.y, 10)},
            {"width", io::round_to(box.width, 10)},
            {"height", io::round_to(box.height, 10)}};
}

}  // namespace

std::string to_json(const FaceResult& result) {
    io::ordered_json j;
    j["file"] = result.file;
    if (result.time) j["time"] = io::round_to(*result.time, 1e3);
    if (!result.error.empty()) {
        j["error"] = result.error;
        return j.dump(-1, ' ', false, io::ordered_json::error_handler_t::replace);
    }
    j["width"] = result.width;
    j["height"] = result.height;
    io::ordered_json faces = io::ordered_json::array();
    for (const Face& f : result.faces) {
        io::ordered_json face;
        face["box"] = box_json(f.box);
        face["score"] = io::round_to(f.score, 1e4);
        if (!f.landmarks.empty()) {
            io::ordered_json landmarks;
            for (const auto& l : f.landmarks) landmarks[l.name] = {io::round_to(l.x, 10), io::round_to(l.y, 10)};
            face["landmarks"] = std::move(landmarks);
        }
        face["emotion"] = f.emotion;
        face["scores"] = io::rounded_scores(f.scores);
        face["evidence"] = io::evidence_json(f.evidence);
        if (f.track) face["track"] = *f.track;
        faces.push_back(std::move(face));
    }
    j["faces"] = std::move(faces);
    return j.dump(-1, ' ', false, io::ordered_json::error_handler_t::replace);
}

std::string to_json(const FaceTrack& track) {
    io::ordered_json j;
    j["file"] = track.file;
    j["track"] = track.track;
    j["start"] = io::round_to(track.start, 1e3);
    j["end"] = io::round_to(track.end, 1e3);
    j["frames"] = track.frames;
    j["box"] = box_json(track.box);
    j["score"] = io::round_to(track.score, 1e4);
    j["emotion"] = track.emotion;
    j["scores"] = io::rounded_scores(track.scores);
    j["frame_emotions"] = track.frame_emotions;
    return j.dump(-1, ' ', false, io::ordered_json::error_handler_t::replace);
}

namespace io {

ordered_json json_value(const ConversationDynamics& dynamics) {
    ordered_json j;
    j["dialogue_id"] = dynamics.dialogue_id;
    j["smoothing"] = dynamics.smoothing;
    io::ordered_json speakers = io::ordered_json::array();
    for (const SpeakerDynamics& s : dynamics.speakers) {
        io::ordered_json speaker;
        speaker["speaker"] = s.speaker;
        io::ordered_json turns = io::ordered_json::array();
        for (const DynamicsTurn& t : s.turns)
            turns.push_back({{"index", t.index},
                             {"emotion", t.emotion},
                             {"valence", io::round_to(t.valence, 1e3)},
                             {"arousal", io::round_to(t.arousal, 1e3)},
                             {"running_valence", io::round_to(t.running_valence, 1e3)},
                             {"running_arousal", io::round_to(t.running_arousal, 1e3)}});
        speaker["turns"] = std::move(turns);
        io::ordered_json transitions = io::ordered_json::object();
        for (const auto& [from, row] : s.transitions)
            for (const auto& [to, count] : row) transitions[from][to] = count;
        speaker["transitions"] = std::move(transitions);
        io::ordered_json shifts = io::ordered_json::array();
        for (const EmotionShift& shift : s.shifts)
            shifts.push_back({{"index", shift.index}, {"from", shift.from}, {"to", shift.to}});
        speaker["shifts"] = std::move(shifts);
        speakers.push_back(std::move(speaker));
    }
    j["speakers"] = std::move(speakers);
    return j;
}

std::string dialogue_output(const std::vector<Result>& results, const std::vector<std::string>* csv_labels,
                            bool dynamics) {
    std::string out;
    for (const auto& r : results) out += csv_labels ? to_csv_row(r, *csv_labels) : to_json(r) + '\n';
    if (dynamics) out += "{\"dynamics\":" + to_json(conversation_dynamics(results)) + "}\n";
    return out;
}

}  // namespace io

std::string to_json(const ConversationDynamics& dynamics) {
    return io::json_value(dynamics).dump(-1, ' ', false, io::ordered_json::error_handler_t::replace);
}

std::string csv_header(const std::vector<std::string>& labels) {
    std::string out = "dialogue_id,index,speaker,text,emotion,sentiment";
    for (const std::string& label : labels) io::append_field(out, "score_" + label);
    out += ",error\n";
    return out;
}

std::string to_csv_row(const Result& result, const std::vector<std::string>& labels) {
    std::string out;
    io::append_field(out, result.dialogue_id, true);
    out += ',' + std::to_string(result.index);
    io::append_field(out, result.speaker);
    io::append_field(out, result.text);
    const bool ok = result.error.empty();
    io::append_field(out, ok ? result.emotion : "");
    io::append_field(out, ok ? result.sentiment : "");
    for (const std::string& label : labels) {
        out.push_back(',');
        const auto it = result.scores.find(label);
        if (!ok || it == result.scores.end()) continue;
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.4f", it->second);
        out += buffer;
    }
    io::append_field(out, result.error);
    out.push_back('\n');
    return out;
}

}  // namespace emo
