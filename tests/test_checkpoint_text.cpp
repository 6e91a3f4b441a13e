// Hugging Face classifiers as emo's text model (TextModel::load on a checkpoint directory, `emo text --model DIR`):
// random checkpoints made by scripts/hf_reference.py, whose reference logits give the expected probabilities.
#include "cli_runner.hpp"
#include "nn/dense_layer.hpp"
#include "nn/encoder_model.hpp"
#include "scratch_dir.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace {

class CheckpointText : public emo_test::ScratchDirTest {
protected:
    CheckpointText() : ScratchDirTest("emo_checkpoint_text_") {}

    nlohmann::json make(const std::string& options) {
        const std::string command = std::string(EMO_REFERENCE_PYTHON) + " " + EMO_SOURCE_DIR +
                                    "/scripts/hf_reference.py make --out " + dir_.string() + " " + options;
        if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
        std::ifstream in(dir_ / "reference.json");
        return nlohmann::json::parse(in);
    }
};

std::vector<double> softmax(const std::vector<double>& logits) {
    std::vector<double> p;
    double sum = 0;
    for (double v : logits) sum += std::exp(v);
    for (double v : logits) p.push_back(std::exp(v) / sum);
    return p;
}

std::vector<double> sigmoid(const std::vector<double>& logits) {
    std::vector<double> p;
    for (double v : logits) p.push_back(1.0 / (1.0 + std::exp(-v)));
    return p;
}

TEST_F(CheckpointText, SingleLabelCheckpointGivesSoftmaxScoresAndTheTopLabel) {
    const auto reference = make("--arch bert --labels 4");
    const auto model = emo::TextModel::load(dir_.string(), "");
    ASSERT_EQ(model.labels(), (std::vector<std::string>{"label_0", "label_1", "label_2", "label_3"}));
    EXPECT_FALSE(model.multilabel());
    std::vector<emo::TextRecord> records;
    for (const auto& t : reference.at("texts")) {
        records.emplace_back();
        records.back().text = t.at("text").get<std::string>();
    }
    records.emplace_back();
    records.back().text = "bad \xff";  // invalid UTF-8 is the record's error, not the batch's
    const auto results = model.analyze(records);
    ASSERT_EQ(results.size(), records.size());
    for (std::size_t i = 0; i + 1 < results.size(); ++i) {
        const auto want = softmax(reference["texts"][i].at("logits").get<std::vector<double>>());
        ASSERT_TRUE(results[i].error.empty()) << results[i].error;
        std::size_t top = 0;
        for (std::size_t k = 0; k < want.size(); ++k) {
            EXPECT_NEAR(results[i].scores.at(model.labels()[k]), want[k], 1e-5) << i;
            if (want[k] > want[top]) top = k;
        }
        EXPECT_EQ(results[i].labels, std::vector<std::string>{model.labels()[top]});
        // The single-text call agrees with the batched one.
        EXPECT_NEAR(model.analyze(records[i].text).scores.at("label_0"), results[i].scores.at("label_0"), 1e-6);
    }
    EXPECT_FALSE(results.back().error.empty());
}

TEST_F(CheckpointText, MultiLabelCheckpointGivesSigmoidScoresAndEveryLabelAboveAHalf) {
    const auto reference = make("--arch distilbert --multi-label --labels 5 --seed 4");
    const auto model = emo::TextModel::load(dir_.string(), "");
    EXPECT_TRUE(model.multilabel());
    for (const auto& t : reference.at("texts")) {
        const auto want = sigmoid(t.at("logits").get<std::vector<double>>());
        const auto r = model.analyze(t.at("text").get<std::string>());
        std::vector<std::string> expected;
        for (std::size_t k = 0; k < want.size(); ++k) {
            EXPECT_NEAR(r.scores.at(model.labels()[k]), want[k], 1e-5);
            if (want[k] >= 0.5) expected.push_back(model.labels()[k]);
        }
        if (expected.empty()) {
            EXPECT_EQ(r.labels.size(), 1u);  // none above a half: the strongest alone
        } else {
            std::vector<std::string> got = r.labels;
            std::sort(got.begin(), got.end());
            EXPECT_EQ(got, expected);
        }
    }
}

TEST_F(CheckpointText, CliTakesACheckpointDirectoryAsModelBesideTheBuiltInVadModel) {
    const auto reference = make("--arch bert");
    const auto text = reference["texts"][0].at("text").get<std::string>();
    const auto run = emo_test::run_emo(dir_, {"text", "--model", dir_.string(), text, ""});
    ASSERT_EQ(run.code, 0) << run.err;
    const auto lines = run.out_lines();
    ASSERT_EQ(lines.size(), 2u);
    const auto first = nlohmann::json::parse(lines[0]);
    const auto want = softmax(reference["texts"][0].at("logits").get<std::vector<double>>());
    for (std::size_t k = 0; k < want.size(); ++k)
        EXPECT_NEAR(first["scores"]["label_" + std::to_string(k)].get<double>(), want[k], 1.5e-4);
    EXPECT_TRUE(first.contains("vad"));                               // the built-in EmoBank model still answers
    EXPECT_TRUE(nlohmann::json::parse(lines[1]).contains("scores"));  // an empty text is [CLS] [SEP]

    // A checkpoint directory without weights, or with an unsupported architecture, is a clear error.
    std::filesystem::remove(dir_ / "model.safetensors");
    auto missing = emo_test::run_emo(dir_, {"text", "--model", dir_.string(), "x"});
    EXPECT_NE(missing.code, 0);
    EXPECT_NE(missing.err.find("no model.safetensors or pytorch_model.bin"), std::string::npos) << missing.err;
    emo_test::write_file(dir_ / "config.json", R"({"model_type": "gpt2"})");
    auto unknown = emo_test::run_emo(dir_, {"text", "--model", dir_.string(), "x"});
    EXPECT_NE(unknown.code, 0);
    EXPECT_NE(unknown.err.find("model_type 'gpt2' is not supported"), std::string::npos) << unknown.err;
}

// --quantize int8 and bf16 keep the scores near float32's; bf16 on a CPU without bf16 instructions (imitated by
// capping oneDNN's instruction set for the child process) fails with a message that says what to use instead.
TEST_F(CheckpointText, CliQuantizeRunsTheEncoderAtTheChosenPrecision) {
    const auto reference = make("--arch bert --hidden 64 --inter 128");  // texts come with BERT-family ones
    const auto text = reference["texts"][0].at("text").get<std::string>();
    const auto want = softmax(reference["texts"][0].at("logits").get<std::vector<double>>());
    std::vector<std::string> precisions = {"int8"};
    if (emo::nn::bf16_supported()) precisions.push_back("bf16");
    for (const auto& precision : precisions) {
        const auto run =
            emo_test::run_emo(dir_, {"text", "--no-vad", "--model", dir_.string(), "--quantize", precision, text});
        ASSERT_EQ(run.code, 0) << precision << ": " << run.err;
        const auto scores = nlohmann::json::parse(run.out).at("scores");
        double worst = 0;
        for (std::size_t k = 0; k < want.size(); ++k)
            worst = std::max(worst, std::fabs(scores.at("label_" + std::to_string(k)).get<double>() - want[k]));
        EXPECT_LT(worst, 0.02) << precision;
        EXPECT_GT(worst, 1e-6) << precision << ": the scores equal float32's, so the precision did not change";
    }
    setenv("DNNL_MAX_CPU_ISA", "AVX512_CORE_VNNI", 1);
    const auto refused =
        emo_test::run_emo(dir_, {"text", "--no-vad", "--model", dir_.string(), "--quantize", "bf16", text});
    unsetenv("DNNL_MAX_CPU_ISA");
    EXPECT_NE(refused.code, 0);
    EXPECT_NE(refused.err.find("bf16 needs a CPU with AVX512-BF16 or AMX"), std::string::npos) << refused.err;
    const auto unknown = emo_test::run_emo(dir_, {"text", "--model", dir_.string(), "--quantize", "int4", text});
    EXPECT_NE(unknown.code, 0);
    EXPECT_NE(unknown.err.find("--quantize"), std::string::npos) << unknown.err;
}

TEST_F(CheckpointText, ConversationUtterancesGetTheirPrecedingUtterancesAsASecondSegment) {
    make("--arch bert --labels 3 --seed 5");
    emo::Conversation conversation;
    conversation.id = "d1";
    for (const char* text : {"tok5 tok6", "tok7 tok8 tok9", "tok10"}) {
        conversation.utterances.emplace_back();
        conversation.utterances.back().text = text;
        conversation.utterances.back().speaker = "A";
    }
    const auto model = emo::Model::load(dir_.string());
    const auto encoder = emo::nn::EncoderModel::load(dir_.string());
    const auto direct = [&](std::vector<std::int32_t> ids, std::vector<std::int32_t> types) {
        emo::nn::TokenBatch batch;
        batch.add(ids, types);
        auto logits = encoder.logits(batch);
        return softmax(std::vector<double>(logits.begin(), logits.end()));
    };
    emo::ConvOptions options;
    options.checkpoint_context = 2;
    const auto results = model.analyze(conversation, options);
    ASSERT_EQ(results.size(), 3u);
    // [CLS] utterance [SEP] context [SEP], the context being the two previous utterances, oldest first.
    const auto third = direct({2, 10, 3, 5, 6, 7, 8, 9, 3}, {0, 0, 0, 1, 1, 1, 1, 1, 1});
    const auto first = direct({2, 5, 6, 3}, {0, 0, 0, 0});
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_NEAR(results[2].scores.at("label_" + std::to_string(k)), third[k], 1e-5);
        EXPECT_NEAR(results[0].scores.at("label_" + std::to_string(k)), first[k], 1e-5);
    }
    options.checkpoint_context = 0;
    const auto alone = model.analyze(conversation, options);
    const auto third_alone = direct({2, 10, 3}, {0, 0, 0});
    for (std::size_t k = 0; k < 3; ++k)
        EXPECT_NEAR(alone[2].scores.at("label_" + std::to_string(k)), third_alone[k], 1e-5);
    EXPECT_FALSE(results[2].emotion.empty());
    EXPECT_FALSE(results[2].sentiment.empty());
}

}  // namespace
