// Single texts: the emotion classifier and the VAD regressor, analysing lists of texts on the library's threads.
#include "bindings.hpp"
#include "convert.hpp"
#include "io/result_json.hpp"

#include <emo/emo.hpp>

#include <pybind11/stl.h>

namespace emo::python {

namespace {

py::list analyze_texts(const TextModel& model, const py::object& texts, const py::object& ids,
                       const std::string& perspective, std::size_t evidence, unsigned threads) {
    const auto text = strings_of(texts, "texts");
    std::vector<std::string> id(text.size());
    if (!ids.is_none()) {
        id = strings_of(ids, "ids", true);
        if (id.size() != text.size())
            throw py::value_error("ids: " + std::to_string(id.size()) + " for " + std::to_string(text.size()) +
                                  " texts");
    }
    std::vector<TextRecord> records(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        records[i].id = std::move(id[i]);
        records[i].text = text[i];
    }
    TextOptions options;
    options.perspective = perspective;
    options.max_evidence = evidence;
    // Contiguous chunks, a few per thread, so that a slow chunk does not hold the others up.
    constexpr std::size_t chunk = 512;
    const std::size_t chunks = (records.size() + chunk - 1) / chunk;
    std::vector<nlohmann::ordered_json> out(records.size());
    parallel_for(chunks, threads, [&](std::size_t c) {
        const auto begin = records.begin() + static_cast<std::ptrdiff_t>(c * chunk);
        const auto end = records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), (c + 1) * chunk));
        const auto results = model.analyze(std::vector<TextRecord>(begin, end), options);
        for (std::size_t i = 0; i < results.size(); ++i) out[c * chunk + i] = io::json_value(results[i]);
    });
    const GcPaused paused;
    py::list list(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) list[i] = to_python(out[i]);
    return list;
}

}  // namespace

void bind_texts(py::module_& m) {
    py::class_<TextModel>(m, "TextModel")
        .def_static(
            "load",
            [](const std::string& emotion_dir, const std::string& vad_dir, const std::string& quantize, bool occlusion,
               int threads) {
                const auto options = checkpoint_options(quantize, occlusion, threads);
                py::gil_scoped_release release;
                return TextModel::load(emotion_dir, vad_dir, options);
            },
            py::arg("emotion_dir"), py::arg("vad_dir"), py::arg("quantize") = "none", py::arg("occlusion") = false,
            py::arg("threads") = 0)
        .def_static("default_emotion_directory", &TextModel::default_emotion_directory)
        .def_static("default_vad_directory", &TextModel::default_vad_directory)
        .def_property_readonly("labels", &TextModel::labels)
        .def_property_readonly("multilabel", &TextModel::multilabel)
        .def_property_readonly("perspectives", &TextModel::perspectives)
        .def("analyze", &analyze_texts, py::arg("texts"), py::arg("ids"), py::arg("perspective"), py::arg("evidence"),
             py::arg("threads"));
}

}  // namespace emo::python
