// A checkpoint's sentence embedding as a feature block of emo's own models (`emo train text|conv --encoder DIR`):
// text/sentence_encoder, the block in text/text_encoder, and the trainers on top. The checkpoints are random BERT
// encoders made by scripts/hf_reference.py, whose words are "tok5", "tok6", ...
#include "cli_runner.hpp"
#include "scratch_dir.hpp"
#include "text/sentence_encoder.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <random>

namespace {

namespace fs = std::filesystem;
using emo::text::SentenceEncoder;

class EncoderFeatures : public emo_test::ScratchDirTest {
protected:
    EncoderFeatures() : ScratchDirTest("emo_encoder_features_") {}

    // A random BERT checkpoint in dir_/name.
    std::string make_checkpoint(const std::string& name, int seed = 1) {
        const auto out = (dir_ / name).string();
        const std::string command = std::string(EMO_REFERENCE_PYTHON) + " " + EMO_SOURCE_DIR +
                                    "/scripts/hf_reference.py make --arch bert --vocab 200 --max-pos 40 --seed " +
                                    std::to_string(seed) + " --out " + out + " > /dev/null";
        if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
        return out;
    }

    // Texts of 3 to 8 of the checkpoint's words.
    static std::vector<std::string> random_texts(std::size_t n, unsigned seed) {
        std::mt19937 rng(seed);
        std::uniform_int_distribution<int> word(5, 199), length(3, 8);
        std::vector<std::string> texts;
        for (std::size_t i = 0; i < n; ++i) {
            std::string t;
            for (int k = length(rng); k > 0; --k) t += (t.empty() ? "tok" : " tok") + std::to_string(word(rng));
            texts.push_back(t);
        }
        return texts;
    }
};

std::vector<std::string_view> views(const std::vector<std::string>& texts) { return {texts.begin(), texts.end()}; }

TEST_F(EncoderFeatures, BatchedEmbeddingsEqualOneByOneAndKeptOnesAreReused) {
    const auto encoder = SentenceEncoder::load(make_checkpoint("bert"));
    EXPECT_STREQ(encoder->pooling_name(), "mean");  // no sentence-transformers module: mean
    const auto texts = random_texts(70, 3);         // more than one batch of 32
    const auto batched = encoder->embed(views(texts));
    const std::size_t h = encoder->dim();
    ASSERT_EQ(batched.size(), texts.size() * h);
    for (std::size_t i = 0; i < texts.size(); i += 7) {
        const auto alone = encoder->embed({texts[i]});
        for (std::size_t d = 0; d < h; ++d) ASSERT_NEAR(alone[d], batched[i * h + d], 1e-5) << i;
    }
    encoder->keep_embeddings(true);
    const auto first = encoder->embed(views(texts));
    const auto again = encoder->embed({texts[5], "tok9 tok10"});
    for (std::size_t d = 0; d < h; ++d) EXPECT_EQ(again[d], first[5 * h + d]);
    EXPECT_NE(again[h], again[0]);  // the new text was embedded, not served another's vector
}

TEST_F(EncoderFeatures, PoolingAndLengthFollowTheSentenceTransformersFiles) {
    const auto dir = make_checkpoint("st");
    const auto texts = random_texts(4, 5);
    const auto mean = SentenceEncoder::load(dir)->embed(views(texts));
    fs::create_directories(fs::path(dir) / "1_Pooling");
    fs::create_directories(fs::path(dir) / "pool");
    emo_test::write_file(fs::path(dir) / "1_Pooling" / "config.json",
                         R"({"word_embedding_dimension": 32, "pooling_mode_cls_token": true,
                             "pooling_mode_mean_tokens": false})");
    const auto first = SentenceEncoder::load(dir);
    EXPECT_STREQ(first->pooling_name(), "first-token");
    EXPECT_NE(first->embed(views(texts)), mean);
    EXPECT_STREQ(SentenceEncoder::load(dir, "mean")->pooling_name(), "mean");  // the user's word wins
    // modules.json names the Pooling module's directory.
    emo_test::write_file(fs::path(dir) / "modules.json",
                         R"([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                             {"idx": 1, "name": "1", "path": "pool", "type": "sentence_transformers.models.Pooling"}])");
    emo_test::write_file(fs::path(dir) / "pool" / "config.json", R"({"pooling_mode_max_tokens": true})");
    try {
        SentenceEncoder::load(dir);
        FAIL() << "max pooling was accepted";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("pool/config.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--pooling"), std::string::npos) << e.what();
    }
    // sentence_bert_config.json's max_seq_length cuts texts below the model's positions: [CLS] + 3 words + [SEP].
    emo_test::write_file(fs::path(dir) / "sentence_bert_config.json", R"({"max_seq_length": 5})");
    const auto cut = SentenceEncoder::load(dir, "mean");
    const auto long_text = cut->embed({"tok7 tok8 tok9 tok10 tok11 tok12"});
    EXPECT_EQ(long_text, cut->embed({"tok7 tok8 tok9"}));
}

// Labels that only the embedding tells (the side of a hyperplane through the training texts' mean embedding): a
// model with the checkpoint's block learns them, the n-grams alone much less.
TEST_F(EncoderFeatures, TextModelLearnsWhatOnlyTheEmbeddingTells) {
    const auto checkpoint = make_checkpoint("bert", 2);
    const auto encoder = SentenceEncoder::load(checkpoint);
    const auto texts = random_texts(600, 11);
    const std::size_t h = encoder->dim(), n_train = 480;
    const auto e = encoder->embed(views(texts));
    std::vector<double> mean(h, 0.0), w(h);
    for (std::size_t i = 0; i < n_train; ++i)
        for (std::size_t d = 0; d < h; ++d) mean[d] += e[i * h + d] / n_train;
    std::mt19937 rng(4);
    std::normal_distribution<double> normal;
    for (auto& v : w) v = normal(rng);
    std::string train = "text,label\n", dev = train;
    std::vector<std::string> gold;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        double side = 0;
        for (std::size_t d = 0; d < h; ++d) side += w[d] * (e[i * h + d] - mean[d]);
        const std::string label = side > 0 ? "up" : "down";
        (i < n_train ? train : dev) += texts[i] + "," + label + "\n";
        if (i >= n_train) gold.push_back(label);
    }
    const auto train_path = write("train.csv", train), dev_path = write("dev.csv", dev);

    auto accuracy = [&](const std::string& out, const std::string& encoder_dir) {
        emo::TextTrainOptions o;
        o.task = "multiclass";
        o.train_path = train_path;
        o.out_dir = (dir_ / out).string();
        o.encoder.dir = encoder_dir;
        o.verbose = false;
        emo::train_text_model(o);
        const auto model = emo::TextModel::load(o.out_dir, "");
        std::vector<emo::TextRecord> records;
        for (std::size_t i = n_train; i < texts.size(); ++i) {
            records.emplace_back();
            records.back().text = texts[i];
        }
        const auto results = model.analyze(records);
        std::size_t right = 0;
        for (std::size_t i = 0; i < results.size(); ++i) {
            EXPECT_TRUE(results[i].error.empty()) << results[i].error;
            right += !results[i].labels.empty() && results[i].labels[0] == gold[i];
            // One text alone gets what the batch gave it.
            if (i % 29 == 0)
                EXPECT_NEAR(model.analyze(records[i].text).scores.at("up"), results[i].scores.at("up"), 1e-5);
        }
        return static_cast<double>(right) / static_cast<double>(results.size());
    };
    const double with = accuracy("with", checkpoint), without = accuracy("without", "");
    std::cout << "dev accuracy with --encoder " << with << ", n-grams alone " << without << "\n";
    EXPECT_GE(with, 0.85) << "without: " << without;
    EXPECT_GE(with, without + 0.1) << "with " << with << ", without " << without;

    // The manifest records the checkpoint, so that the model finds it again and knows it.
    std::ifstream in(dir_ / "with" / "manifest.json");
    const auto manifest = nlohmann::json::parse(in);
    const auto& se = manifest.at("sentence_encoder");
    EXPECT_EQ(se.at("checkpoint"), fs::absolute(checkpoint).lexically_normal().string());
    EXPECT_EQ(se.at("pooling"), "mean");
    EXPECT_EQ(se.at("dim"), h);
    EXPECT_EQ(se.at("weights_sha256").get<std::string>().size(), 64u);
    EXPECT_FALSE(manifest.at("training").at("encoder").is_null());
}

TEST_F(EncoderFeatures, AModelRefusesAMissingOrDifferentCheckpoint) {
    const auto checkpoint = make_checkpoint("bert");
    std::string train = "text,label\n";
    const auto texts = random_texts(40, 2);
    for (std::size_t i = 0; i < texts.size(); ++i) train += texts[i] + (i % 2 ? ",a\n" : ",b\n");
    const auto out = (dir_ / "model").string();
    const auto run = emo_test::run_emo(dir_, {"train", "text", "--task", "multiclass", "--train", write("t.csv", train),
                                              "--out", out, "--encoder", checkpoint, "--c", "1", "--quiet"});
    ASSERT_EQ(run.code, 0) << run.err;
    const auto text_run = emo_test::run_emo(dir_, {"text", "--model", out, texts[0]});
    ASSERT_EQ(text_run.code, 0) << text_run.err;
    EXPECT_EQ(nlohmann::json::parse(text_run.out).at("scores").size(), 2u);

    make_checkpoint("bert", 7);  // other weights, same shapes, same place
    const auto changed = emo_test::run_emo(dir_, {"text", "--model", out, texts[0]});
    EXPECT_NE(changed.code, 0);
    EXPECT_NE(changed.err.find("not the one the model was trained on"), std::string::npos) << changed.err;

    fs::remove_all(checkpoint);
    const auto missing = emo_test::run_emo(dir_, {"text", "--model", out, texts[0]});
    EXPECT_NE(missing.code, 0);
    EXPECT_NE(missing.err.find("is not there"), std::string::npos) << missing.err;
}

TEST_F(EncoderFeatures, ConversationModelTrainsOnTheEmbeddingAndRunsThroughTheCli) {
    const auto checkpoint = make_checkpoint("bert", 3);
    const auto texts = random_texts(120, 8);
    std::string csv = "dialogue_id,utterance_id,speaker,text,label\n";
    for (std::size_t i = 0; i < texts.size(); ++i)
        csv += "d" + std::to_string(i / 6) + "," + std::to_string(i % 6) + "," + (i % 2 ? "A" : "B") + "," + texts[i] +
               "," + (texts[i].size() % 2 ? "joy" : "neutral") + "\n";
    const auto data = write("conv.csv", csv);
    const auto out = (dir_ / "conv").string();
    const auto run = emo_test::run_emo(
        dir_, {"train", "conv", "--train", data, "--out", out, "--encoder", checkpoint, "--pooling", "first-token"});
    ASSERT_EQ(run.code, 0) << run.err;
    EXPECT_NE(run.err.find("sentence embeddings: 120 of 120 texts"), std::string::npos) << run.err;
    std::ifstream in(fs::path(out) / "manifest.json");
    EXPECT_EQ(nlohmann::json::parse(in).at("sentence_encoder").at("pooling"), "first-token");
    const auto conv = emo_test::run_emo(dir_, {"conv", "--model", out, data});
    ASSERT_EQ(conv.code, 0) << conv.err;
    std::size_t lines = 0;
    for (char c : conv.out) lines += c == '\n';
    EXPECT_EQ(lines, texts.size());
}

}  // namespace
