// Formants F1-F3 of voiced frames by linear prediction (work in progress, issue 6): the signal at 11,025 Hz,
// pre-emphasised, a 25 ms Hamming window centred on each 60 ms eGeMAPS frame, autocorrelation LPC of order 10
// (Levinson-Durbin), and the roots of the prediction polynomial: each root above the real axis is a resonance at
// angle * rate / 2 pi Hz with bandwidth -ln|root| * rate / pi Hz. The three lowest resonances above 90 Hz with
// bandwidths under 800 Hz are F1, F2 and F3.
#pragma once

#include "speech/pitch.hpp"

#include <array>
#include <complex>
#include <vector>

namespace emo::speech {

struct FormantFrame {
    std::array<double, 3> frequency{};  // Hz; 0 where not found or unvoiced
    std::array<double, 3> bandwidth{};  // Hz
};

// The formants of the frames of `pitch` over 16 kHz samples; unvoiced frames stay 0. Smoothed over the voiced frames
// among 3 ("_sma3nz"). A piece of a longer recording that starts at its frame `first_frame` (a multiple of 4, so
// that the piece starts on a sample of the 11,025 Hz grid) gives the frames of the recording at once, up to the
// resampler's rounding.
std::vector<FormantFrame> track_formants(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch,
                                         std::size_t first_frame = 0);

// The roots of z^n + c[0] z^(n-1) + ... + c[n-1] (Durand-Kerner iteration); exposed for tests.
std::vector<std::complex<double>> polynomial_roots(const std::vector<double>& coefficients);

}  // namespace emo::speech
