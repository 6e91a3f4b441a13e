// Synthetic speech-like audio for the speech tests: harmonic "syllables" with a pitch and a level, and a WAV writer.
#pragma once

#include <emo/emo.hpp>

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace emo_test {

// `syllables` bursts of 0.25 s, 0.15 s apart, of a 10-harmonic tone at `f0` Hz with peak `amplitude`, after 0.3 s of
// near-silence and followed by 0.3 s more, at 16 kHz. Low noise (about -70 dBFS) throughout.
inline std::vector<float> voiced_syllables(double f0, int syllables, double amplitude = 0.3) {
    constexpr int rate = 16000;
    const double seconds = 0.6 + syllables * 0.4;
    std::vector<float> x(static_cast<std::size_t>(seconds * rate));
    unsigned noise = 12345;
    for (std::size_t i = 0; i < x.size(); ++i) {
        noise = noise * 1103515245u + 12345u;
        x[i] = static_cast<float>(3e-4 * ((noise >> 16) / 32768.0 - 1.0));
        const double t = static_cast<double>(i) / rate - 0.3;
        const double within = std::fmod(t, 0.4);
        if (t < 0 || t >= syllables * 0.4 || within >= 0.25) continue;
        const double envelope = std::sin(std::numbers::pi * within / 0.25);
        double tone = 0;
        for (int h = 1; h <= 10; ++h) tone += std::sin(2 * std::numbers::pi * f0 * h * t) / h;
        x[i] += static_cast<float>(amplitude * envelope * tone / 2.0);
    }
    return x;
}

// Writes float samples as a 16-bit WAV file at `rate`, the same signal on each of `channels` channels (values beyond
// [-1, 1] clip, as they would in a recording).
inline void write_wav(const std::string& path, const std::vector<float>& samples, int rate = 16000, int channels = 1) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
    sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    std::vector<float> frames;
    for (float x : samples) frames.insert(frames.end(), static_cast<std::size_t>(channels), x);
    sf_writef_float(f, frames.data(), static_cast<sf_count_t>(samples.size()));
    sf_close(f);
}

// The input of the speech front-end for a file (no speaker, no label).
inline emo::AudioInput file_input(const std::string& path) {
    emo::AudioInput input;
    input.path = path;
    return input;
}

}  // namespace emo_test
