// Conversations: the model, the cause model, reading files into columns and analysing columns of utterances.
#include "bindings.hpp"
#include "convert.hpp"
#include "io/result_json.hpp"

#include <emo/emo.hpp>

#include <pybind11/stl.h>

#include <unordered_map>

namespace emo::python {

namespace {

// The columns of one table of utterances; optional ones may be None.
struct Columns {
    std::vector<std::string> dialogue_id, speaker, text, label, sentiment, source, error;
};

std::vector<std::string> optional_column(const py::object& column, const char* name, std::size_t rows) {
    if (column.is_none()) return std::vector<std::string>(rows);
    auto values = strings_of(column, name, true);
    if (values.size() != rows)
        throw py::value_error(std::string(name) + ": " + std::to_string(values.size()) + " rows, the text column has " +
                              std::to_string(rows));
    return values;
}

// Dialogues in the order of their first row, rows in their order within each.
std::vector<Conversation> conversations_of(const Columns& c) {
    std::vector<Conversation> out;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t row = 0; row < c.text.size(); ++row) {
        auto [it, added] = index.try_emplace(c.dialogue_id[row], out.size());
        if (added) out.push_back(Conversation{c.dialogue_id[row], {}});
        Utterance u;
        u.speaker = c.speaker[row];
        u.text = c.text[row];
        u.label = c.label[row];
        u.sentiment = c.sentiment[row];
        u.source = c.source[row].empty() ? "row " + std::to_string(row) : c.source[row];
        u.error = c.error[row];
        out[it->second].utterances.push_back(std::move(u));
    }
    return out;
}

py::dict read_columns(const std::string& path, const std::string& format, const std::string& on_error) {
    ReadOptions read;
    read.format = parse_input_format(format);
    if (on_error != "fail" && on_error != "skip")
        throw py::value_error("on_error: expected 'fail' or 'skip', got '" + on_error + "'");
    read.on_error = on_error == "skip" ? ErrorPolicy::skip : ErrorPolicy::fail;
    std::vector<Conversation> conversations;
    {
        py::gil_scoped_release release;
        conversations = read_conversations(path, read);
    }
    Columns c;
    for (const auto& conversation : conversations)
        for (const auto& u : conversation.utterances) {
            c.dialogue_id.push_back(conversation.id);
            c.speaker.push_back(u.speaker);
            c.text.push_back(u.text);
            c.label.push_back(u.label);
            c.sentiment.push_back(u.sentiment);
            c.source.push_back(u.source);
            c.error.push_back(u.error);
        }
    py::dict out;
    out["dialogue_id"] = c.dialogue_id;
    out["speaker"] = c.speaker;
    out["text"] = c.text;
    out["label"] = c.label;
    out["sentiment"] = c.sentiment;
    out["source"] = c.source;
    out["error"] = c.error;
    return out;
}

// The columns as given from Python: dialogue_id and text required, the others may be None.
Columns columns_of(const py::object& dialogue_id, const py::object& speaker, const py::object& text,
                   const py::object& label, const py::object& sentiment, const py::object& source,
                   const py::object& error) {
    Columns c;
    c.text = strings_of(text, "text");
    c.dialogue_id = strings_of(dialogue_id, "dialogue_id");
    c.speaker = strings_of(speaker, "speaker", true);
    if (c.dialogue_id.size() != c.text.size() || c.speaker.size() != c.text.size())
        throw py::value_error("dialogue_id, speaker and text must have as many rows (" +
                              std::to_string(c.dialogue_id.size()) + ", " + std::to_string(c.speaker.size()) + ", " +
                              std::to_string(c.text.size()) + ")");
    c.label = optional_column(label, "label", c.text.size());
    c.sentiment = optional_column(sentiment, "sentiment", c.text.size());
    c.source = optional_column(source, "source", c.text.size());
    c.error = optional_column(error, "error", c.text.size());
    return c;
}

// output "records": (records, dynamics records or None); "jsonl" or "csv": (the text `emo conv` writes for them,
// without CSV's header line, None).
py::tuple analyze_columns(const Model& model, const CauseModel* causes, const py::object& dialogue_id,
                          const py::object& speaker, const py::object& text, const py::object& label,
                          const py::object& sentiment, const py::object& source, const py::object& error, bool online,
                          std::size_t evidence, std::size_t context, bool candidates, bool gold_emotions, bool dynamics,
                          const std::string& output, unsigned threads) {
    if (output != "records" && output != "jsonl" && output != "csv")
        throw py::value_error("output: expected 'records', 'jsonl' or 'csv', got '" + output + "'");
    const auto conversations =
        conversations_of(columns_of(dialogue_id, speaker, text, label, sentiment, source, error));
    ConvOptions options;
    options.online = online;
    options.max_evidence = evidence;
    options.checkpoint_context = context;
    CauseOptions cause_options;
    cause_options.candidates = candidates;
    cause_options.gold_emotions = gold_emotions;
    std::vector<std::vector<Result>> results(conversations.size());
    parallel_for(conversations.size(), threads, [&](std::size_t i) {
        results[i] = model.analyze(conversations[i], options);
        if (causes) causes->find_causes(conversations[i], results[i], cause_options);
    });
    if (output != "records") {
        std::string out;
        for (const auto& dialogue : results)
            out += io::dialogue_output(dialogue, output == "csv" ? &model.labels() : nullptr, dynamics);
        return py::make_tuple(out, py::none());
    }
    const GcPaused paused;
    py::list records;
    py::list dynamics_records;
    for (const auto& dialogue : results) {
        for (const auto& r : dialogue) records.append(to_python(io::json_value(r)));
        if (dynamics) dynamics_records.append(to_python(io::json_value(conversation_dynamics(dialogue))));
    }
    return py::make_tuple(records, dynamics ? py::object(dynamics_records) : py::object(py::none()));
}

}  // namespace

void bind_conversations(py::module_& m) {
    py::class_<Model>(m, "ConversationModel")
        .def_static(
            "load",
            [](const std::string& directory, const std::string& quantize, bool occlusion, int threads) {
                const auto options = checkpoint_options(quantize, occlusion, threads);
                py::gil_scoped_release release;
                return Model::load(directory, options);
            },
            py::arg("directory"), py::arg("quantize") = "none", py::arg("occlusion") = false, py::arg("threads") = 0)
        .def_static("default_directory", &Model::default_directory)
        .def_property_readonly("labels", &Model::labels)
        .def_property_readonly("sentiment_labels", &Model::sentiment_labels)
        .def(
            "csv_header", [](const Model& model) { return csv_header(model.labels()); },
            "The header line of the CLI's --output csv");
    py::class_<CauseModel>(m, "CauseModel")
        .def_static(
            "load",
            [](const std::string& directory) {
                py::gil_scoped_release release;
                return CauseModel::load(directory);
            },
            py::arg("directory"))
        .def_static("default_directory", &CauseModel::default_directory)
        .def_property_readonly("threshold", &CauseModel::threshold);
    m.def("read_conversations", &read_columns, py::arg("path"), py::arg("format") = "auto",
          py::arg("on_error") = "fail");
    m.def("analyze_conversations", &analyze_columns, py::arg("model"), py::arg("causes"), py::arg("dialogue_id"),
          py::arg("speaker"), py::arg("text"), py::arg("label"), py::arg("sentiment"), py::arg("source"),
          py::arg("error"), py::arg("online"), py::arg("evidence"), py::arg("context"), py::arg("candidates"),
          py::arg("gold_emotions"), py::arg("dynamics"), py::arg("output"), py::arg("threads"));
}

}  // namespace emo::python
