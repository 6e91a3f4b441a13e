// Sentiment polarity of emotion labels, used when a model has no sentiment head of its own (MELD annotates
// sentiment; DailyDialog and EmoryNLP do not).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace emo::labels {

// negative, neutral, positive: MELD's order.
const std::vector<std::string>& sentiment_labels();

// Sentiment probabilities implied by emotion probabilities: each emotion's mass goes to its polarity; surprise,
// which MELD annotates as often positive as negative, and unknown labels are split between the three evenly.
std::map<std::string, double> sentiment_from_emotions(const std::vector<std::string>& labels,
                                                      const std::vector<double>& probs);

}  // namespace emo::labels
