#include "core/safetensors.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <span>

namespace emo::core {

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian; add byte swapping");

std::uint16_t float_to_half(float value) {
    auto bits = std::bit_cast<std::uint32_t>(value);
    auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
    int exponent = static_cast<int>((bits >> 23) & 0xffu);
    std::uint32_t mantissa = bits & 0x7fffffu;
    if (exponent == 0xff) return static_cast<std::uint16_t>(sign | (mantissa ? 0x7e00u : 0x7bffu));
    int e = exponent - 127 + 15;
    if (e >= 31) return static_cast<std::uint16_t>(sign | 0x7bffu);
    if (e <= 0) {
        if (e < -10) return sign;  // below half the smallest subnormal: rounds to zero
        std::uint32_t m = mantissa | 0x800000u;
        int shift = 14 - e;
        std::uint32_t h = m >> shift, rest = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rest > half || (rest == half && (h & 1u))) ++h;  // may carry into the smallest normal, which is right
        return static_cast<std::uint16_t>(sign | h);
    }
    std::uint32_t h = (static_cast<std::uint32_t>(e) << 10) | (mantissa >> 13), rest = mantissa & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;  // a carry correctly bumps the exponent
    if (h >= 0x7c00u) h = 0x7bffu;                             // rounded past the largest finite half
    return static_cast<std::uint16_t>(sign | h);
}

float half_to_float(std::uint16_t half) {
    std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
    std::uint32_t exponent = (half >> 10) & 0x1fu, mantissa = half & 0x3ffu;
    if (exponent == 0) {
        float v = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -v : v;
    }
    if (exponent == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
    return std::bit_cast<float>(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
}

namespace {

// Bounds that keep header fields from wandering off into absurd sizes before any arithmetic or allocation on them;
// real checkpoints are far inside all three.
constexpr std::uint64_t max_header_bytes = 256ull << 20;
constexpr std::size_t max_rank = 16;
constexpr std::uint64_t max_elements = 1ull << 40;

// The number of elements of `shape`, or -1 when the shape is implausible. Every factor is at most 2^40, so the
// product is checked before it could overflow.
std::int64_t element_count(std::span<const std::uint64_t> shape) {
    if (shape.size() > max_rank) return -1;
    std::uint64_t count = 1;
    for (auto d : shape)
        if (d > max_elements) return -1;
    for (auto d : shape) {
        if (d == 0) return 0;
        if (count > max_elements / d) return -1;
        count *= d;
    }
    return static_cast<std::int64_t>(count);
}

std::string shape_text(std::span<const std::uint64_t> shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// Reads a JSON array of non-negative integers into `out`; false when `j` is anything else.
bool unsigned_array(const nlohmann::json& j, std::vector<std::uint64_t>& out) {
    if (!j.is_array()) return false;
    out.clear();
    for (const auto& v : j) {
        if (!v.is_number_unsigned()) return false;  // rejects negatives, fractions and strings alike
        out.push_back(v.get<std::uint64_t>());
    }
    return true;
}

struct Entry {
    std::string name;
    std::string dtype;
    std::size_t width = 0;
    std::vector<std::uint64_t> shape;
    std::uint64_t count = 0;
    std::uint64_t begin = 0;
};

}  // namespace

const Tensor& TensorFile::get(const std::string& name, const std::vector<std::int64_t>& shape,
                              const std::string& origin) const {
    auto it = tensors.find(name);
    if (it == tensors.end()) throw Error(origin + ": missing tensor '" + name + "'");
    if (it->second.shape != shape) {
        std::string want, got;
        for (auto d : shape) want += std::to_string(d) + ",";
        for (auto d : it->second.shape) got += std::to_string(d) + ",";
        throw Error(origin + ": tensor '" + name + "' has shape [" + got + "], expected [" + want + "]");
    }
    return it->second;
}

TensorFile read_safetensors(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open");
    in.seekg(0, std::ios::end);
    const auto end_pos = in.tellg();
    if (end_pos < 0) throw Error(path + ": cannot read");
    const auto file_size = static_cast<std::uint64_t>(end_pos);
    in.seekg(0);
    if (file_size < 8) throw Error(path + ": not a safetensors file (shorter than its 8-byte header length)");
    unsigned char len_bytes[8];
    in.read(reinterpret_cast<char*>(len_bytes), 8);
    std::uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | len_bytes[i];
    if (header_len > file_size - 8)
        throw Error(path + ": corrupt safetensors header length " + std::to_string(header_len) +
                    " (exceeds the file size)");
    if (header_len > max_header_bytes)
        throw Error(path + ": safetensors header of " + std::to_string(header_len) + " bytes is too large");
    std::string header(header_len, '\0');
    in.read(header.data(), static_cast<std::streamsize>(header_len));
    if (!in) throw Error(path + ": read error");
    const std::uint64_t data_size = file_size - 8 - header_len;

    nlohmann::json meta;
    try {
        meta = nlohmann::json::parse(header);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": corrupt safetensors header: " + e.what());
    }
    if (!meta.is_object()) throw Error(path + ": corrupt safetensors header: not an object");

    // Every entry is validated before any data is read, so a bad header costs no large allocation.
    TensorFile file;
    std::vector<Entry> entries;
    for (auto& [name, spec] : meta.items()) {
        if (name == "__metadata__") {
            if (!spec.is_object()) throw Error(path + ": __metadata__ is not an object");
            for (auto& [k, v] : spec.items())
                if (v.is_string()) file.metadata[k] = v.get<std::string>();
            continue;
        }
        const std::string what = path + ": tensor '" + name + "'";
        if (!spec.is_object()) throw Error(what + " has a corrupt entry (not an object)");
        Entry e;
        e.name = name;
        auto dtype = spec.find("dtype");
        if (dtype == spec.end() || !dtype->is_string()) throw Error(what + " has no dtype");
        e.dtype = dtype->get<std::string>();
        e.width = e.dtype == "F32" ? 4 : (e.dtype == "F16" || e.dtype == "BF16") ? 2 : 0;
        if (e.width == 0) throw Error(what + " has unsupported dtype " + e.dtype + " (expected F32, F16 or BF16)");
        auto shape = spec.find("shape");
        if (shape == spec.end() || !unsigned_array(*shape, e.shape))
            throw Error(what + " has no shape of non-negative integers");
        const auto count = element_count(e.shape);
        if (count < 0) throw Error(what + " has an implausible shape " + shape_text(e.shape));
        e.count = static_cast<std::uint64_t>(count);
        auto offsets_it = spec.find("data_offsets");
        std::vector<std::uint64_t> offsets;
        if (offsets_it == spec.end() || !unsigned_array(*offsets_it, offsets) || offsets.size() != 2)
            throw Error(what + " has no data_offsets [begin, end] of non-negative integers");
        if (offsets[0] > offsets[1] || offsets[1] > data_size)
            throw Error(what + " has data offsets outside the file");
        if (offsets[1] - offsets[0] != e.count * e.width)  // count <= 2^40: no overflow
            throw Error(what + " has data offsets of the wrong size for its shape and dtype");
        e.begin = offsets[0];
        entries.push_back(std::move(e));
    }

    std::vector<char> raw;
    for (const auto& e : entries) {
        const std::string what = path + ": tensor '" + e.name + "'";
        raw.resize(e.count * e.width);
        in.seekg(static_cast<std::streamoff>(8 + header_len + e.begin));
        in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
        if (!in) throw Error(what + ": read error");
        Tensor t;
        t.shape.assign(e.shape.begin(), e.shape.end());  // each dimension <= 2^40 fits
        t.data.resize(e.count);
        for (std::uint64_t i = 0; i < e.count; ++i) {
            if (e.width == 4) {
                std::memcpy(&t.data[i], raw.data() + 4 * i, 4);
            } else {
                std::uint16_t bits;
                std::memcpy(&bits, raw.data() + 2 * i, 2);
                t.data[i] = e.dtype == "F16" ? half_to_float(bits)
                                             : std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
            }
            // Nothing we compute with survives a NaN or infinity, so a file holding one is corrupt, not a model.
            if (!std::isfinite(t.data[i])) throw Error(what + " holds NaN or infinity");
        }
        file.tensors.emplace(e.name, std::move(t));
    }
    return file;
}

void write_safetensors(const std::string& path, const TensorFile& file, bool half) {
    // Everything is checked before the file is opened, so a refused write leaves no file behind.
    for (const auto& [name, t] : file.tensors) {
        const std::string what = path + ": tensor '" + name + "'";
        std::vector<std::uint64_t> shape;
        for (auto d : t.shape) {
            if (d < 0) throw Error(what + " has a negative dimension");
            shape.push_back(static_cast<std::uint64_t>(d));
        }
        const auto count = element_count(shape);
        if (count < 0) throw Error(what + " has an implausible shape " + shape_text(shape));
        if (static_cast<std::uint64_t>(count) != t.data.size())
            throw Error(what + " holds " + std::to_string(t.data.size()) + " values but its shape " +
                        shape_text(shape) + " needs " + std::to_string(count));
        for (float v : t.data)
            if (!std::isfinite(v)) throw Error(path + ": refusing to write tensor '" + name + "': it holds NaN or infinity");
    }

    nlohmann::ordered_json meta;
    if (!file.metadata.empty()) meta["__metadata__"] = file.metadata;
    std::uint64_t offset = 0;
    const std::size_t width = half ? 2 : 4;
    for (const auto& [name, t] : file.tensors) {
        std::uint64_t bytes = t.data.size() * width;
        meta[name] = {{"dtype", half ? "F16" : "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string header = meta.dump();
    header.append((8 - header.size() % 8) % 8, ' ');  // keeps the data 8-byte aligned, as the format advises

    // Written beside the target and renamed, so a reader never sees half a file and a failed write keeps the old one.
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(path + ": cannot write");
        std::uint64_t len = header.size();
        for (int i = 0; i < 8; ++i) out.put(static_cast<char>((len >> (8 * i)) & 0xff));
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        std::vector<std::uint16_t> h;
        for (const auto& [name, t] : file.tensors) {
            if (half) {
                h.resize(t.data.size());
                for (std::size_t i = 0; i < h.size(); ++i) h[i] = float_to_half(t.data[i]);
                out.write(reinterpret_cast<const char*>(h.data()), static_cast<std::streamsize>(h.size() * 2));
            } else {
                out.write(reinterpret_cast<const char*>(t.data.data()), static_cast<std::streamsize>(t.data.size() * 4));
            }
        }
        out.close();
        if (!out) {
            std::remove(tmp.c_str());
            throw Error(path + ": write failed");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        throw Error(path + ": cannot rename into place: " + ec.message());
    }
}

}  // namespace emo::core
