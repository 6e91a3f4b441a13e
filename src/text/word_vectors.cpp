#include "text/word_vectors.hpp"

#include "core/safetensors.hpp"
#include "text/tokenizer.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace emo::text {

WordVectors::WordVectors(std::vector<std::string> words, std::vector<float> matrix, std::size_t dim)
    : dim_(dim), words_(std::move(words)), matrix_(std::move(matrix)) {
    if (dim_ == 0 && !words_.empty()) throw Error("word vectors: dimension 0");
    if (dim_ != 0 && matrix_.size() / dim_ != words_.size()) throw Error("word vectors: matrix size does not match");
    if (matrix_.size() != words_.size() * dim_) throw Error("word vectors: matrix size does not match");
    index_.reserve(words_.size());
    for (std::size_t i = 0; i < words_.size(); ++i) {
        const auto& w = words_[i];
        if (w.empty()) throw Error("word vectors: empty word at row " + std::to_string(i));
        if (w.find('\n') != std::string::npos)
            throw Error("word vectors: word with a newline at row " + std::to_string(i));
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
    std::partial_sort(
        scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(k), scored.end(),
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

// Keeps a loaded table to sizes the rest of the engine can index (rows fit the uint32 index) and that a real
// embedding could have.
constexpr std::uint64_t max_rows = 1ull << 31;
constexpr std::uint64_t max_dim = 1ull << 16;

}  // namespace

void WordVectors::save(const std::string& path, Dtype dtype) const {
    core::TensorFile file;
    std::string vocab;
    for (std::size_t i = 0; i < words_.size(); ++i) {
        if (i) vocab.push_back('\n');
        vocab += words_[i];
    }
    file.metadata["vocab"] = std::move(vocab);
    file.tensors["vectors"] = {{static_cast<std::int64_t>(words_.size()), static_cast<std::int64_t>(dim_)}, matrix_};
    core::write_safetensors(path, file, /*half=*/dtype == Dtype::f16);
}

WordVectors WordVectors::load(const std::string& given) {
    // A directory (models/word-vectors, or what `emo pretrain` wrote) stands for the vectors file in it.
    const std::string path =
        std::filesystem::is_directory(given) ? (std::filesystem::path(given) / "vectors.safetensors").string() : given;
    auto file = core::read_safetensors(path);
    auto tensor = file.tensors.find("vectors");
    if (tensor == file.tensors.end()) throw Error(path + ": no tensor named 'vectors'");
    const auto& shape = tensor->second.shape;
    if (shape.size() != 2) throw Error(path + ": 'vectors' shape must be [rows, dim]");
    // The reader guarantees non-negative dimensions.
    const auto rows = static_cast<std::uint64_t>(shape[0]), dim = static_cast<std::uint64_t>(shape[1]);
    if (rows > max_rows || dim == 0 || dim > max_dim)
        throw Error(path + ": implausible shape [" + std::to_string(rows) + ", " + std::to_string(dim) + "]");

    auto vocab_it = file.metadata.find("vocab");
    if (vocab_it == file.metadata.end()) throw Error(path + ": no vocab in __metadata__");
    const auto& vocab = vocab_it->second;
    std::vector<std::string> words;
    if (!vocab.empty()) {
        std::string_view rest(vocab);
        for (;;) {
            if (words.size() >= rows)
                throw Error(path + ": vocab has more words than shape[0] = " + std::to_string(rows));
            auto nl = rest.find('\n');
            words.emplace_back(rest.substr(0, nl));
            if (nl == std::string_view::npos) break;
            rest.remove_prefix(nl + 1);
        }
    }
    if (words.size() != rows)
        throw Error(path + ": vocab has " + std::to_string(words.size()) + " words but shape[0] is " +
                    std::to_string(rows));
    try {
        return WordVectors(std::move(words), std::move(tensor->second.data), dim);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

}  // namespace emo::text
