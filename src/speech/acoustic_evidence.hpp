// The acoustic cues behind a speech emotion decision, in words ("pitch 4.1 semitones above the speaker's average"):
// among the features a listener can name (pitch, loudness, tempo, voice quality, spectral balance), those whose
// deviation from the reference pushed the predicted class up most. The model reads many more features (mel and MFCC
// statistics) that have no such names; they are not listed.
#pragma once

#include "speech/speech_emotion_model.hpp"

#include <emo/emo.hpp>

#include <vector>

namespace emo::speech {

// Up to `max` cues for class `label` of a feature row, strongest contribution first (log-odds, centred over the
// classes); only cues that speak for the class. With a speaker baseline the reference is the speaker's average and the
// speaker half of the model is the one explained; otherwise the training voices' average and the population half.
std::vector<EvidenceItem> acoustic_evidence(const SpeechEmotionModel& model, const std::vector<double>& features,
                                            const SpeakerBaseline* baseline, std::size_t label, std::size_t max);

}  // namespace emo::speech
