// The 88 eGeMAPS v02 functionals of a recording, named and ordered as openSMILE names and orders them
// (docs/egemaps_fidelity.md lists how close each comes to openSMILE's).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace emo::speech {

// The voiced and unvoiced segments behind the rhythm functionals (VoicedSegmentsPerSec ... StddevUnvoiced
// SegmentLength), as openSMILE 3.0.2 counts them over its own per-frame voicing (docs/speech.md).
struct VoicingSegments {
    std::vector<double> voiced, unvoiced;  // lengths in seconds, in order
    double seconds = 0;                    // the time they are counted over (VoicedSegmentsPerSec's denominator)
};

// The segments of a per-frame voicing decision on the 10 ms grid: the first and the last frame are left out; a
// segment's length is (frames - 1) x 10 ms; a voiced segment runs on across a single unvoiced frame; an unvoiced
// segment (the silence before and after the speech included) needs at least 3 frames. Empty below 3 frames.
VoicingSegments voicing_segments(const std::vector<bool>& voiced);

// The functionals of 16 kHz mono audio, in openSMILE's column order.
std::vector<std::pair<std::string, double>> egemaps_functionals(const std::vector<float>& samples);

struct EgemapsDescriptors;
// The same from descriptors already computed (speech/egemaps_descriptors, or streamed: speech/egemaps_stream).
std::vector<std::pair<std::string, double>> egemaps_functionals(const EgemapsDescriptors& descriptors);

// The names egemaps_functionals() gives, in its order (read once from the functionals of a second of silence, so that
// the list cannot drift from the code that names them).
const std::vector<std::string>& egemaps_functional_names();

}  // namespace emo::speech
