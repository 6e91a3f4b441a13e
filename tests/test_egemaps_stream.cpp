// eGeMAPS streamed block by block: the same functionals as the recording analysed at once, in bounded memory.
#include "speech/egemaps.hpp"
#include "speech/egemaps_stream.hpp"

#include "speech/audio_stream.hpp"
#include "synthetic_voice.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <numbers>

using emo::speech::EgemapsStream;

namespace {

// Pushes `x` in blocks of `block` samples.
emo::speech::EgemapsDescriptors streamed(const std::vector<float>& x, std::size_t block) {
    EgemapsStream stream;
    for (std::size_t i = 0; i < x.size(); i += block) stream.push(x.data() + i, std::min(block, x.size() - i));
    return stream.finish();
}

// Each functional within 1e-5 of the whole-recording value, relative to its magnitude (at least 1e-3: the stddevNorm
// of a mean near 0 and the slopes' 0 where a contour has no turning point).
void expect_same_functionals(const std::vector<float>& x, std::size_t block) {
    const auto whole = emo::speech::egemaps_functionals(x);
    const auto pieces = emo::speech::egemaps_functionals(streamed(x, block));
    ASSERT_EQ(whole.size(), pieces.size());
    double largest = 0;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        const double scale = std::max(1e-3, std::fabs(whole[i].second));
        EXPECT_NEAR(pieces[i].second, whole[i].second, 1e-5 * scale) << whole[i].first << " (block " << block << ")";
        largest = std::max(largest, std::fabs(pieces[i].second - whole[i].second) / scale);
    }
    std::cout << "block " << block << ": largest relative difference " << largest << '\n';
}

// Phrases of voiced syllables at several pitches with pauses between them, 12 s in all.
std::vector<float> phrases() {
    std::vector<float> x;
    for (int k = 0; k < 6; ++k) {
        const auto phrase = emo_test::voiced_syllables(110 + 35 * k, 4 + k % 3, 0.2 + 0.05 * k);
        x.insert(x.end(), phrase.begin(), phrase.end());
    }
    return x;
}

}  // namespace

TEST(EgemapsStream, GivesTheFunctionalsOfTheRecordingAtOnceWhateverTheBlockSize) {
    const auto x = phrases();
    for (std::size_t block : {160u, 777u, 4096u, 100000u}) expect_same_functionals(x, block);
}

TEST(EgemapsStream, GivesTheFunctionalsOfRealSpeechAtOnce) {
    const std::string dir = EMO_SOURCE_DIR "/../shared/data/ravdess_speech/Actor_01";
    if (!std::filesystem::exists(dir)) GTEST_SKIP() << "RAVDESS is absent (../shared/data/ravdess_speech)";
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    files.resize(std::min<std::size_t>(files.size(), 12));
    std::vector<float> x;
    for (const auto& f : files) {
        const auto clip = emo::speech::read_audio(f);
        x.insert(x.end(), clip.begin(), clip.end());
    }
    expect_same_functionals(x, 1000);
}

TEST(EgemapsStream, ShortRecordingsAndSilence) {
    for (std::size_t n : {0u, 100u, 900u, 961u, 16000u}) {
        const std::vector<float> x(n, 0.0f);
        const auto whole = emo::speech::egemaps_functionals(x);
        const auto pieces = emo::speech::egemaps_functionals(streamed(x, 333));
        ASSERT_EQ(whole.size(), pieces.size());
        for (std::size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(pieces[i].second, whole[i].second) << n;
    }
}

TEST(EgemapsStream, HoldsABoundedStretchOfAudioEvenWithoutPauses) {
    // Two minutes of an unbroken voiced tone: no pause to cut at, so the stream cuts where it stands.
    constexpr std::size_t rate = 16000, seconds = 120;
    std::vector<float> x(rate * seconds);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = static_cast<double>(i) / rate;
        double tone = 0;
        for (int h = 1; h <= 8; ++h) tone += std::sin(2 * std::numbers::pi * 150 * h * t) / h;
        x[i] = static_cast<float>(0.2 * tone);
    }
    EgemapsStream stream;
    std::size_t most = 0;
    for (std::size_t i = 0; i < x.size(); i += 4096) {
        stream.push(x.data() + i, std::min<std::size_t>(4096, x.size() - i));
        most = std::max(most, stream.buffered_samples());
    }
    EXPECT_LT(most, 40 * rate);
    const auto d = stream.finish();
    EXPECT_EQ(d.frames, emo::speech::egemaps_frame_count(x.size()));
    EXPECT_EQ(d.semitones.size(), d.frames);
    EXPECT_EQ(d.harmonics.size(), d.frames);
    // The mean F0 is the tone's (150 Hz: 29.8 semitones above 27.5 Hz).
    EXPECT_NEAR(emo::speech::egemaps_functionals(d)[0].second, 12 * std::log2(150 / 27.5), 0.2);
}
