#include "text/checkpoint_text_model.hpp"

#include "text/length_batches.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>

namespace emo::text {

nn::Precision encoder_precision(const CheckpointOptions& options) {
    switch (options.quantize) {
        case CheckpointOptions::Quantize::int8:
            return nn::Precision::int8;
        case CheckpointOptions::Quantize::bf16:
            return nn::Precision::bf16;
        default:
            return nn::Precision::float32;
    }
}

CheckpointTextModel::CheckpointTextModel(std::shared_ptr<const nn::EncoderModel> model,
                                         std::shared_ptr<const CheckpointTokenizer> tokenizer, std::string dir)
    : model_(std::move(model)), tokenizer_(std::move(tokenizer)), dir_(std::move(dir)) {}

CheckpointTextModel CheckpointTextModel::load(const std::string& dir, const CheckpointOptions& options) {
    if (options.threads > 0) nn::set_threads(options.threads);
    auto model = std::make_shared<const nn::EncoderModel>(nn::EncoderModel::load(dir, encoder_precision(options)));
    if (!model->has_classifier())
        throw Error(dir +
                    ": the checkpoint has no sequence-classification head (an encoder only: use it with "
                    "`emo train text --encoder`)");
    std::shared_ptr<const CheckpointTokenizer> tokenizer = load_checkpoint_tokenizer(dir);
    if (tokenizer->vocab_size() > model->config().vocab_size)
        throw Error(dir + ": the tokenizer's vocabulary (" + std::to_string(tokenizer->vocab_size()) +
                    " tokens) is larger than the model's (" + std::to_string(model->config().vocab_size) + ")");
    CheckpointTextModel loaded(std::move(model), std::move(tokenizer), dir);
    loaded.occlusion_ = options.occlusion;
    return loaded;
}

std::vector<std::vector<double>> CheckpointTextModel::probabilities(const std::vector<std::string_view>& texts) const {
    std::vector<TokenIds> encoded;
    encoded.reserve(texts.size());
    std::size_t truncated = 0;
    for (auto text : texts) {
        bool cut = false;
        encoded.push_back(tokenizer_->encode_truncated(text, model_->config().max_tokens(), &cut));
        truncated += cut;
    }
    return run(std::move(encoded), truncated);
}

std::vector<std::vector<double>> CheckpointTextModel::probabilities(
    const std::vector<std::string_view>& texts, const std::vector<std::string_view>& contexts) const {
    if (texts.size() != contexts.size()) throw Error("probabilities: one context per text");
    std::vector<TokenIds> encoded;
    std::size_t truncated = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        bool cut = false;
        const auto max = model_->config().max_tokens();
        encoded.push_back(contexts[i].empty() ? tokenizer_->encode_truncated(texts[i], max, &cut)
                                              : tokenizer_->encode_pair_truncated(texts[i], contexts[i], max, &cut));
        truncated += cut;
    }
    return run(std::move(encoded), truncated);
}

std::vector<std::vector<double>> CheckpointTextModel::run(std::vector<TokenIds> encoded, std::size_t truncated) const {
    if (truncated > 0 && !warned_->exchange(true))
        std::cerr << "emo: warning: texts longer than " << dir_ << "'s " << model_->config().max_tokens()
                  << " tokens are truncated (their last tokens dropped; pairs lose their context's oldest first)\n";
    const std::size_t k = labels().size();
    std::vector<std::vector<double>> out(encoded.size());
    const bool typed = model_->config().family == nn::EncoderFamily::bert;
    for_each_length_batch(encoded, typed, [&](const nn::TokenBatch& batch, std::span<const std::size_t> members) {
        const auto logits = model_->logits(batch);
        for (std::size_t i = 0; i < members.size(); ++i) {
            const float* row = &logits[i * k];
            std::vector<double> p(row, row + k);
            if (multi_label()) {
                for (auto& v : p) v = 1.0 / (1.0 + std::exp(-v));
            } else {
                const double top = *std::max_element(p.begin(), p.end());
                double sum = 0;
                for (auto& v : p) sum += v = std::exp(v - top);
                for (auto& v : p) v /= sum;
            }
            out[members[i]] = std::move(p);
        }
    });
    return out;
}

std::vector<std::size_t> CheckpointTextModel::decide(const std::vector<double>& probs) const {
    std::vector<std::size_t> order(probs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return probs[a] > probs[b]; });
    if (order.empty()) return order;
    if (!multi_label()) return {order.front()};
    std::vector<std::size_t> chosen;
    for (auto k : order)
        if (probs[k] >= 0.5) chosen.push_back(k);
    if (chosen.empty()) chosen.push_back(order.front());
    return chosen;
}

}  // namespace emo::text
