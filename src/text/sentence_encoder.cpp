#include "text/sentence_encoder.hpp"

#include "core/file_digest.hpp"
#include "core/model_files.hpp"
#include "text/checkpoint_text_model.hpp"
#include "text/length_batches.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

namespace emo::text {

namespace fs = std::filesystem;

namespace {

nn::Pooling parse_pooling(const std::string& name, const std::string& origin) {
    if (name == "mean") return nn::Pooling::mean;
    if (name == "first-token") return nn::Pooling::first_token;
    throw Error(origin + "pooling \"" + name + "\": mean or first-token");
}

// The directory of a sentence-transformers checkpoint's Pooling module: named in modules.json, else "1_Pooling" as
// the library writes it; empty when there is none.
fs::path pooling_module(const fs::path& root) {
    std::error_code ec;
    if (fs::is_regular_file(root / "modules.json", ec)) {
        const auto modules = core::read_json_file((root / "modules.json").string());
        if (modules.is_array())
            for (const auto& m : modules)
                if (m.is_object() && m.value("type", "").ends_with(".Pooling") && m.contains("path") &&
                    m["path"].is_string())
                    return root / m["path"].get<std::string>();
    }
    if (fs::is_regular_file(root / "1_Pooling" / "config.json", ec)) return root / "1_Pooling";
    return {};
}

// The checkpoint's own pooling: its Pooling module's mode, mean where it has none. Modes emo does not have (max, a
// mix of several) are an error that says how to choose one.
nn::Pooling checkpoint_pooling(const fs::path& root) {
    const auto module = pooling_module(root);
    if (module.empty()) return nn::Pooling::mean;
    const auto path = (module / "config.json").string();
    const auto config = core::read_json_file(path);
    std::vector<std::string> modes;
    for (const auto& [key, value] : config.items())
        if (key.starts_with("pooling_mode_") && value.is_boolean() && value.get<bool>()) modes.push_back(key);
    if (modes == std::vector<std::string>{"pooling_mode_mean_tokens"}) return nn::Pooling::mean;
    if (modes == std::vector<std::string>{"pooling_mode_cls_token"}) return nn::Pooling::first_token;
    std::string named;
    for (const auto& m : modes) named += (named.empty() ? "" : ", ") + m;
    throw Error(path + ": pooling " + (named.empty() ? "(none)" : named) +
                " is not one emo has (mean or the first token): choose one with --pooling");
}

// sentence-transformers' own maximum length (often below the model's positions), 0 where the checkpoint sets none.
std::size_t sentence_max_length(const fs::path& root) {
    std::error_code ec;
    const auto path = root / "sentence_bert_config.json";
    if (!fs::is_regular_file(path, ec)) return 0;
    const auto config = core::read_json_file(path.string());
    const auto it = config.find("max_seq_length");
    if (it == config.end() || !it->is_number_unsigned() || it->get<std::size_t>() < 2) return 0;
    return it->get<std::size_t>();
}

}  // namespace

std::shared_ptr<const SentenceEncoder> SentenceEncoder::load(const std::string& dir, const std::string& pooling,
                                                             const CheckpointOptions& options) {
    if (options.threads > 0) nn::set_threads(options.threads);
    std::shared_ptr<SentenceEncoder> e(new SentenceEncoder());
    e->dir_ = dir;
    e->pooling_ = pooling.empty() ? checkpoint_pooling(dir) : parse_pooling(pooling, "");
    e->model_ = std::make_shared<const nn::EncoderModel>(nn::EncoderModel::load(dir, encoder_precision(options)));
    e->tokenizer_ = load_checkpoint_tokenizer(dir);
    if (e->tokenizer_->vocab_size() > e->model_->config().vocab_size)
        throw Error(dir + ": the tokenizer's vocabulary (" + std::to_string(e->tokenizer_->vocab_size()) +
                    " tokens) is larger than the model's (" + std::to_string(e->model_->config().vocab_size) + ")");
    e->max_tokens_ = e->model_->config().max_tokens();
    if (const auto own = sentence_max_length(dir); own > 0) e->max_tokens_ = std::min(e->max_tokens_, own);
    return e;
}

std::shared_ptr<const SentenceEncoder> SentenceEncoder::shared(const std::string& dir, const std::string& pooling) {
    static std::mutex mutex;
    static std::map<std::pair<std::string, nn::Pooling>, std::weak_ptr<const SentenceEncoder>> loaded;
    std::lock_guard lock(mutex);
    std::error_code ec;
    const auto mode = pooling.empty() ? checkpoint_pooling(dir) : parse_pooling(pooling, "");
    const auto key = std::make_pair(fs::weakly_canonical(dir, ec).string(), mode);
    if (auto existing = loaded[key].lock()) return existing;
    auto e = load(dir, mode == nn::Pooling::mean ? "mean" : "first-token");
    loaded[key] = e;
    return e;
}

const char* SentenceEncoder::pooling_name() const { return pooling_ == nn::Pooling::mean ? "mean" : "first-token"; }

const std::string& SentenceEncoder::weights_sha256() const {
    std::call_once(sha_once_, [&] { sha256_ = core::file_sha256(nn::EncoderModel::weights_file(dir_)); });
    return sha256_;
}

void SentenceEncoder::keep_embeddings(bool on) const {
    std::lock_guard lock(cache_mutex_);
    caching_ = on;
    if (!on) cache_.clear();
}

std::vector<float> SentenceEncoder::embed(const std::vector<std::string_view>& texts) const {
    const std::size_t h = dim();
    std::vector<float> out(texts.size() * h);
    // The texts not embedded before (all of them, unless embeddings are kept), each once.
    std::vector<std::size_t> todo;
    {
        std::lock_guard lock(cache_mutex_);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const auto hit = caching_ ? cache_.find(std::string(texts[i])) : cache_.end();
            if (hit != cache_.end())
                std::copy(hit->second.begin(), hit->second.end(), out.begin() + i * h);
            else
                todo.push_back(i);
        }
    }
    std::vector<TokenIds> encoded;
    encoded.reserve(todo.size());
    std::size_t truncated = 0;
    for (auto i : todo) {
        bool cut = false;
        encoded.push_back(tokenizer_->encode_truncated(texts[i], max_tokens_, &cut));
        truncated += cut;
    }
    if (truncated > 0 && !warned_.exchange(true))
        std::cerr << "emo: warning: texts longer than " << dir_ << "'s " << max_tokens_
                  << " tokens are truncated for its embeddings (their last tokens dropped)\n";
    const bool typed = model_->config().family == nn::EncoderFamily::bert;
    for_each_length_batch(encoded, typed, [&](const nn::TokenBatch& batch, std::span<const std::size_t> members) {
        const auto pooled = model_->pooled(batch, pooling_);
        for (std::size_t b = 0; b < members.size(); ++b)
            std::copy(pooled.begin() + b * h, pooled.begin() + (b + 1) * h, out.begin() + todo[members[b]] * h);
    });
    std::lock_guard lock(cache_mutex_);
    if (caching_)
        for (auto i : todo)
            cache_.emplace(std::string(texts[i]), std::vector<float>(out.begin() + i * h, out.begin() + (i + 1) * h));
    return out;
}

}  // namespace emo::text
