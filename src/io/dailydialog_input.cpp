// DailyDialog input: the dialogues file and the emotion labels of its sibling file.
#include "io/dailydialog_input.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

namespace emo::io {
namespace {

// DailyDialog's emotion ids under MELD's names, so that the two label sets line up: 0 "no emotion" is neutral and
// 4 "happiness" is joy; 1 anger, 2 disgust, 3 fear, 5 sadness and 6 surprise keep their names.
constexpr std::array<const char*, 7> dailydialog_labels = {"neutral", "anger", "disgust", "fear",
                                                           "joy",     "sadness", "surprise"};

std::vector<std::string_view> split_lines(std::string_view data) {
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos < data.size();) {
        std::size_t nl = data.find('\n', pos);
        if (nl == std::string_view::npos) nl = data.size();
        lines.push_back(data.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return lines;
}

// Parses one line of emotion ids; returns what is wrong with it, empty when it fits `count` utterances.
std::string dailydialog_line_labels(std::string_view line, std::size_t count, std::vector<const char*>& labels) {
    labels.clear();
    for (std::size_t pos = 0;;) {
        pos = line.find_first_not_of(" \t\r", pos);
        if (pos == std::string_view::npos) break;
        const std::size_t end = std::min(line.find_first_of(" \t\r", pos), line.size());
        const std::string_view id = line.substr(pos, end - pos);
        if (id.size() != 1 || id[0] < '0' || id[0] > '6')
            return "unknown emotion id \"" + shorten(id, 20) + "\"";
        labels.push_back(dailydialog_labels[static_cast<std::size_t>(id[0] - '0')]);
        pos = end;
    }
    if (labels.size() != count)
        return std::to_string(count) + " utterances but " + std::to_string(labels.size()) + " emotion labels";
    return {};
}

}  // namespace

bool is_dailydialog_name(const std::string& name) {
    const std::string file = std::filesystem::path(name).filename().string();
    return file.starts_with("dialogues_") && file.ends_with(".txt") && !file.starts_with("dialogues_emotion_") &&
           !file.starts_with("dialogues_act_");
}

std::optional<std::string> dailydialog_emotion_file(const std::string& name) {
    if (!is_dailydialog_name(name)) return std::nullopt;
    const std::filesystem::path path(name);
    const std::string file = path.filename().string();
    const auto emotion = path.parent_path() / ("dialogues_emotion_" + file.substr(std::strlen("dialogues_")));
    std::error_code ec;
    if (!std::filesystem::exists(emotion, ec)) return std::nullopt;
    return emotion.string();
}

void read_dailydialog(Reader& r, std::string_view data, const std::optional<std::string>& emotion_name,
                      std::string_view emotions) {
    const std::vector<std::string_view> label_lines = split_lines(emotions);
    const std::vector<std::string_view> lines = split_lines(data);
    constexpr std::string_view eou = "__eou__";
    std::vector<std::string_view> parts;
    std::vector<const char*> labels;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (trim(lines[i]).empty()) continue;
        parts.clear();
        for (std::size_t pos = 0;;) {
            const std::size_t end = lines[i].find(eou, pos);
            if (end == std::string_view::npos) {
                // Every utterance ends with __eou__; text after the last marker is one more utterance.
                if (!trim(lines[i].substr(pos)).empty()) parts.push_back(lines[i].substr(pos));
                break;
            }
            parts.push_back(lines[i].substr(pos, end - pos));
            pos = end + eou.size();
        }
        const std::string source = place(r.name, i + 1);
        bool labelled = false;
        if (emotion_name) {
            const std::string problem = dailydialog_line_labels(i < label_lines.size() ? label_lines[i] : "",
                                                                parts.size(), labels);
            // The text is fine even when its labels are not (train line 7852 has one label too few), so under skip
            // the dialogue is kept unlabelled rather than marked as an error.
            if (!problem.empty() && r.policy == ErrorPolicy::fail)
                fail(source, problem + " in " + place(*emotion_name, i + 1));
            labelled = problem.empty();
        }
        const std::string id = std::to_string(i);
        r.builder.touch(id);
        for (std::size_t j = 0; j < parts.size(); ++j) {
            r.record(source, [&](Parsed& p) {
                p.dialogue_id = id;
                p.utterance.speaker.assign(1, j % 2 == 0 ? 'A' : 'B');  // assign(const char*) trips GCC 12's -Wrestrict
                if (!valid_utf8(parts[j])) fail(source, "invalid UTF-8 in utterance #" + std::to_string(j + 1));
                p.utterance.text = std::string(trim(parts[j]));
                if (p.utterance.text.empty()) fail(source, "empty utterance (#" + std::to_string(j + 1) + ")");
                if (labelled) p.utterance.label = labels[j];
            });
        }
    }
}

}  // namespace emo::io
