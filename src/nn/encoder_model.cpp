#include "nn/encoder_model.hpp"

#include "core/torch_checkpoint.hpp"

#include <emo/emo.hpp>

#include <filesystem>

namespace emo::nn {

namespace fs = std::filesystem;

namespace {

// The head's tensors by family; nullopt when the checkpoint holds no classifier (a bare encoder). Its number of
// labels is the classifier's rows, which must agree with config.json's id2label where that names labels.
std::optional<ClassificationHead> read_head(const EncoderConfig& c, CheckpointWeights& w,
                                            std::vector<std::string>& labels) {
    const std::string out = c.family == EncoderFamily::roberta ? "classifier.out_proj" : "classifier";
    const std::string encoder_prefix = w.prefix();
    w.set_prefix("");
    if (!w.has(out + ".weight")) return std::nullopt;
    const auto shape = w.shape_of(out + ".weight");
    if (shape.size() != 2 || shape[0] <= 0)
        throw Error(w.origin() + ": tensor '" + out + ".weight' is not a [labels, hidden] matrix");
    const auto rows = static_cast<std::size_t>(shape[0]);
    if (c.labels.empty()) {
        for (std::size_t k = 0; k < rows; ++k) labels.push_back("LABEL_" + std::to_string(k));
    } else if (c.labels.size() != rows) {
        throw Error(w.origin() + ": config.json names " + std::to_string(c.labels.size()) +
                    " labels but the classifier has " + std::to_string(rows));
    } else {
        labels = c.labels;
    }
    ClassificationHead head;
    if (c.family == EncoderFamily::bert) {
        w.set_prefix(encoder_prefix);
        head.dense = w.linear("pooler.dense", c.hidden, c.hidden);
        w.set_prefix("");
    } else {
        head.dense =
            w.linear(c.family == EncoderFamily::roberta ? "classifier.dense" : "pre_classifier", c.hidden, c.hidden);
    }
    head.activation = c.family == EncoderFamily::distilbert ? Activation::relu : Activation::tanh;
    head.out = w.linear(out, rows, c.hidden);
    return head;
}

}  // namespace

EncoderModel::EncoderModel(TransformerEncoder encoder, std::optional<ClassificationHead> head,
                           std::vector<std::string> labels, std::string dir)
    : encoder_(std::move(encoder)), head_(std::move(head)), labels_(std::move(labels)), dir_(std::move(dir)) {}

bool EncoderModel::is_checkpoint_directory(const std::string& dir) {
    std::error_code ec;
    return fs::is_regular_file(fs::path(dir) / "config.json", ec) && !fs::exists(fs::path(dir) / "manifest.json", ec);
}

std::string EncoderModel::weights_file(const std::string& dir) {
    const fs::path root(dir);
    std::error_code ec;
    // model.safetensors where the checkpoint has it, else torch.save's pytorch_model.bin.
    for (const char* name : {"model.safetensors", "pytorch_model.bin"})
        if (fs::exists(root / name, ec)) return (root / name).string();
    if (fs::exists(root / "model.safetensors.index.json", ec) || fs::exists(root / "pytorch_model.bin.index.json", ec))
        throw Error(dir + ": sharded checkpoints (*.index.json) are not supported yet");
    throw Error(dir + ": no model.safetensors or pytorch_model.bin");
}

EncoderModel EncoderModel::load(const std::string& dir, Precision precision) {
    const fs::path root(dir);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) throw Error(dir + ": not a directory");
    auto config = read_encoder_config((root / "config.json").string());
    const auto weights_path = weights_file(dir);
    core::TensorFile file = weights_path.ends_with(".safetensors") ? core::read_safetensors(weights_path)
                                                                   : core::read_pytorch_checkpoint(weights_path);
    CheckpointWeights weights(file, weights_path);
    weights.use_encoder_prefix(config.family);
    TransformerEncoder encoder(config, weights, precision);
    std::vector<std::string> labels;
    auto head = read_head(config, weights, labels);
    return EncoderModel(std::move(encoder), std::move(head), std::move(labels), dir);
}

std::vector<float> EncoderModel::logits(const TokenBatch& batch) const {
    if (!head_) throw Error(dir_ + ": the checkpoint has no classifier (use it as an encoder)");
    const std::size_t h = config().hidden, n = batch.size(), k = labels_.size();
    auto pooled = first_token_pool(encoder_.forward(batch), batch, h);
    std::vector<float> inner(n * h), out(n * k);
    head_->dense.apply({pooled.data(), n, h, h}, {inner.data(), n, h, h});
    apply_activation(head_->activation, inner.data(), inner.size());
    head_->out.apply({inner.data(), n, h, h}, {out.data(), n, k, k});
    return out;
}

std::vector<float> EncoderModel::pooled(const TokenBatch& batch, Pooling pooling) const {
    const auto hidden = encoder_.forward(batch);
    return pooling == Pooling::mean ? mean_pool(hidden, batch, config().hidden)
                                    : first_token_pool(hidden, batch, config().hidden);
}

}  // namespace emo::nn
