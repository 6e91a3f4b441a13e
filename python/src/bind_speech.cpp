// Speech: the emotion model over files or arrays of samples, and the eGeMAPS functionals and frame descriptors.
#include "bindings.hpp"
#include "convert.hpp"
#include "io/result_json.hpp"

#include <emo/emo.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>

namespace emo::python {

namespace {

using Samples = py::array_t<float, py::array::c_style>;

// Each input: a path (str), or (name, samples, rate) with samples a 1-D float32 array (python/emo checks and converts
// what users pass before it comes here).
std::vector<AudioInput> audio_inputs(const py::list& inputs, const py::object& speakers) {
    std::vector<AudioInput> out(inputs.size());
    std::vector<std::string> speaker(inputs.size());
    if (!speakers.is_none()) {
        speaker = strings_of(speakers, "speakers", true);
        if (speaker.size() != out.size())
            throw py::value_error("speakers: " + std::to_string(speaker.size()) + " for " + std::to_string(out.size()) +
                                  " recordings");
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        const py::handle item = inputs[i];
        out[i].speaker = speaker[i];
        if (py::isinstance<py::str>(item)) {
            out[i].path = item.cast<std::string>();
            continue;
        }
        const auto t = item.cast<py::tuple>();
        out[i].path = t[0].cast<std::string>();
        const auto array = t[1].cast<Samples>();
        if (array.ndim() != 1) throw py::value_error(out[i].path + ": samples must be one-dimensional");
        out[i].samples = std::make_shared<const std::vector<float>>(array.data(), array.data() + array.size());
        out[i].sample_rate = t[2].cast<int>();
    }
    return out;
}

// The records (dicts), or with `jsonl` the text `emo audio` writes for them.
py::object analyze_audio(const SpeechModel& model, const py::list& inputs, const py::object& speakers, bool segments,
                         bool speaker_baseline, std::size_t evidence, bool jsonl, unsigned threads) {
    const auto in = audio_inputs(inputs, speakers);
    AudioOptions options;
    options.segments = segments;
    options.speaker_baseline = speaker_baseline;
    options.max_evidence = evidence;
    options.threads = threads;
    std::vector<AudioResult> results;
    {
        py::gil_scoped_release release;
        results = model.analyze(in, options);
    }
    if (jsonl) {
        std::string out;
        for (const auto& r : results) out += to_json(r) + '\n';
        return py::str(out);
    }
    const GcPaused paused;
    py::list out;
    for (const auto& r : results) out.append(to_python(io::json_value(r)));
    return out;
}

py::list features(const py::list& inputs, bool segments, bool lld, unsigned threads) {
    const auto in = audio_inputs(inputs, py::none());
    AudioOptions options;
    options.segments = segments;
    options.threads = threads;
    std::vector<AcousticFeatures> found;
    {
        py::gil_scoped_release release;
        found = lld ? egemaps_lld(in, options) : egemaps_features(in, options);
    }
    const auto width = static_cast<py::ssize_t>(lld ? egemaps_lld_names().size() : egemaps_names().size());
    py::list out;
    for (auto& f : found) {
        py::dict d;
        d["file"] = f.file;
        d["start"] = f.start ? py::object(py::float_(*f.start)) : py::object(py::none());
        d["end"] = f.end ? py::object(py::float_(*f.end)) : py::object(py::none());
        const auto rows = static_cast<py::ssize_t>(f.values.size()) / width;
        py::array_t<double> values(lld ? std::vector<py::ssize_t>{rows, width} : std::vector<py::ssize_t>{width});
        if (!f.error.empty())
            values = py::array_t<double>(std::vector<py::ssize_t>{0});
        else
            std::copy(f.values.begin(), f.values.end(), values.mutable_data());
        d["values"] = values;
        d["error"] = f.error;
        d["warning"] = f.warning;
        out.append(d);
    }
    return out;
}

}  // namespace

void bind_speech(py::module_& m) {
    py::class_<SpeechModel>(m, "SpeechModel")
        .def_static(
            "load",
            [](const std::string& directory) {
                py::gil_scoped_release release;
                return SpeechModel::load(directory);
            },
            py::arg("directory"))
        .def_static("default_directory", &SpeechModel::default_directory)
        .def_property_readonly("labels", &SpeechModel::labels)
        .def_property_readonly("min_baseline_recordings", &SpeechModel::min_baseline_recordings)
        .def("analyze", &analyze_audio, py::arg("inputs"), py::arg("speakers"), py::arg("segments"),
             py::arg("speaker_baseline"), py::arg("evidence"), py::arg("jsonl"), py::arg("threads"));
    m.def("features", &features, py::arg("inputs"), py::arg("segments"), py::arg("lld"), py::arg("threads"));
    m.def("egemaps_names", &egemaps_names);
    m.def("egemaps_lld_names", &egemaps_lld_names);
}

}  // namespace emo::python
