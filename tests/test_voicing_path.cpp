// The voicing path decided frame by frame as frames arrive is the path decided over all of them at the end.
#include "speech/voicing_path.hpp"

#include <gtest/gtest.h>

#include <random>

using emo::speech::VoicingPath;

TEST(VoicingPath, DecidedAsFramesArriveItIsThePathOverAllOfThem) {
    std::mt19937 random(7);
    std::uniform_real_distribution<double> salience(1.0, 2.8);
    std::bernoulli_distribution candidate(0.9);
    for (int run = 0; run < 20; ++run) {
        VoicingPath at_end(1.9, 0.05), as_they_come(1.9, 0.05);
        const std::size_t frames = 2000;
        std::size_t most_pending = 0;
        for (std::size_t t = 0; t < frames; ++t) {
            const bool c = candidate(random);
            const double s = salience(random);
            at_end.push(c, s);
            as_they_come.push(c, s);
            if (t % 7 == 0) as_they_come.settle();
            most_pending = std::max(most_pending, as_they_come.pushed() - as_they_come.decided());
        }
        at_end.finish();
        as_they_come.finish();
        ASSERT_EQ(as_they_come.decided(), frames);
        for (std::size_t t = 0; t < frames; ++t) ASSERT_EQ(as_they_come.voiced(t), at_end.voiced(t)) << t;
        EXPECT_LT(most_pending, 200u);  // the path settles within a few frames
    }
}

TEST(VoicingPath, FramesWithoutACandidateAreUnvoicedAndSettleThePath) {
    VoicingPath path(1.9, 0.05);
    for (int t = 0; t < 10; ++t) path.push(true, 3.0);
    path.push(false, 0.0);
    path.push(true, 3.0);
    path.settle();
    EXPECT_GE(path.decided(), 10u);
    for (std::size_t t = 0; t < 10; ++t) EXPECT_TRUE(path.voiced(t));
    path.finish();
    EXPECT_FALSE(path.voiced(10));
    EXPECT_TRUE(path.voiced(11));
}
