// Between Python objects and the library's: JSON records to dicts, Python lists to strings with errors that name the
// argument and the row, and a pool of threads over the items of a batch.
#pragma once

#include <pybind11/pybind11.h>

#include <emo/emo.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace emo::python {

namespace py = pybind11;

// The dict (list, str, ...) that json.loads would make of j's text: the records are the CLI's exactly. NaN and
// infinities become None, as the JSON text has null there.
py::object to_python(const nlohmann::ordered_json& j);

// Python's cyclic garbage collector paused while records are made (restored as it was on leaving): tens of thousands
// of new dicts would set off collections that walk all of them again and again, for nothing, as records hold no
// cycles.
class GcPaused {
public:
    GcPaused() : was_enabled_(PyGC_Disable() == 1) {}
    ~GcPaused() {
        if (was_enabled_) PyGC_Enable();
    }
    GcPaused(const GcPaused&) = delete;
    GcPaused& operator=(const GcPaused&) = delete;

private:
    bool was_enabled_;
};

// A list (or any sequence) of str as strings; TypeError naming `what` and the row for anything else. With
// `allow_none`, None becomes an empty string.
std::vector<std::string> strings_of(const py::handle& sequence, const std::string& what, bool allow_none = false);

// fn(i) for i in [0, count) on `threads` threads (0: every core), the GIL released; the first exception is rethrown
// once all have stopped.
// A checkpoint's options from the Python keywords; ValueError for an unknown quantisation.
CheckpointOptions checkpoint_options(const std::string& quantize, bool occlusion, int threads);

void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& fn);

}  // namespace emo::python
