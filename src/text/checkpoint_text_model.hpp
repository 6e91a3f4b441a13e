// A Hugging Face sequence classifier (BERT, RoBERTa, XLM-R, DistilBERT) as one of emo's text models: the
// checkpoint's tokenizer and encoder, texts batched by length, probabilities by softmax (single-label) or sigmoid
// (problem_type multi_label_classification).
#pragma once

#include "nn/encoder_model.hpp"
#include "text/checkpoint_tokenizer.hpp"

#include <emo/emo.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace emo::text {

// The precision of the encoder's linear layers that `options` ask for (--quantize).
nn::Precision encoder_precision(const CheckpointOptions& options);

class CheckpointTextModel {
public:
    // Loads the directory's config.json, weights and tokenizer; emo::Error names the directory, file and field. A
    // checkpoint without a classifier is refused (it can serve as an encoder under emo's trainers instead).
    // `options` choose the precision and the thread count (set process-wide when non-zero).
    static CheckpointTextModel load(const std::string& dir, const CheckpointOptions& options = {});

    const std::vector<std::string>& labels() const { return model_->labels(); }
    bool multi_label() const { return model_->config().multi_label; }
    // Whether results should carry evidence by occlusion (CheckpointOptions::occlusion; text/occlusion_evidence).
    bool occlusion() const { return occlusion_; }

    // Class probabilities of each text, in label order. Texts longer than the model's positions are truncated
    // (their last tokens dropped); the first truncation warns on standard error, once per loaded model.
    std::vector<std::vector<double>> probabilities(const std::vector<std::string_view>& texts) const;
    // The same for texts each paired with a second segment (their context); an empty context is left out.
    std::vector<std::vector<double>> probabilities(const std::vector<std::string_view>& texts,
                                                   const std::vector<std::string_view>& contexts) const;

    // The labels a text gets from its probabilities: multi-label, every label at or above 0.5 (the top one when none
    // is), strongest first; single-label, the top one.
    std::vector<std::size_t> decide(const std::vector<double>& probs) const;

private:
    CheckpointTextModel(std::shared_ptr<const nn::EncoderModel> model,
                        std::shared_ptr<const CheckpointTokenizer> tokenizer, std::string dir);
    std::vector<std::vector<double>> run(std::vector<TokenIds> encoded, std::size_t truncated) const;

    std::shared_ptr<const nn::EncoderModel> model_;
    std::shared_ptr<const CheckpointTokenizer> tokenizer_;
    std::string dir_;
    bool occlusion_ = false;
    std::shared_ptr<std::atomic<bool>> warned_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace emo::text
