// The frame-level eGeMAPS reference (openSMILE 3.0.2) of five RAVDESS files in ../shared/reference/egemaps, with the
// audio each was computed from, for the tests that hold our descriptors against it.
#pragma once

#include "speech/audio_stream.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace emo_test {

struct ReferenceFile {
    std::string id;                                      // e.g. 03-01-01-01-02-01-19
    std::vector<float> samples;                          // the file at 16 kHz
    std::map<std::string, std::vector<double>> columns;  // descriptor name -> value per frame
};

inline const std::string egemaps_reference_dir = EMO_SOURCE_DIR "/../shared/reference/egemaps";

// Every lld_*.csv of the reference with its audio; empty when the reference is absent.
inline std::vector<ReferenceFile> reference_llds() {
    std::vector<ReferenceFile> files;
    if (!std::filesystem::exists(egemaps_reference_dir)) return files;
    for (const auto& entry : std::filesystem::directory_iterator(egemaps_reference_dir)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("lld_", 0) != 0) continue;
        ReferenceFile file;
        file.id = name.substr(4, name.size() - 8);
        file.samples = emo::speech::read_audio(EMO_SOURCE_DIR "/../shared/data/ravdess_speech/Actor_" +
                                               file.id.substr(file.id.size() - 2) + "/" + file.id + ".flac");
        std::ifstream in(entry.path());
        std::string line;
        std::getline(in, line);
        std::vector<std::string> names;
        std::stringstream header(line);
        for (std::string c; std::getline(header, c, ';');) names.push_back(c);
        while (std::getline(in, line)) {
            std::stringstream row(line);
            std::string cell;
            for (std::size_t c = 0; std::getline(row, cell, ';'); ++c)
                if (c >= 2) file.columns[names[c]].push_back(std::stod(cell));  // after name and frameTime
        }
        files.push_back(std::move(file));
    }
    return files;
}

}  // namespace emo_test
