// Energy-based voice activity detection: segments, short bursts, short pauses, long speech, silence.
#include "speech/audio_stream.hpp"
#include "speech/voice_activity.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

using emo::speech::EnergyVad;
using emo::speech::Segment;

namespace {

constexpr int rate = 16000;

// Quiet noise (about -70 dBFS) with "syllables" in [start, end) seconds: a tone peaking near -17 dBFS whose
// loudness rises and falls four times a second, dipping to the noise between, as speech does.
std::vector<float> tones_in_noise(double seconds, const std::vector<std::pair<double, double>>& tones) {
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.0003f);
    std::vector<float> x(static_cast<std::size_t>(seconds * rate));
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = static_cast<double>(i) / rate;
        x[i] = noise(rng);
        for (auto [a, b] : tones)
            if (t >= a && t < b)
                x[i] += static_cast<float>(0.2 * std::pow(std::sin(std::numbers::pi * 4 * (t - a)), 2) *
                                           std::sin(2 * std::numbers::pi * 220 * t));
    }
    return x;
}

std::vector<Segment> segments(const std::vector<float>& x, std::size_t block = 1000,
                              const emo::speech::VadOptions& options = {}) {
    EnergyVad vad(rate, options);
    std::vector<Segment> out;
    for (std::size_t i = 0; i < x.size(); i += block) {
        vad.push(x.data() + i, std::min(block, x.size() - i));
        for (auto s : vad.take()) out.push_back(s);
    }
    for (auto s : vad.finish()) out.push_back(s);
    return out;
}

}  // namespace

TEST(EnergyVad, FindsSpeechDropsClicksAndBridgesShortPauses) {
    // speech 1.0-2.5 s; a 0.1 s click at 3.5 s; speech 5.0-6.0 and 6.2-7.0 s (a 0.2 s pause); silence to 8 s.
    const auto x = tones_in_noise(8.0, {{1.0, 2.5}, {3.5, 3.6}, {5.0, 6.0}, {6.2, 7.0}});
    const auto s = segments(x);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_NEAR(s[0].start, 1.0, 0.03);
    EXPECT_NEAR(s[0].end, 2.5, 0.03);
    EXPECT_NEAR(s[1].start, 5.0, 0.03);
    EXPECT_NEAR(s[1].end, 7.0, 0.03);
}

TEST(EnergyVad, SameSegmentsWhateverTheBlockSize) {
    const auto x = tones_in_noise(4.0, {{0.5, 1.5}, {2.0, 3.5}});
    const auto a = segments(x, 1), b = segments(x, 4096);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_DOUBLE_EQ(a[i].start, b[i].start);
        EXPECT_DOUBLE_EQ(a[i].end, b[i].end);
    }
}

TEST(EnergyVad, LongSpeechIsCutAndSilenceGivesNothing) {
    emo::speech::VadOptions options;
    options.max_segment_seconds = 2;
    const auto s = segments(tones_in_noise(5.0, {{0.0, 5.0}}), 1000, options);
    ASSERT_GE(s.size(), 2u);
    for (const auto& seg : s) EXPECT_LE(seg.end - seg.start, 2.0 + 0.03);
    EXPECT_TRUE(segments(tones_in_noise(3.0, {})).empty());
    EXPECT_TRUE(segments(std::vector<float>(rate, 0.0f)).empty());  // digital silence
}

TEST(EnergyVad, SpeechFromTheFirstSampleToTheLast) {
    const auto s = segments(tones_in_noise(1.0, {{0.0, 1.0}}));
    ASSERT_EQ(s.size(), 1u);
    EXPECT_NEAR(s[0].start, 0.0, 1e-9);
    EXPECT_NEAR(s[0].end, 1.0, 0.03);
}

TEST(EnergyVad, FindsTheSentenceOfARavdessClip) {
    const std::string path = EMO_SOURCE_DIR "/../shared/data/ravdess_speech/Actor_01/03-01-01-01-01-01-01.flac";
    std::vector<float> x;
    try {
        x = emo::speech::read_audio(path);
    } catch (const emo::Error&) {
        GTEST_SKIP() << "RAVDESS is absent (../shared/data/ravdess_speech)";
    }
    const double duration = static_cast<double>(x.size()) / rate;
    const auto s = segments(x);
    ASSERT_FALSE(s.empty());
    double speech = 0;
    for (const auto& seg : s) {
        EXPECT_GE(seg.start, 0.2);  // RAVDESS clips start with silence...
        EXPECT_LE(seg.end, duration - 0.2);  // ... and end with it
        speech += seg.end - seg.start;
    }
    EXPECT_GT(speech, 1.0);  // "Kids are talking by the door" lasts over a second
    EXPECT_LT(speech, duration - 0.5);
}
