// Gold cause annotations: what is usable and what is reported and skipped.
#include "dialog/cause_annotations.hpp"

#include <gtest/gtest.h>

#include <sstream>

using namespace emo;
using namespace emo::dialog;

namespace {

Utterance said(const std::string& text, const std::string& label, std::vector<CauseAnnotation> causes = {},
               bool annotated = false) {
    Utterance u;
    u.speaker = "A";
    u.text = text;
    u.label = label;
    u.source = "talk.json:" + std::to_string(text.size());
    u.causes = std::move(causes);
    u.causes_annotated = annotated || !u.causes.empty();
    return u;
}

}  // namespace

TEST(CauseTargets, KeepsUsableCausesAndReportsTheRest) {
    Conversation c;
    c.id = "tr_1";
    c.utterances = {said("I won the lottery .", "neutral"),
                    said("That is great news !", "happiness",
                         {{0, "I won the lottery"}, {1, "great news"}, {CauseAnnotation::latent, ""}, {7, ""},
                          {2, "later"}, {0, "not there"}, {0, ""}, {0, "won"}}),
                    said("Thanks .", "neutral", {{1, ""}})};
    AnnotationProblems problems;
    const auto targets = cause_targets(c, problems);
    ASSERT_EQ(targets.size(), 1u);
    EXPECT_EQ(targets[0].utterance, 1u);
    EXPECT_EQ(targets[0].causes, (std::vector<std::size_t>{0, 1, 0, 0, 0}));
    ASSERT_EQ(targets[0].spans.size(), 3u);
    EXPECT_EQ(targets[0].spans[0].cause, 0u);
    EXPECT_EQ(targets[0].spans[0].begin, 0u);
    EXPECT_EQ(targets[0].spans[0].end, 17u);
    EXPECT_EQ(targets[0].spans[1].begin, 8u);  // "great news" inside utterance 1
    EXPECT_EQ(problems.skipped_causes, 4u);    // latent, outside, after the target, on a neutral utterance
    EXPECT_EQ(problems.skipped_spans, 2u);     // not in the utterance, empty
    ASSERT_EQ(problems.messages.size(), 6u);
    EXPECT_NE(problems.messages[0].find("dialogue tr_1, utterance 1"), std::string::npos);
    EXPECT_NE(problems.messages[0].find("talk.json:"), std::string::npos);
    EXPECT_NE(problems.messages[0].find("latent"), std::string::npos);

    std::ostringstream out;
    report_problems(problems, out, 2);
    EXPECT_NE(out.str().find("... and 4 more"), std::string::npos);
    EXPECT_NE(out.str().find("skipped 4 cause annotations and 2 spans"), std::string::npos);
}

TEST(CauseTargets, AnnotatedWithNoCauseIsATargetWithoutCauses) {
    Conversation c;
    c.id = "d";
    c.utterances = {said("Oh !", "surprise", {}, true), said("Hm .", "fear")};
    AnnotationProblems problems;
    const auto targets = cause_targets(c, problems);
    ASSERT_EQ(targets.size(), 1u);  // the unannotated one is not a target
    EXPECT_TRUE(targets[0].causes.empty());
    EXPECT_TRUE(problems.messages.empty());
}
