#include "core/torch_checkpoint.hpp"

#include "core/state_dict_pickle.hpp"

#include <emo/emo.hpp>

#include <zip.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

namespace emo::core {

namespace {

constexpr std::uint64_t max_pickle_bytes = 256ull << 20;
constexpr std::uint64_t max_elements = 1ull << 40;

struct ArchiveCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

// The whole of entry `name`, at most `limit` bytes; emo::Error when it is missing or larger.
std::string read_entry(zip_t* archive, const std::string& name, std::uint64_t limit, std::uint64_t file_size,
                       const std::string& origin) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(archive, name.c_str(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        throw Error(origin + ": missing archive entry '" + name + "'");
    // torch.save stores entries uncompressed; requiring that keeps a forged size from asking for more memory than
    // the file itself holds (a compressed entry could claim any size).
    if (!(st.valid & ZIP_STAT_COMP_METHOD) || st.comp_method != ZIP_CM_STORE || !(st.valid & ZIP_STAT_COMP_SIZE) ||
        st.comp_size != st.size || st.size > file_size)
        throw Error(origin + ": archive entry '" + name +
                    "' is compressed or larger than the file (torch.save "
                    "stores its entries uncompressed)");
    if (st.size > limit) throw Error(origin + ": archive entry '" + name + "' is larger than expected");
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen(archive, name.c_str(), 0), zip_fclose);
    if (!file) throw Error(origin + ": cannot read archive entry '" + name + "'");
    std::string data(static_cast<std::size_t>(st.size), '\0');
    std::uint64_t done = 0;
    while (done < st.size) {
        const auto n = zip_fread(file.get(), data.data() + done, st.size - done);
        if (n <= 0) throw Error(origin + ": archive entry '" + name + "' is truncated or corrupt");
        done += static_cast<std::uint64_t>(n);
    }
    return data;
}

std::size_t width_of(const std::string& storage_type) {
    if (storage_type == "FloatStorage") return 4;
    if (storage_type == "HalfStorage" || storage_type == "BFloat16Storage") return 2;
    return 0;  // integer and boolean buffers: not weights
}

float value_at(const std::string& bytes, std::size_t index, const std::string& type) {
    if (type == "FloatStorage") {
        float v;
        std::memcpy(&v, bytes.data() + 4 * index, 4);
        return v;
    }
    std::uint16_t bits;
    std::memcpy(&bits, bytes.data() + 2 * index, 2);
    return type == "HalfStorage" ? half_to_float(bits) : std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

// The element count of a tensor and the largest storage index it touches (offset + sum (size - 1) * stride); false
// when either would be implausibly large (checked before each multiplication, so nothing overflows).
bool extent(const PickledTensor& t, std::uint64_t& count, std::uint64_t& last) {
    if (t.shape.size() > 16) return false;
    count = 1;
    last = t.offset;
    if (last > (1ull << 62)) return false;
    for (std::size_t i = 0; i < t.shape.size(); ++i) {
        const auto d = t.shape[i], s = t.stride[i];
        if (d > max_elements || s > max_elements) return false;
        if (d == 0) {
            count = 0;
            return true;
        }
        if (count > max_elements / d) return false;
        count *= d;
        if (s > 0 && d - 1 > ((1ull << 62) - last) / s) return false;
        last += (d - 1) * s;
    }
    return true;
}

}  // namespace

TensorFile read_pytorch_checkpoint(const std::string& path) {
    std::error_code ec;
    const auto file_size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(path + ": cannot open: " + ec.message());
    int code = 0;
    Archive archive(zip_open(path.c_str(), ZIP_RDONLY, &code));
    if (!archive) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        std::string why = zip_error_strerror(&error);
        zip_error_fini(&error);
        throw Error(path + ": not a torch.save zip archive (" + why +
                    "; files from torch older than 1.6 must be re-saved, or converted to model.safetensors)");
    }
    // The entries sit under one folder named by the saver ("archive/", "pytorch_model/"): find it by data.pkl.
    std::string prefix;
    const auto entries = zip_get_num_entries(archive.get(), 0);
    for (zip_int64_t i = 0; i < entries; ++i) {
        const char* name = zip_get_name(archive.get(), static_cast<zip_uint64_t>(i), 0);
        const std::string_view n = name ? name : "";
        if (n == "data.pkl" || n.ends_with("/data.pkl")) {
            if (!prefix.empty()) throw Error(path + ": more than one data.pkl in the archive");
            prefix = std::string(n.substr(0, n.size() - 8));
            if (prefix.empty()) prefix = "/";  // marks "found" for a data.pkl at the top
        }
    }
    if (prefix.empty()) throw Error(path + ": no data.pkl in the archive (not a torch.save checkpoint)");
    if (prefix == "/") prefix.clear();
    if (zip_name_locate(archive.get(), (prefix + "byteorder").c_str(), 0) >= 0 &&
        read_entry(archive.get(), prefix + "byteorder", 16, file_size, path) != "little")
        throw Error(path + ": saved on a big-endian machine: not supported");

    const auto pickle = read_entry(archive.get(), prefix + "data.pkl", max_pickle_bytes, file_size, path);
    TensorFile file;
    std::map<std::string, std::string> storages;  // key -> raw bytes, read once (tied weights share a storage)
    for (const auto& t : read_state_dict_pickle(pickle, path + ": data.pkl")) {
        const std::string what = path + ": tensor '" + t.name + "'";
        const auto width = width_of(t.storage_type);
        if (width == 0) continue;
        std::uint64_t count = 0, last = 0;
        if (!extent(t, count, last)) throw Error(what + " has an implausible shape or strides");
        if (count > 0 && last >= t.storage_elements) throw Error(what + " reaches beyond its storage");
        if (t.storage_elements > max_elements) throw Error(what + " has an implausible storage size");
        auto it = storages.find(t.storage_key);
        if (it == storages.end()) {
            const auto bytes = t.storage_elements * width;
            auto data = read_entry(archive.get(), prefix + "data/" + t.storage_key, bytes, file_size, path);
            if (data.size() != bytes)
                throw Error(what + ": its storage holds " + std::to_string(data.size()) + " bytes, not the " +
                            std::to_string(bytes) + " its size needs");
            it = storages.emplace(t.storage_key, std::move(data)).first;
        }
        // A storage read for an earlier tensor may be named again with another size or type: the bytes actually
        // held are what bounds the reads (found by fuzz_torch_checkpoint).
        if (count > 0 && (last + 1) * width > it->second.size())
            throw Error(what + " reaches beyond its storage (shared with an earlier tensor)");
        Tensor out;
        for (auto d : t.shape) out.shape.push_back(static_cast<std::int64_t>(d));
        out.data.resize(count);
        // Row-major walk over the shape, reading each element through the strides (contiguous or not).
        std::vector<std::uint64_t> index(t.shape.size(), 0);
        for (std::uint64_t i = 0; i < count; ++i) {
            std::uint64_t at = t.offset;
            for (std::size_t k = 0; k < index.size(); ++k) at += index[k] * t.stride[k];
            const float v = value_at(it->second, at, t.storage_type);
            if (!std::isfinite(v)) throw Error(what + " holds NaN or infinity");
            out.data[i] = v;
            for (std::size_t k = index.size(); k-- > 0;) {
                if (++index[k] < t.shape[k]) break;
                index[k] = 0;
            }
        }
        file.tensors[t.name] = std::move(out);
    }
    return file;
}

}  // namespace emo::core
