// Writes a long speech recording for bench/long_recording.sh: the RAVDESS clips (../shared/data/ravdess_speech, in
// path order, over and over) end to end as one 16 kHz 16-bit mono WAV of the asked length, written as it goes.
//   make_long_recording OUT.wav MINUTES
#include "speech/audio_stream.hpp"

#include <sndfile.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: make_long_recording OUT.wav MINUTES\n";
        return 2;
    }
    const std::string data = EMO_SOURCE_DIR "/../shared/data/ravdess_speech";
    std::vector<std::string> clips;
    if (std::filesystem::exists(data))
        for (const auto& entry : std::filesystem::recursive_directory_iterator(data))
            if (entry.path().extension() == ".flac" || entry.path().extension() == ".wav")
                clips.push_back(entry.path().string());
    if (clips.empty()) {
        std::cerr << "make_long_recording: no RAVDESS clips under " << data << "\n";
        return 1;
    }
    std::sort(clips.begin(), clips.end());
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* out = sf_open(argv[1], SFM_WRITE, &info);
    if (!out) {
        std::cerr << "make_long_recording: " << argv[1] << ": " << sf_strerror(nullptr) << "\n";
        return 1;
    }
    const auto wanted = static_cast<sf_count_t>(std::stod(argv[2]) * 60 * 16000);
    sf_count_t written = 0;
    for (std::size_t i = 0; written < wanted; i = (i + 1) % clips.size()) {
        const auto clip = emo::speech::read_audio(clips[i]);
        const auto n = std::min(static_cast<sf_count_t>(clip.size()), wanted - written);
        written += sf_writef_float(out, clip.data(), n);
    }
    sf_close(out);
    std::cout << argv[1] << ": " << written / 16000.0 << " s\n";
    return 0;
}
