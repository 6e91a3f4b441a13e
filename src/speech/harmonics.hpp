// Harmonic levels of voiced frames, the remaining spectral-shape descriptors of eGeMAPS: H1-A3
// (logRelF0-H1-A3_sma3nz) and the formant amplitudes F1-F3 (F<n>amplitudeLogRelF0_sma3nz), on the pitch tracker's
// 60 ms Gaussian window. A harmonic's level is the spectrum's peak within a quarter of F0 of its frequency. The
// amplitude of F2 and F3 is the level of the harmonic nearest the formant over the level at F0, F1's the spectrum's
// peak within a quarter of F1's bandwidth over the level at F0; H1-A3 is the level at 2 F0 over the spectrum's peak
// within half F3's bandwidth of F3 (openSMILE's conventions as its frame-level output shows them, docs/speech.md).
#pragma once

#include "speech/formants.hpp"
#include "speech/pitch.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace emo::speech {

// The value openSMILE writes for a formant amplitude where there is none (unvoiced frames); its functionals then
// average it in with the voiced frames, and so do ours (docs/speech.md).
inline constexpr double no_formant_amplitude_db = -201;

struct HarmonicFrame {
    double h1_a3_db = 0;  // 20 log10(H(2 F0) / A3), as above; 0 unvoiced; smoothed over voiced frames
    // 20 log10(A_n / H1), as above; no_formant_amplitude_db unvoiced; smoothed over all frames
    std::array<double, 3> formant_amplitude_db{no_formant_amplitude_db, no_formant_amplitude_db,
                                               no_formant_amplitude_db};
};

// The spectrum's peak magnitude within a quarter of `f0_hz` of harmonic `n` (n >= 1), from the magnitudes of an
// FFT of `fft_size` points at `rate` Hz.
double harmonic_level(const std::vector<double>& magnitude, double f0_hz, int n, double rate, std::size_t fft_size);

// The descriptors of the frames of `pitch` (frame t covers samples [t*160, t*160+960)) with the formants of the same
// frames.
std::vector<HarmonicFrame> harmonic_amplitudes(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch,
                                               const std::vector<FormantFrame>& formants);

}  // namespace emo::speech
