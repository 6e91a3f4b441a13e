#include "convert.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

namespace emo::python {

py::object to_python(const nlohmann::ordered_json& j) {
    using T = nlohmann::ordered_json::value_t;
    switch (j.type()) {
        case T::boolean:
            return py::bool_(j.get<bool>());
        case T::number_integer:
            return py::int_(j.get<std::int64_t>());
        case T::number_unsigned:
            return py::int_(j.get<std::uint64_t>());
        case T::number_float: {
            const double v = j.get<double>();
            return std::isfinite(v) ? py::object(py::float_(v)) : py::object(py::none());
        }
        case T::string: {
            const auto& s = j.get_ref<const std::string&>();
            // As the CLI's output replaces invalid UTF-8, so does this (records keep the input's text as given).
            PyObject* text = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
            if (!text) throw py::error_already_set();
            return py::reinterpret_steal<py::object>(text);
        }
        case T::array: {
            py::list list(j.size());
            for (std::size_t i = 0; i < j.size(); ++i) list[i] = to_python(j[i]);
            return std::move(list);
        }
        case T::object: {
            py::dict dict;
            for (const auto& [key, value] : j.items()) dict[py::str(key)] = to_python(value);
            return std::move(dict);
        }
        default:
            return py::none();
    }
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
