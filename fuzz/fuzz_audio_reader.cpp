// libFuzzer target: the audio reader behind `emo audio`, `emo features` and POST /v1/audio (libsndfile, resampled to
// 16 kHz) on arbitrary bytes as a file: samples or emo::Error, never a crash or an out-of-bounds read, whatever the
// header claims.
#include "fuzz_file.hpp"
#include "speech/audio_stream.hpp"

#include <emo/emo.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > (1u << 20)) return 0;  // headers are what is fuzzed, not long recordings
    const std::string path = emo_fuzz::write_input(data, size, ".audio");
    try {
        const auto samples = emo::speech::read_audio(path);
        volatile float sum = 0;  // reads every sample, so that a short buffer shows
        for (float s : samples) sum = sum + s;
    } catch (const emo::Error&) {
    }
    return 0;
}
