// emo._emo: the Python package's compiled half, a thin layer over the C++ library (include/emo). The pure-Python
// package (python/emo) gives it its Python shape: DataFrames, keyword arguments, docstrings.
#include "bindings.hpp"

#include <emo/emo.hpp>

PYBIND11_MODULE(_emo, m) {
    m.doc() = "emo's compiled core; use the package `emo`, not this module";
    // The library's errors name the input and the place; in Python they are emo.Error, a ValueError.
    pybind11::register_exception<emo::Error>(m, "Error", PyExc_ValueError);
    emo::python::bind_conversations(m);
    emo::python::bind_texts(m);
    emo::python::bind_speech(m);
    emo::python::bind_training(m);
}
