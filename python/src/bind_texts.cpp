// Single texts: the emotion classifier and the VAD regressor, analysing lists of texts on the library's threads.
#include "bindings.hpp"
#include "convert.hpp"
#include "io/result_json.hpp"

#include <emo/emo.hpp>

#include <pybind11/stl.h>

namespace emo::python {

namespace {

// The records (dicts), or with `jsonl` the text `emo text` writes for them.
py::object analyze_texts(const TextModel& model, const py::object& texts, const py::object& ids,
                         const std::string& perspective, std::size_t evidence, bool jsonl, unsigned threads) {
    auto text = strings_of(texts, "texts");
    std::vector<std::string> id(text.size());
    if (!ids.is_none()) {
        id = strings_of(ids, "ids", true);
        if (id.size() != text.size())
            throw py::value_error("ids: " + std::to_string(id.size()) + " for " + std::to_string(text.size()) +
                                  " texts");
    }
    // Contiguous chunks, a few per thread, so that a slow chunk does not hold the others up.
    constexpr std::size_t chunk = 512;
    std::vector<std::vector<TextRecord>> chunks((text.size() + chunk - 1) / chunk);
    for (std::size_t i = 0; i < text.size(); ++i) {
        TextRecord r;
        r.id = std::move(id[i]);
        r.text = std::move(text[i]);
        chunks[i / chunk].push_back(std::move(r));
    }
    TextOptions options;
    options.perspective = perspective;
    options.max_evidence = evidence;
    std::vector<std::vector<nlohmann::ordered_json>> objects(chunks.size());
    std::vector<std::string> lines(chunks.size());
    parallel_for(chunks.size(), threads, [&](std::size_t c) {
        for (const auto& r : model.analyze(chunks[c], options)) {
            if (jsonl)
                lines[c] += to_json(r) + '\n';
            else
                objects[c].push_back(io::json_value(r));
        }
    });
    if (jsonl) {
        std::string out;
        for (const auto& l : lines) out += l;
        return py::str(out);
    }
    const GcPaused paused;
    py::list list;
    for (const auto& c : objects)
        for (const auto& o : c) list.append(to_python(o));
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
             py::arg("jsonl"), py::arg("threads"));
}

}  // namespace emo::python
