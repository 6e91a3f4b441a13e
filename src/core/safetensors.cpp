#include "core/safetensors.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <bit>
#include <cstring>
#include <fstream>
#include <limits>

namespace emo::core {

namespace {

float half_to_float(std::uint16_t h) {
    std::uint32_t sign = (h & 0x8000u) << 16;
    std::uint32_t exp = (h >> 10) & 0x1f;
    std::uint32_t mant = h & 0x3ffu;
    std::uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {  // subnormal: renormalise
            exp = 127 - 15 + 1;
            while ((mant & 0x400u) == 0) {
                mant <<= 1;
                --exp;
            }
            bits = sign | (exp << 23) | ((mant & 0x3ffu) << 13);
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    return std::bit_cast<float>(bits);
}

std::uint16_t float_to_half(float f) {
    std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    std::uint32_t sign = (x >> 16) & 0x8000u;
    int exp = static_cast<int>((x >> 23) & 0xff) - 127 + 15;
    std::uint32_t mant = x & 0x7fffffu;
    if (((x >> 23) & 0xff) == 0xff) return static_cast<std::uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0));
    if (exp >= 31) return static_cast<std::uint16_t>(sign | 0x7c00u);
    if (exp <= 0) {
        if (exp < -10) return static_cast<std::uint16_t>(sign);
        mant |= 0x800000u;
        std::uint32_t shift = static_cast<std::uint32_t>(14 - exp);
        std::uint32_t half_mant = mant >> shift;
        if ((mant >> (shift - 1)) & 1u) ++half_mant;  // round half up
        return static_cast<std::uint16_t>(sign | half_mant);
    }
    std::uint32_t h = sign | (static_cast<std::uint32_t>(exp) << 10) | (mant >> 13);
    if (mant & 0x1000u) ++h;  // round to nearest; a carry correctly bumps the exponent
    return static_cast<std::uint16_t>(h);
}

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
    auto file_size = static_cast<std::uint64_t>(in.tellg());
    in.seekg(0);
    if (file_size < 8) throw Error(path + ": not a safetensors file (shorter than its 8-byte header length)");
    unsigned char len_bytes[8];
    in.read(reinterpret_cast<char*>(len_bytes), 8);
    std::uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | len_bytes[i];
    if (header_len > file_size - 8) throw Error(path + ": corrupt safetensors header length");
    std::string header(header_len, '\0');
    in.read(header.data(), static_cast<std::streamsize>(header_len));
    std::uint64_t data_size = file_size - 8 - header_len;
    std::vector<char> data(data_size);
    in.read(data.data(), static_cast<std::streamsize>(data_size));
    if (!in) throw Error(path + ": read error");

    nlohmann::json meta;
    try {
        meta = nlohmann::json::parse(header);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": corrupt safetensors header: " + e.what());
    }
    if (!meta.is_object()) throw Error(path + ": corrupt safetensors header: not an object");

    TensorFile file;
    for (auto& [name, spec] : meta.items()) {
        if (name == "__metadata__") {
            if (!spec.is_object()) throw Error(path + ": __metadata__ is not an object");
            for (auto& [k, v] : spec.items())
                if (v.is_string()) file.metadata[k] = v.get<std::string>();
            continue;
        }
        try {
            std::string dtype = spec.at("dtype").get<std::string>();
            auto shape = spec.at("shape").get<std::vector<std::int64_t>>();
            auto offsets = spec.at("data_offsets").get<std::vector<std::uint64_t>>();
            std::size_t width = dtype == "F32" ? 4 : (dtype == "F16" || dtype == "BF16") ? 2 : 0;
            if (width == 0) throw Error(path + ": tensor '" + name + "' has unsupported dtype " + dtype);
            std::uint64_t count = 1;
            for (auto d : shape) {
                if (d < 0 || (d > 0 && count > std::numeric_limits<std::uint32_t>::max() / static_cast<std::uint64_t>(d)))
                    throw Error(path + ": tensor '" + name + "' has an invalid shape");
                count *= static_cast<std::uint64_t>(d);
            }
            if (offsets.size() != 2 || offsets[0] > offsets[1] || offsets[1] > data_size ||
                offsets[1] - offsets[0] != count * width)
                throw Error(path + ": tensor '" + name + "' has data offsets outside the file or of the wrong size");
            Tensor t;
            t.shape = shape;
            t.data.resize(count);
            const char* src = data.data() + offsets[0];
            for (std::uint64_t i = 0; i < count; ++i) {
                if (width == 4) {
                    std::uint32_t bits;
                    std::memcpy(&bits, src + 4 * i, 4);
                    t.data[i] = std::bit_cast<float>(bits);
                } else {
                    std::uint16_t bits;
                    std::memcpy(&bits, src + 2 * i, 2);
                    t.data[i] = dtype == "F16" ? half_to_float(bits)
                                               : std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
                }
            }
            file.tensors.emplace(name, std::move(t));
        } catch (const nlohmann::json::exception& e) {
            throw Error(path + ": corrupt entry for tensor '" + name + "': " + e.what());
        }
    }
    return file;
}

void write_safetensors(const std::string& path, const TensorFile& file, bool half) {
    nlohmann::ordered_json meta;
    if (!file.metadata.empty()) meta["__metadata__"] = file.metadata;
    std::uint64_t offset = 0;
    const std::size_t width = half ? 2 : 4;
    for (auto& [name, t] : file.tensors) {
        std::uint64_t bytes = t.data.size() * width;
        meta[name] = {{"dtype", half ? "F16" : "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string header = meta.dump();
    while ((header.size() + 8) % 8 != 0) header.push_back(' ');  // keep the data 8-byte aligned, as the format advises
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write");
    std::uint64_t len = header.size();
    for (int i = 0; i < 8; ++i) out.put(static_cast<char>((len >> (8 * i)) & 0xff));
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (auto& [name, t] : file.tensors) {
        if (half) {
            std::vector<std::uint16_t> h(t.data.size());
            for (std::size_t i = 0; i < h.size(); ++i) h[i] = float_to_half(t.data[i]);
            out.write(reinterpret_cast<const char*>(h.data()), static_cast<std::streamsize>(h.size() * 2));
        } else {
            out.write(reinterpret_cast<const char*>(t.data.data()), static_cast<std::streamsize>(t.data.size() * 4));
        }
    }
    if (!out) throw Error(path + ": write failed");
}

}  // namespace emo::core
