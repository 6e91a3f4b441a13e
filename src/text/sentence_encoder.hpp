// A Hugging Face encoder checkpoint as a source of sentence embeddings (issue 14: encoders under emo's own models):
// the checkpoint's tokenizer and transformer, its last hidden states pooled per text (mean over the tokens, or the
// first token), texts batched by length. Sentence-embedding checkpoints (sentence-transformers layout) say their
// pooling and maximum length in their Pooling module and sentence_bert_config.json, which are followed.
#pragma once

#include "nn/encoder_model.hpp"
#include "text/checkpoint_tokenizer.hpp"

#include <emo/emo.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace emo::text {

class SentenceEncoder {
public:
    // `pooling`: "mean", "first-token", or empty for the checkpoint's own (its sentence-transformers Pooling module;
    // mean where it has none). Errors name the directory and file at fault.
    static std::shared_ptr<const SentenceEncoder> load(const std::string& dir, const std::string& pooling = "",
                                                       const CheckpointOptions& options = {});
    // As load, but one instance per (directory, pooling) while any holder keeps it: a text model and the VAD model
    // on the same checkpoint share its weights.
    static std::shared_ptr<const SentenceEncoder> shared(const std::string& dir, const std::string& pooling = "");

    std::size_t dim() const { return model_->config().hidden; }
    const std::string& directory() const { return dir_; }
    // "mean" or "first-token".
    const char* pooling_name() const;
    // SHA-256 of the weights file, computed on first use: what a trained model records to know its checkpoint again.
    const std::string& weights_sha256() const;

    // The pooled embeddings of `texts`, row after row ([texts.size(), dim()]). Invalid UTF-8 throws emo::Error.
    // Texts longer than the checkpoint's maximum are truncated (their last tokens dropped), with one warning.
    std::vector<float> embed(const std::vector<std::string_view>& texts) const;
    // While on, every text's embedding is kept in memory and reused: a trainer runs each text through the
    // checkpoint once, however often its folds and choices ask for it.
    void keep_embeddings(bool on) const;

private:
    SentenceEncoder() = default;

    std::shared_ptr<const nn::EncoderModel> model_;
    std::shared_ptr<const CheckpointTokenizer> tokenizer_;
    std::string dir_;
    nn::Pooling pooling_ = nn::Pooling::mean;
    std::size_t max_tokens_ = 0;
    mutable std::once_flag sha_once_;
    mutable std::string sha256_;
    mutable std::atomic<bool> warned_{false};
    mutable std::mutex cache_mutex_;
    mutable bool caching_ = false;
    mutable std::unordered_map<std::string, std::vector<float>> cache_;
};

}  // namespace emo::text
