// The speech emotion figures of gold and predicted labels, shared by `emo eval audio` on a model and the trainer's
// speaker-independent cross-validation, so that both compute UA the same way.
#pragma once

#include <emo/emo.hpp>

#include <string>
#include <vector>

namespace emo::eval {

// Accuracy (WA), per-class figures and confusion through emo::evaluate; UA is the mean recall over the classes that
// occur in `gold`.
AudioEvalReport audio_report(const std::vector<std::string>& gold, const std::vector<std::string>& predicted,
                             const std::vector<std::string>& labels, std::string baseline);

}  // namespace emo::eval
