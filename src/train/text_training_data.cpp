#include "train/text_training_data.hpp"

#include "io/csv.hpp"
#include "io/reader_common.hpp"
#include "train/progress.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

namespace emo::train {

namespace {

namespace fs = std::filesystem;

bool is_dev_split(const std::string& split) { return split == "dev" || split == "valid" || split == "validation"; }

// The records of one split: a file with a `split` column contributes only its train (or dev) rows.
std::vector<TextRecord> read_split(const std::string& path, const TextReadOptions& read, bool dev) {
    auto records = read_texts(path, read);
    const bool has_split = std::any_of(records.begin(), records.end(), [](auto& r) { return !r.split.empty(); });
    if (!has_split) return records;
    std::vector<TextRecord> kept;
    for (auto& r : records)
        if (!r.error.empty() || (dev ? is_dev_split(r.split) : r.split == "train")) kept.push_back(std::move(r));
    if (kept.empty()) throw Error(path + ": no rows with split '" + (dev ? "dev" : "train") + "'");
    return kept;
}

// id -> the target values of one perspective file (CSV with an `id` column and the target columns).
std::unordered_map<std::string, std::vector<float>> read_perspective(const std::string& path,
                                                                     const std::vector<std::string>& targets) {
    const std::string data = io::read_file(path);
    io::CsvReader csv(data, path);
    io::CsvRecord header, record;
    if (!csv.next(header)) throw Error(path + ": empty file");
    auto column = [&](const std::string& name) {
        auto it = std::find(header.fields.begin(), header.fields.end(), name);
        if (it == header.fields.end()) throw Error(path + ": no column '" + name + "'");
        return static_cast<std::size_t>(it - header.fields.begin());
    };
    const std::size_t id_col = column("id");
    std::vector<std::size_t> cols;
    for (const auto& t : targets) cols.push_back(column(t));
    std::unordered_map<std::string, std::vector<float>> out;
    while (csv.next(record)) {
        if (record.fields.size() != header.fields.size())
            throw Error(path + ":" + std::to_string(record.line) + ": expected " + std::to_string(header.fields.size()) +
                        " fields");
        std::vector<float> values;
        for (auto c : cols) {
            const std::string& v = record.fields[c];
            char* end = nullptr;
            const float x = std::strtof(v.c_str(), &end);
            if (v.empty() || *end != '\0' || !std::isfinite(x))
                throw Error(path + ":" + std::to_string(record.line) + ": '" + header.fields[c] + "' is not a number");
            values.push_back(x);
        }
        out[record.fields[id_col]] = std::move(values);
    }
    return out;
}

// Label groups (group -> member labels) from a JSON file such as GoEmotions' ekman_mapping.json. An explicit path
// must exist; the default beside the training file is optional. Members unknown to the model are an error.
std::map<std::string, std::vector<std::string>> read_groups(std::string path, const std::string& train_path,
                                                            const char* default_name,
                                                            const std::vector<std::string>& labels) {
    if (path.empty()) {
        path = (fs::path(train_path).parent_path() / default_name).string();
        if (!fs::is_regular_file(path)) return {};
    }
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot open");
    std::map<std::string, std::vector<std::string>> groups;
    try {
        auto j = nlohmann::json::parse(in);
        groups = j.get<std::map<std::string, std::vector<std::string>>>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": expected a JSON object of label lists: " + e.what());
    }
    for (const auto& [group, members] : groups)
        for (const auto& label : members)
            if (std::find(labels.begin(), labels.end(), label) == labels.end())
                throw Error(path + ": group '" + group + "' names '" + label + "', which is not a label of the data");
    return groups;
}

}  // namespace

TextData load_text_data(const TextTrainOptions& options, text::LinearTextModel& m, bool dev) {
    const std::string& path = dev ? options.dev_path : options.train_path;
    const bool regression = m.task == text::TextTask::regression;
    auto records = read_split(path, options.read, dev);

    if (!dev) {
        if (regression) {
            m.outputs = options.read.target_names;
            for (const auto& [name, file] : options.perspectives)
                for (const auto& t : options.read.target_names) m.outputs.push_back(name + "." + t);
            if (m.outputs.empty()) throw Error("regression needs at least one target column");
        } else {
            std::set<std::string> names;
            for (const auto& r : records) names.insert(r.labels.begin(), r.labels.end());
            m.outputs.assign(names.begin(), names.end());
            if (m.outputs.size() < 2) throw Error(path + ": training needs at least two distinct labels");
            m.ekman = read_groups(options.ekman_path, path, "ekman_mapping.json", m.outputs);
            m.sentiment = read_groups(options.sentiment_path, path, "sentiment_dict.json", m.outputs);
        }
    }
    std::vector<std::unordered_map<std::string, std::vector<float>>> perspectives;
    if (regression)
        for (const auto& [name, file] : options.perspectives)
            perspectives.push_back(read_perspective(file, options.read.target_names));

    TextData data;
    std::size_t skipped = 0;
    const bool skip = options.read.on_error == ErrorPolicy::skip;
    for (auto& r : records) {
        if (!r.error.empty()) {  // only under skip: the reader throws under fail
            ++skipped;
            continue;
        }
        std::string problem;
        if (regression) {
            std::vector<float> targets(r.targets.begin(), r.targets.end());
            for (const auto& p : perspectives) {
                auto it = p.find(r.id);
                for (std::size_t t = 0; t < options.read.target_names.size(); ++t)
                    targets.push_back(it == p.end() ? NAN : it->second[t]);
            }
            if (std::all_of(targets.begin(), targets.end(), [](float v) { return std::isnan(v); }))
                problem = "no target value";
            else
                data.targets.insert(data.targets.end(), targets.begin(), targets.end());
        } else {
            std::vector<std::size_t> set;
            for (const auto& l : r.labels) {
                auto it = std::find(m.outputs.begin(), m.outputs.end(), l);
                if (it == m.outputs.end()) problem = "label '" + l + "' never occurs in the training data";
                else set.push_back(static_cast<std::size_t>(it - m.outputs.begin()));
            }
            if (set.empty() && problem.empty()) problem = "no label";
            if (m.task == text::TextTask::multiclass && set.size() > 1) problem = "several labels in a multiclass task";
            if (problem.empty()) {
                if (m.task == text::TextTask::multiclass) data.labels.push_back(static_cast<int>(set[0]));
                data.label_sets.push_back(std::move(set));
            }
        }
        if (!problem.empty()) {
            if (!skip) throw Error(r.source + ": " + problem);
            ++skipped;
            continue;
        }
        data.texts.push_back(std::move(r.text));
    }
    if (skipped && options.verbose)
        std::fprintf(stderr, "%s: left out %zu unreadable, unlabelled or unrated texts (--on-error skip)\n",
                     path.c_str(), skipped);
    if (data.texts.empty()) throw Error(path + ": no usable texts");
    return data;
}

std::vector<core::SparseRow> encode_all(const text::LinearTextModel& m, const std::vector<std::string>& texts,
                                        bool verbose, Clock::time_point start) {
    // In chunks, so that a checkpoint's embeddings (minutes for a large corpus) report their progress.
    const bool slow = m.encoder->sentence || (m.base && m.base->encoder->sentence);
    const std::size_t chunk = slow ? 2048 : texts.size();
    std::vector<core::SparseRow> rows;
    rows.reserve(texts.size());
    for (std::size_t begin = 0; begin < texts.size(); begin += chunk) {
        const auto end = std::min(texts.size(), begin + chunk);
        auto part = m.head_rows(std::vector<std::string_view>(texts.begin() + begin, texts.begin() + end));
        std::move(part.begin(), part.end(), std::back_inserter(rows));
        if (slow) progress(verbose, start, "sentence embeddings: %zu of %zu texts", end, texts.size());
    }
    return rows;
}

}  // namespace emo::train
