// read_audio_list: labelled recordings from a CSV (RAVDESS's labels.csv and any file with the same columns).
#include "io/labelled_files.hpp"

#include <emo/emo.hpp>

namespace emo {

std::vector<AudioInput> read_audio_list(const std::string& csv_path) {
    std::vector<AudioInput> inputs;
    for (auto& f : io::read_labelled_files(csv_path, true, "recordings"))
        inputs.push_back({.path = std::move(f.path),
                          .speaker = std::move(f.speaker),
                          .label = std::move(f.label),
                          .source = std::move(f.source)});
    return inputs;
}

}  // namespace emo
