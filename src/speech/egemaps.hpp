// The 88 eGeMAPS v02 functionals of a recording, named and ordered as openSMILE names and orders them
// (docs/egemaps_fidelity.md lists how close each comes to openSMILE's).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace emo::speech {

// The functionals of 16 kHz mono audio, in openSMILE's column order.
std::vector<std::pair<std::string, double>> egemaps_functionals(const std::vector<float>& samples);

}  // namespace emo::speech
