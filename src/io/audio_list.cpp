// read_audio_list: labelled recordings from a CSV (RAVDESS's labels.csv and any file with the same columns).
#include "io/labelled_files.hpp"

#include <emo/emo.hpp>

namespace emo {

std::vector<AudioInput> read_audio_list(const std::string& csv_path) {
    std::vector<AudioInput> inputs;
    for (auto& f : io::read_labelled_files(csv_path, true, "recordings")) {
        AudioInput& input = inputs.emplace_back();
        input.path = std::move(f.path);
        input.speaker = std::move(f.speaker);
        input.label = std::move(f.label);
        input.source = std::move(f.source);
    }
    return inputs;
}

}  // namespace emo
