// The trainers (each writes a model directory, as `emo train` does) and the evaluation reports (as the dicts of their
// JSON form).
#include "bindings.hpp"
#include "convert.hpp"

#include <emo/emo.hpp>

#include <pybind11/stl.h>

#include <sstream>

namespace emo::python {

namespace {

ReadOptions read_options(const std::string& format) {
    ReadOptions read;
    read.format = parse_input_format(format);
    return read;
}

py::object report(const std::string& json) { return to_python(nlohmann::ordered_json::parse(json)); }

}  // namespace

void bind_training(py::module_& m) {
    m.def(
        "train_conversation",
        [](const std::string& train, const std::string& dev, const std::string& out, const std::string& format,
           const std::string& vectors, double stage1_c, double stage2_c, unsigned seed, unsigned threads,
           bool verbose) {
            TrainOptions o;
            o.train_path = train;
            o.dev_path = dev;
            o.out_dir = out;
            o.read = read_options(format);
            o.vectors_path = vectors;
            o.stage1_c = stage1_c;
            o.stage2_c = stage2_c;
            o.seed = seed;
            o.threads = threads;
            o.verbose = verbose;
            py::gil_scoped_release release;
            train_conversation_model(o);
        },
        py::arg("train"), py::arg("dev"), py::arg("out"), py::arg("format"), py::arg("vectors"), py::arg("stage1_c"),
        py::arg("stage2_c"), py::arg("seed"), py::arg("threads"), py::arg("verbose"));

    m.def(
        "train_text",
        [](const std::string& task, const std::string& train, const std::string& dev, const std::string& out,
           const std::string& format, const std::vector<std::string>& targets, const std::string& vectors,
           const std::string& base, double c, unsigned hash_bits, unsigned min_df, const std::string& class_weight,
           unsigned folds, unsigned seed, unsigned threads, bool verbose) {
            TextTrainOptions o;
            o.task = task;
            o.train_path = train;
            o.dev_path = dev;
            o.out_dir = out;
            o.read.format = parse_text_format(format);
            o.read.target_names = targets;
            o.vectors_path = vectors;
            o.base_dir = base;
            o.c = c;
            o.hash_bits = hash_bits;
            o.min_df = min_df;
            o.class_weight = class_weight;
            o.folds = folds;
            o.seed = seed;
            o.threads = threads;
            o.verbose = verbose;
            py::gil_scoped_release release;
            train_text_model(o);
        },
        py::arg("task"), py::arg("train"), py::arg("dev"), py::arg("out"), py::arg("format"), py::arg("targets"),
        py::arg("vectors"), py::arg("base"), py::arg("c"), py::arg("hash_bits"), py::arg("min_df"),
        py::arg("class_weight"), py::arg("folds"), py::arg("seed"), py::arg("threads"), py::arg("verbose"));

    m.def(
        "train_causes",
        [](const std::string& train, const std::string& valid, const std::string& out, const std::string& format,
           const std::string& emotion_model, double c_pair, double c_span, unsigned folds, unsigned seed,
           unsigned threads, bool verbose) {
            CauseTrainOptions o;
            o.train_path = train;
            o.valid_path = valid;
            o.out_dir = out;
            o.read = read_options(format);
            o.emotion_model_dir = emotion_model;
            o.c_pair = c_pair;
            o.c_span = c_span;
            o.folds = folds;
            o.seed = seed;
            o.threads = threads;
            o.verbose = verbose;
            py::gil_scoped_release release;
            train_cause_model(o);
        },
        py::arg("train"), py::arg("valid"), py::arg("out"), py::arg("format"), py::arg("emotion_model"),
        py::arg("c_pair"), py::arg("c_span"), py::arg("folds"), py::arg("seed"), py::arg("threads"),
        py::arg("verbose"));

    m.def(
        "train_speech",
        [](const std::string& data, const std::string& out, double c, unsigned folds,
           const std::vector<double>& augment, unsigned threads, bool verbose) {
            AudioTrainOptions o;
            o.data_path = data;
            o.out_dir = out;
            o.c = c;
            o.folds = folds;
            o.augment = augment;
            o.threads = threads;
            o.verbose = verbose;
            py::gil_scoped_release release;
            train_speech_model(o);
        },
        py::arg("data"), py::arg("out"), py::arg("c"), py::arg("folds"), py::arg("augment"), py::arg("threads"),
        py::arg("verbose"));

    m.def(
        "evaluate",
        [](const std::vector<std::string>& gold, const std::vector<std::string>& predicted,
           const std::vector<std::string>& labels) {
            if (gold.size() != predicted.size())
                throw py::value_error("gold has " + std::to_string(gold.size()) + " labels, predicted " +
                                      std::to_string(predicted.size()));
            return report(to_json(evaluate(gold, predicted, labels)));
        },
        py::arg("gold"), py::arg("predicted"), py::arg("labels"));
    m.def(
        "evaluate_multilabel",
        [](const std::vector<std::vector<std::size_t>>& gold, const std::vector<std::vector<std::size_t>>& predicted,
           const std::vector<std::string>& labels) {
            if (gold.size() != predicted.size())
                throw py::value_error("gold has " + std::to_string(gold.size()) + " label sets, predicted " +
                                      std::to_string(predicted.size()));
            return report(to_json(evaluate_multilabel(gold, predicted, labels)));
        },
        py::arg("gold"), py::arg("predicted"), py::arg("labels"));
    m.def(
        "evaluate_regression",
        [](const std::vector<std::vector<double>>& gold, const std::vector<std::vector<double>>& predicted,
           const std::vector<std::string>& names) {
            if (gold.size() != predicted.size())
                throw py::value_error("gold has " + std::to_string(gold.size()) + " rows, predicted " +
                                      std::to_string(predicted.size()));
            for (std::size_t i = 0; i < gold.size(); ++i)
                if (gold[i].size() != names.size() || predicted[i].size() != names.size())
                    throw py::value_error("row " + std::to_string(i) + ": expected " + std::to_string(names.size()) +
                                          " values (one per name) in gold and predicted");
            return report(to_json(evaluate_regression(gold, predicted, names)));
        },
        py::arg("gold"), py::arg("predicted"), py::arg("names"));
    m.def(
        "evaluate_causes",
        [](const CauseModel& model, const std::string& path, const std::string& format, const Model* emotions) {
            std::string json, warnings;
            {
                py::gil_scoped_release release;
                std::ostringstream w;
                const auto conversations = read_conversations(path, read_options(format));
                json = to_json(evaluate_causes(model, conversations, emotions, w));
                warnings = w.str();
            }
            return py::make_tuple(report(json), warnings);
        },
        py::arg("model"), py::arg("path"), py::arg("format"), py::arg("emotions"));
    m.def(
        "evaluate_audio",
        [](const SpeechModel& model, const std::string& list_csv, bool speaker_baseline, unsigned threads) {
            std::string json;
            {
                py::gil_scoped_release release;
                AudioOptions options;
                options.speaker_baseline = speaker_baseline;
                options.threads = threads;
                json = to_json(evaluate_audio(model, read_audio_list(list_csv), options));
            }
            return report(json);
        },
        py::arg("model"), py::arg("list_csv"), py::arg("speaker_baseline"), py::arg("threads"));
}

}  // namespace emo::python
