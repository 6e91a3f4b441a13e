// The 25 frame-level descriptors of eGeMAPS v02 ("LLDs"), one row per 10 ms frame, named and ordered as openSMILE's LLD
// output (`emo features --lld`). The functionals (speech/egemaps.hpp) summarise the same descriptors.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace emo::speech {

inline constexpr std::size_t egemaps_lld_count = 25;
using LldFrame = std::array<double, egemaps_lld_count>;

// openSMILE's names of the 25 descriptors, in its column order.
const std::vector<std::string>& egemaps_lld_names();

// The descriptors of 16 kHz mono audio: row t is the frame starting at t * 10 ms (egemaps_frame_count rows).
// Descriptors of voiced frames only ("_sma3nz") hold 0 on unvoiced frames, except the formant amplitudes, which hold
// openSMILE's -201 there.
std::vector<LldFrame> egemaps_lld(const std::vector<float>& samples);

struct EgemapsDescriptors;
// The same rows from descriptors already computed (speech/egemaps_descriptors, or streamed: speech/egemaps_stream).
std::vector<LldFrame> egemaps_lld(const EgemapsDescriptors& descriptors);

}  // namespace emo::speech
