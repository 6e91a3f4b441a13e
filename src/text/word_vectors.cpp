#include "text/word_vectors.hpp"

#include "text/tokenizer.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace emo::text {

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
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;
    if (h >= 0x7c00u) h = 0x7bffu;
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

WordVectors::WordVectors(std::vector<std::string> words, std::vector<float> matrix, std::size_t dim)
    : dim_(dim), words_(std::move(words)), matrix_(std::move(matrix)) {
    if (dim_ == 0 && !words_.empty()) throw Error("word vectors: dimension 0");
    if (dim_ != 0 && matrix_.size() / dim_ != words_.size()) throw Error("word vectors: matrix size does not match");
    if (matrix_.size() != words_.size() * dim_) throw Error("word vectors: matrix size does not match");
    index_.reserve(words_.size());
    for (std::size_t i = 0; i < words_.size(); ++i) {
        const auto& w = words_[i];
        if (w.empty()) throw Error("word vectors: empty word at row " + std::to_string(i));
        if (w.find('\n') != std::string::npos) throw Error("word vectors: word with a newline at row " + std::to_string(i));
        if (!is_valid_utf8(w)) throw Error("word vectors: invalid UTF-8 in word at row " + std::to_string(i));
        if (!index_.emplace(w, static_cast<std::uint32_t>(i)).second)
            throw Error("word vectors: duplicate word '" + w + "'");
    }
}

const float* WordVectors::find(std::string_view word) const {
    auto it = index_.find(word);
    return it == index_.end() ? nullptr : row(it->second);
}

std::size_t WordVectors::average(const std::vector<std::string_view>& tokens, float* out) const {
    std::fill(out, out + dim_, 0.0f);
    std::size_t found = 0;
    for (auto token : tokens) {
        const float* v = find(token);
        if (!v) continue;
        for (std::size_t d = 0; d < dim_; ++d) out[d] += v[d];
        ++found;
    }
    if (found > 1) {
        float scale = 1.0f / static_cast<float>(found);
        for (std::size_t d = 0; d < dim_; ++d) out[d] *= scale;
    }
    return found;
}

std::vector<std::pair<std::string, float>> WordVectors::nearest(std::string_view word, std::size_t k) const {
    const float* q = find(word);
    if (!q) return {};
    auto norm = [&](const float* v) {
        double s = 0;
        for (std::size_t d = 0; d < dim_; ++d) s += static_cast<double>(v[d]) * v[d];
        return std::sqrt(s);
    };
    double qn = norm(q);
    std::vector<std::pair<float, std::size_t>> scored;
    scored.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) {
        const float* v = row(i);
        if (v == q) continue;
        double dot = 0;
        for (std::size_t d = 0; d < dim_; ++d) dot += static_cast<double>(q[d]) * v[d];
        double denom = qn * norm(v);
        scored.emplace_back(denom > 0 ? static_cast<float>(dot / denom) : 0.0f, i);
    }
    k = std::min(k, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(k), scored.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::vector<std::pair<std::string, float>> out;
    for (std::size_t i = 0; i < k; ++i) out.emplace_back(words_[scored[i].second], scored[i].first);
    return out;
}

WordVectors WordVectors::prune(const std::function<bool(std::string_view)>& keep, std::size_t max_words) const {
    std::vector<std::string> words;
    std::vector<float> matrix;
    for (std::size_t i = 0; i < size() && words.size() < max_words; ++i) {
        if (!keep(words_[i])) continue;
        words.push_back(words_[i]);
        matrix.insert(matrix.end(), row(i), row(i) + dim_);
    }
    return WordVectors(std::move(words), std::move(matrix), dim_);
}

namespace {

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

void read_exact(std::FILE* f, void* dst, std::size_t n, const std::string& path) {
    if (n > 0 && std::fread(dst, 1, n, f) != n) throw Error(path + ": unexpected end of file or read error");
}

// Keeps header fields from wandering off into absurd sizes before any arithmetic on them.
constexpr std::uint64_t max_header_bytes = 256ull << 20;
constexpr std::uint64_t max_rows = 1ull << 31;
constexpr std::uint64_t max_dim = 1ull << 16;

std::uint64_t unsigned_field(const nlohmann::json& j, const std::string& path, const char* what) {
    if (!j.is_number_unsigned()) throw Error(path + ": " + what + " is not a non-negative integer");
    return j.get<std::uint64_t>();
}

}  // namespace

void WordVectors::save(const std::string& path, Dtype dtype) const {
    for (float v : matrix_)
        if (!std::isfinite(v)) throw Error(path + ": refusing to save word vectors that hold NaN or infinity");
    const std::size_t element = dtype == Dtype::f16 ? 2 : 4;
    const std::size_t bytes = matrix_.size() * element;
    std::string vocab;
    for (std::size_t i = 0; i < words_.size(); ++i) {
        if (i) vocab.push_back('\n');
        vocab += words_[i];
    }
    nlohmann::json header = {
        {"vectors",
         {{"dtype", dtype == Dtype::f16 ? "F16" : "F32"},
          {"shape", {words_.size(), dim_}},
          {"data_offsets", {0, bytes}}}},
        {"__metadata__", {{"vocab", vocab}}},
    };
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // aligns the data for readers that map it in place

    std::vector<unsigned char> data(bytes);
    if (dtype == Dtype::f16) {
        for (std::size_t i = 0; i < matrix_.size(); ++i) {
            auto h = float_to_half(matrix_[i]);
            data[2 * i] = static_cast<unsigned char>(h & 0xff);
            data[2 * i + 1] = static_cast<unsigned char>(h >> 8);
        }
    } else if (bytes) {
        std::memcpy(data.data(), matrix_.data(), bytes);
    }

    // Written beside the target and renamed, so a reader never sees half a file.
    std::string tmp = path + ".tmp";
    {
        FilePtr f(std::fopen(tmp.c_str(), "wb"));
        if (!f) throw Error(path + ": cannot open for writing");
        unsigned char length[8];
        std::uint64_t n = text.size();
        for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(n >> (8 * i));
        bool ok = std::fwrite(length, 1, 8, f.get()) == 8 &&
                  std::fwrite(text.data(), 1, text.size(), f.get()) == text.size() &&
                  (bytes == 0 || std::fwrite(data.data(), 1, bytes, f.get()) == bytes);
        ok = (std::fclose(f.release()) == 0) && ok;
        if (!ok) {
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

WordVectors WordVectors::load(const std::string& path) {
    std::error_code ec;
    auto file_size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(path + ": cannot read word vectors: " + ec.message());
    FilePtr f(std::fopen(path.c_str(), "rb"));
    if (!f) throw Error(path + ": cannot open word vectors");
    if (file_size < 8) throw Error(path + ": too short for a safetensors file");

    unsigned char length[8];
    read_exact(f.get(), length, 8, path);
    std::uint64_t header_len = 0;
    for (int i = 0; i < 8; ++i) header_len |= static_cast<std::uint64_t>(length[i]) << (8 * i);
    if (header_len > file_size - 8) throw Error(path + ": header length " + std::to_string(header_len) + " exceeds the file size");
    if (header_len > max_header_bytes) throw Error(path + ": header of " + std::to_string(header_len) + " bytes is too large");
    std::string text(header_len, '\0');
    read_exact(f.get(), text.data(), text.size(), path);

    auto header = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (header.is_discarded() || !header.is_object()) throw Error(path + ": header is not a JSON object");
    auto tensor = header.find("vectors");
    if (tensor == header.end() || !tensor->is_object()) throw Error(path + ": no tensor named 'vectors'");

    auto dtype_it = tensor->find("dtype");
    if (dtype_it == tensor->end() || !dtype_it->is_string()) throw Error(path + ": 'vectors' has no dtype");
    const auto dtype = dtype_it->get<std::string>();
    if (dtype != "F16" && dtype != "F32") throw Error(path + ": unsupported dtype '" + dtype + "' (expected F16 or F32)");
    const std::uint64_t element = dtype == "F16" ? 2 : 4;

    auto shape = tensor->find("shape");
    if (shape == tensor->end() || !shape->is_array() || shape->size() != 2)
        throw Error(path + ": 'vectors' shape must be [rows, dim]");
    const std::uint64_t rows = unsigned_field((*shape)[0], path, "shape[0]");
    const std::uint64_t dim = unsigned_field((*shape)[1], path, "shape[1]");
    if (rows > max_rows || dim == 0 || dim > max_dim)
        throw Error(path + ": implausible shape [" + std::to_string(rows) + ", " + std::to_string(dim) + "]");

    auto offsets = tensor->find("data_offsets");
    if (offsets == tensor->end() || !offsets->is_array() || offsets->size() != 2)
        throw Error(path + ": 'vectors' data_offsets must be [begin, end]");
    const std::uint64_t begin = unsigned_field((*offsets)[0], path, "data_offsets[0]");
    const std::uint64_t end = unsigned_field((*offsets)[1], path, "data_offsets[1]");
    const std::uint64_t data_size = file_size - 8 - header_len;
    const std::uint64_t bytes = rows * dim * element;  // bounded by the limits above: no overflow
    if (begin > end || end > data_size) throw Error(path + ": data_offsets lie outside the file");
    if (end - begin != bytes) throw Error(path + ": data_offsets do not match shape and dtype");

    auto meta = header.find("__metadata__");
    if (meta == header.end() || !meta->is_object()) throw Error(path + ": no __metadata__ with the vocabulary");
    auto vocab_it = meta->find("vocab");
    if (vocab_it == meta->end() || !vocab_it->is_string()) throw Error(path + ": no vocab in __metadata__");
    const auto& vocab = vocab_it->get_ref<const std::string&>();
    std::vector<std::string> words;
    if (!vocab.empty()) {
        std::string_view rest(vocab);
        for (;;) {
            if (words.size() >= rows) throw Error(path + ": vocab has more words than shape[0] = " + std::to_string(rows));
            auto nl = rest.find('\n');
            words.emplace_back(rest.substr(0, nl));
            if (nl == std::string_view::npos) break;
            rest.remove_prefix(nl + 1);
        }
    }
    if (words.size() != rows)
        throw Error(path + ": vocab has " + std::to_string(words.size()) + " words but shape[0] is " + std::to_string(rows));

    std::vector<unsigned char> data(bytes);
    if (std::fseek(f.get(), static_cast<long>(8 + header_len + begin), SEEK_SET) != 0)
        throw Error(path + ": cannot seek to the tensor data");
    read_exact(f.get(), data.data(), data.size(), path);

    std::vector<float> matrix(rows * dim);
    for (std::size_t i = 0; i < matrix.size(); ++i) {
        if (element == 2) {
            matrix[i] = half_to_float(static_cast<std::uint16_t>(data[2 * i] | (data[2 * i + 1] << 8)));
        } else {
            std::memcpy(&matrix[i], data.data() + 4 * i, 4);
        }
        if (!std::isfinite(matrix[i])) throw Error(path + ": tensor holds NaN or infinity");
    }
    try {
        return WordVectors(std::move(words), std::move(matrix), dim);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

}  // namespace emo::text
