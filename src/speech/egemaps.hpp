// The eGeMAPS v02 functionals of a recording, named as openSMILE names them (work in progress, issue 6: only the
// functionals emo computes so far; docs/egemaps_fidelity.md lists all 88 and how close each comes).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace emo::speech {

// The functionals of 16 kHz mono audio, in a fixed order.
std::vector<std::pair<std::string, double>> egemaps_functionals(const std::vector<float>& samples);

}  // namespace emo::speech
