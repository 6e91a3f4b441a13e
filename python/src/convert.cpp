#include "convert.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace emo::python {

namespace {

// Keys repeat in every record (field names, label names): each becomes one interned str, made once.
PyObject* key_of(const std::string& key) {
    static std::unordered_map<std::string, PyObject*> keys;  // used with the GIL held; lives as long as the module
    auto it = keys.find(key);
    if (it != keys.end()) return it->second;
    PyObject* text = PyUnicode_DecodeUTF8(key.data(), static_cast<Py_ssize_t>(key.size()), "replace");
    if (!text) throw py::error_already_set();
    PyUnicode_InternInPlace(&text);
    return keys.emplace(key, text).first->second;
}

// A new reference, built with the C API directly: records are converted by the ten thousand (issue 17's overhead
// bar), and pybind11's wrappers cost a third of the time here.
PyObject* convert(const nlohmann::ordered_json& j) {
    using T = nlohmann::ordered_json::value_t;
    switch (j.type()) {
        case T::boolean:
            return PyBool_FromLong(j.get<bool>() ? 1 : 0);
        case T::number_integer:
            return PyLong_FromLongLong(j.get<std::int64_t>());
        case T::number_unsigned:
            return PyLong_FromUnsignedLongLong(j.get<std::uint64_t>());
        case T::number_float: {
            const double v = j.get<double>();
            if (std::isfinite(v)) return PyFloat_FromDouble(v);
            Py_RETURN_NONE;
        }
        case T::string: {
            const auto& s = j.get_ref<const std::string&>();
            // As the CLI's output replaces invalid UTF-8, so does this (records keep the input's text as given).
            return PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
        }
        case T::array: {
            PyObject* list = PyList_New(static_cast<Py_ssize_t>(j.size()));
            if (!list) return nullptr;
            for (std::size_t i = 0; i < j.size(); ++i) {
                PyObject* item = convert(j[i]);
                if (!item) {
                    Py_DECREF(list);
                    return nullptr;
                }
                PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), item);  // steals the reference
            }
            return list;
        }
        case T::object: {
            PyObject* dict = PyDict_New();
            if (!dict) return nullptr;
            for (auto it = j.begin(); it != j.end(); ++it) {
                PyObject* value = convert(it.value());
                if (!value || PyDict_SetItem(dict, key_of(it.key()), value) != 0) {
                    Py_XDECREF(value);
                    Py_DECREF(dict);
                    return nullptr;
                }
                Py_DECREF(value);
            }
            return dict;
        }
        default:
            Py_RETURN_NONE;
    }
}

}  // namespace

py::object to_python(const nlohmann::ordered_json& j) {
    PyObject* object = convert(j);
    if (!object) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(object);
}

std::vector<std::string> strings_of(const py::handle& sequence, const std::string& what, bool allow_none) {
    if (py::isinstance<py::str>(sequence) || !py::isinstance<py::sequence>(sequence))
        throw py::type_error(what + ": expected a list of str, got " +
                             std::string(py::str(py::type::handle_of(sequence).attr("__name__"))));
    const auto items = py::reinterpret_borrow<py::sequence>(sequence);
    std::vector<std::string> out;
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        const py::object item = items[i];
        if (allow_none && item.is_none()) {
            out.emplace_back();
            continue;
        }
        if (!py::isinstance<py::str>(item))
            throw py::type_error(what + ", row " + std::to_string(i) + ": expected str, got " +
                                 std::string(py::str(py::type::handle_of(item).attr("__name__"))) + " (" +
                                 std::string(py::repr(item)).substr(0, 60) + ")");
        out.push_back(item.cast<std::string>());
    }
    return out;
}

CheckpointOptions checkpoint_options(const std::string& quantize, bool occlusion, int threads) {
    CheckpointOptions c;
    if (quantize == "int8")
        c.quantize = CheckpointOptions::Quantize::int8;
    else if (quantize == "bf16")
        c.quantize = CheckpointOptions::Quantize::bf16;
    else if (quantize != "none")
        throw py::value_error("quantize: expected 'none', 'int8' or 'bf16', got '" + quantize + "'");
    c.occlusion = occlusion;
    c.threads = threads;
    return c;
}

void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& fn) {
    py::gil_scoped_release release;
    unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    n = static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(count, 1)));
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_lock;
    const auto work = [&] {
        for (std::size_t i; (i = next++) < count;) {
            try {
                fn(i);
            } catch (...) {
                std::lock_guard lock(failure_lock);
                if (!failure) failure = std::current_exception();
                next = count;  // the others stop at their next item
            }
        }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < n; ++t) workers.emplace_back(work);
    work();
    for (auto& w : workers) w.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace emo::python
