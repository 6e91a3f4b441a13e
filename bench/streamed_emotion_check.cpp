// Compares the speech emotion features of a recording analysed at once with those of the two-pass streaming path
// that `emo audio` takes for files over 10 minutes (speech/emotion_feature_stream), and the built-in model's
// decision from each: the check behind the figures in docs/speech.md. Use a recording short enough to hold whole.
//   streamed_emotion_check FILE.wav
#include "speech/audio_stream.hpp"
#include "speech/emotion_feature_stream.hpp"
#include "speech/emotion_features.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace {

struct Largest {
    double relative = 0;  // |streamed - at once| / |at once|, over values with |at once| >= 1e-3
    double absolute = 0;
    std::string name;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: streamed_emotion_check FILE.wav\n");
        return 2;
    }
    const std::string path = argv[1];
    const auto samples = emo::speech::read_audio(path);
    const auto at_once = emo::speech::emotion_features(samples);
    emo::speech::EmotionFeatureStream stream;
    do {
        for (std::size_t i = 0; i < samples.size(); i += 16000)
            stream.push(samples.data() + i, std::min<std::size_t>(16000, samples.size() - i));
    } while (stream.another_pass());
    const auto streamed = stream.finish();

    const auto& names = emo::speech::emotion_feature_names();
    Largest moments, percentiles, egemaps;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const bool percentile = names[i].ends_with("_p10") || names[i].ends_with("_p50") || names[i].ends_with("_p90");
        Largest& largest = i + 88 >= names.size() ? egemaps : percentile ? percentiles : moments;
        const double absolute = std::fabs(streamed[i] - at_once[i]);
        largest.absolute = std::max(largest.absolute, absolute);
        if (std::fabs(at_once[i]) >= 1e-3 && absolute / std::fabs(at_once[i]) > largest.relative)
            largest.relative = absolute / std::fabs(at_once[i]), largest.name = names[i];
    }
    std::printf("%.0f s, %zu features\n", static_cast<double>(samples.size()) / 16000, names.size());
    const std::pair<const char*, const Largest*> blocks[] = {
        {"moments", &moments}, {"percentiles", &percentiles}, {"eGeMAPS", &egemaps}};
    for (const auto& [what, largest] : blocks)
        std::printf("%-12s largest relative difference %.3g (%s), largest absolute %.3g\n", what, largest->relative,
                    largest->name.c_str(), largest->absolute);

    const auto model = emo::SpeechModel::load(emo::SpeechModel::default_directory());
    emo::AudioOptions whole, forced;
    whole.max_file_seconds = 1e9;
    forced.max_file_seconds = 1;
    emo::AudioInput input;
    input.path = path;
    const auto a = model.analyze({input}, whole).at(0);
    const auto b = model.analyze({input}, forced).at(0);
    double probability = 0;
    for (const auto& [label, p] : a.scores) probability = std::max(probability, std::fabs(p - b.scores.at(label)));
    std::printf("at once: %s (%.6f)   streamed: %s (%.6f)   largest probability difference %.3g\n", a.emotion.c_str(),
                a.scores.at(a.emotion), b.emotion.c_str(), b.scores.at(b.emotion), probability);
    return a.emotion == b.emotion ? 0 : 1;
}
