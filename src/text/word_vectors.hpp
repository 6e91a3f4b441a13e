// Dense word vectors (from `emo pretrain`) and their safetensors file: the dense features of an utterance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace emo::text {

class WordVectors {
public:
    enum class Dtype { f16, f32 };

    // An empty table of `dim`-dimensional vectors.
    explicit WordVectors(std::size_t dim = 0) : dim_(dim) {}
    // Takes `words.size() x dim` floats, row-major. Throws emo::Error on a size mismatch, an empty, duplicate or
    // newline-containing word, or invalid UTF-8 (the file format could not store them).
    WordVectors(std::vector<std::string> words, std::vector<float> matrix, std::size_t dim);

    std::size_t dim() const { return dim_; }
    std::size_t size() const { return words_.size(); }
    const std::vector<std::string>& words() const { return words_; }
    // Row `i` (i < size()), dim() floats.
    const float* row(std::size_t i) const { return matrix_.data() + i * dim_; }
    // The vector of `word`, nullptr when it is not in the vocabulary. Words are looked up as given (normalised).
    const float* find(std::string_view word) const;
    // Writes the mean of the known tokens' vectors to out[0..dim) (zeros when none is known); returns how many of
    // the tokens were found.
    std::size_t average(const std::vector<std::string_view>& tokens, float* out) const;
    // The `k` words with the highest cosine similarity to `word` (itself excluded), best first; empty when unknown.
    std::vector<std::pair<std::string, float>> nearest(std::string_view word, std::size_t k) const;

    // A copy holding only the words for which `keep` is true, at most `max_words` of them, in the original order
    // (vocabularies are stored most frequent first, so this keeps the most frequent).
    WordVectors prune(const std::function<bool(std::string_view)>& keep,
                      std::size_t max_words = std::numeric_limits<std::size_t>::max()) const;

    // Writes a safetensors file: tensor "vectors" [size, dim] and the vocabulary, one word per line, in metadata
    // "vocab". F16 halves the file; values beyond its range saturate. Throws emo::Error naming the file on failure.
    void save(const std::string& path, Dtype dtype = Dtype::f16) const;
    // Reads a file written by save() (or the vectors.safetensors of a directory). Every field is validated; a corrupt
    // or hostile file throws emo::Error naming the file and never reads outside it.
    static WordVectors load(const std::string& path);

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };

    std::size_t dim_ = 0;
    std::vector<std::string> words_;
    std::vector<float> matrix_;
    std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index_;
};

}  // namespace emo::text
