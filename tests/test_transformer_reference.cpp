// emo's transformer against the PyTorch reference of scripts/hf_reference.py: small random checkpoints of every
// architecture and weight dtype, made by the test, must give the reference's logits and pooled vectors within 1e-4.
#include "nn/encoder_model.hpp"
#include "scratch_dir.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace {

using emo::nn::EncoderModel;
using emo::nn::TokenBatch;

struct ReferenceCase {
    const char* arch;
    const char* dtype;
    const char* extra;  // further options of hf_reference.py make
};

std::string case_name(const ReferenceCase& c) {
    const std::string extra = c.extra;
    std::string name = std::string(c.arch) + "_" + c.dtype +
                       (extra.starts_with("--format bin") ? "_bin"
                        : extra.empty()                   ? ""
                                                          : "_variant");
    for (auto& ch : name)
        if (ch == '-') ch = '_';
    return name;
}

class ReferenceCheckpoint : public emo_test::ScratchDirTest {
protected:
    ReferenceCheckpoint() : ScratchDirTest("emo_transformer_") {}

    // Makes the checkpoint with the reference script and returns its reference.json.
    nlohmann::json make_checkpoint(const ReferenceCase& c) {
        const std::string command = std::string(EMO_REFERENCE_PYTHON) + " " + EMO_SOURCE_DIR +
                                    "/scripts/hf_reference.py make --arch " + c.arch + " --dtype " + c.dtype +
                                    " --out " + dir_.string() + " " + c.extra;
        if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
        std::ifstream in(dir_ / "reference.json");
        return nlohmann::json::parse(in);
    }
};

class TransformerReference : public ReferenceCheckpoint, public ::testing::WithParamInterface<ReferenceCase> {};

void expect_near_all(const std::vector<float>& got, std::size_t row, const nlohmann::json& want, const char* what,
                     std::size_t case_index) {
    const std::size_t n = want.size();
    for (std::size_t k = 0; k < n; ++k)
        EXPECT_NEAR(got[row * n + k], want[k].get<double>(), 1e-4) << what << " of case " << case_index << ", " << k;
}

TEST_P(TransformerReference, LogitsAndPoolsMatchPyTorch) {
    const auto& c = GetParam();
    const auto reference = make_checkpoint(c);
    const auto model = EncoderModel::load(dir_.string());
    ASSERT_TRUE(model.has_classifier());
    const auto& cases = reference.at("cases");
    ASSERT_GE(cases.size(), 10u);

    // All cases in one packed batch, and each alone: both must match.
    TokenBatch all;
    for (const auto& item : cases)
        all.add(item.at("ids").get<std::vector<std::int32_t>>(), item.at("types").get<std::vector<std::int32_t>>());
    const auto logits = model.logits(all);
    const auto first = model.pooled(all, emo::nn::Pooling::first_token);
    const auto mean = model.pooled(all, emo::nn::Pooling::mean);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        ASSERT_EQ(cases[i].at("logits").size(), model.labels().size());
        expect_near_all(logits, i, cases[i].at("logits"), "logit", i);
        expect_near_all(first, i, cases[i].at("first_token"), "first-token vector", i);
        expect_near_all(mean, i, cases[i].at("mean"), "mean vector", i);
        TokenBatch one;
        one.add(cases[i].at("ids").get<std::vector<std::int32_t>>(),
                cases[i].at("types").get<std::vector<std::int32_t>>());
        expect_near_all(model.logits(one), 0, cases[i].at("logits"), "logit alone", i);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Checkpoints, TransformerReference,
    ::testing::Values(ReferenceCase{"bert", "float32", ""}, ReferenceCase{"bert", "float16", ""},
                      ReferenceCase{"bert", "bfloat16", ""}, ReferenceCase{"roberta", "float32", ""},
                      ReferenceCase{"roberta", "float16", ""}, ReferenceCase{"roberta", "bfloat16", ""},
                      ReferenceCase{"xlm-roberta", "float32", ""}, ReferenceCase{"xlm-roberta", "bfloat16", ""},
                      ReferenceCase{"distilbert", "float32", ""}, ReferenceCase{"distilbert", "float16", ""},
                      ReferenceCase{"distilbert", "bfloat16", ""},
                      ReferenceCase{"bert", "float32", "--act gelu_new --layers 3 --heads 2 --labels 5 --seed 7"},
                      ReferenceCase{"distilbert", "float32", "--act relu --seed 3 --multi-label"},
                      ReferenceCase{"bert", "float16", "--format bin"},
                      ReferenceCase{"roberta", "bfloat16", "--format bin"},
                      ReferenceCase{"distilbert", "float32", "--format bin --seed 9"}),
    [](const auto& info) { return case_name(info.param); });

}  // namespace

namespace {

// int8 (dynamic quantisation of the encoder's linear layers) and bf16 stay close to float32: the error bound is
// loose, as 8-bit products (int8's levels, bf16's mantissa) of a random model move logits by a few hundredths; the
// speed and top-label agreement on a RoBERTa-base-shaped model are measured by bench/transformer_speed.sh.
class ReducedPrecision : public ReferenceCheckpoint, public ::testing::WithParamInterface<emo::nn::Precision> {};

TEST_P(ReducedPrecision, LogitsStayCloseToFloat32) {
    if (GetParam() == emo::nn::Precision::bf16 && !emo::nn::bf16_supported())
        GTEST_SKIP() << "this CPU has no bf16 instructions (AVX512-BF16 or AMX); the refusal is tested by the CLI";
    const auto reference = make_checkpoint({"roberta", "float32", "--hidden 64 --inter 128 --cases 30 --seed 11"});
    const auto model = EncoderModel::load(dir_.string(), GetParam());
    TokenBatch all;
    for (const auto& item : reference.at("cases")) all.add(item.at("ids").get<std::vector<std::int32_t>>());
    const auto logits = model.logits(all);
    double total = 0, worst = 0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < reference["cases"].size(); ++i) {
        const auto want = reference["cases"][i].at("logits").get<std::vector<double>>();
        for (std::size_t k = 0; k < want.size(); ++k) {
            const double error = std::fabs(logits[i * want.size() + k] - want[k]);
            total += error;
            worst = std::max(worst, error);
            ++count;
        }
    }
    std::cout << emo::nn::precision_name(GetParam()) << " logit error: mean " << total / count << ", worst " << worst
              << "\n";
    EXPECT_LT(total / count, 0.03);
    EXPECT_LT(worst, 0.15);
    EXPECT_GT(worst, 0.0);  // the reduced-precision path really ran
}

INSTANTIATE_TEST_SUITE_P(Precisions, ReducedPrecision,
                         ::testing::Values(emo::nn::Precision::int8, emo::nn::Precision::bf16),
                         [](const auto& info) { return std::string(emo::nn::precision_name(info.param)); });

}  // namespace
