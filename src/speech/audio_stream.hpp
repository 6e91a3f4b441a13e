// Audio input for the speech front-end: any file libsndfile decodes (WAV, FLAC, OGG/Vorbis, MP3, ...), at any
// sample rate and channel count, delivered as mono floats at one target rate (16 kHz by default) in blocks, so
// that memory stays bounded however long the recording is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace emo::speech {

struct AudioInfo {
    int sample_rate = 0;      // of the file
    int channels = 0;         // of the file; they are averaged into one
    std::int64_t frames = 0;  // per channel, as the file's header says (may be 0 for a stream of unknown length)
    std::string format;       // libsndfile's name of the container and encoding, for messages
    bool cut_short = false;   // the header promises more audio than the file holds (frames counts what it holds)
};

class AudioStream {
public:
    // Opens `path`. A missing file, a directory, an empty or corrupt file and an unsupported format throw emo::Error
    // naming the path and what libsndfile says.
    explicit AudioStream(const std::string& path, int target_rate = 16000);
    // A recording in memory: mono `samples` at `sample_rate` Hz, named `name` in messages. An empty recording, a rate
    // out of range and a sample that is not finite throw emo::Error naming it.
    AudioStream(std::shared_ptr<const std::vector<float>> samples, int sample_rate, const std::string& name,
                int target_rate = 16000);
    AudioStream(AudioStream&&) noexcept;
    AudioStream& operator=(AudioStream&&) noexcept;
    ~AudioStream();

    const AudioInfo& info() const;
    int rate() const;  // the target rate of what read() returns

    // Appends the next mono samples at the target rate to `out` and returns how many (0: end of file). It stops
    // once it has appended at least `max_samples`, or at the end; one decoded block (4,096 frames of the file) may
    // take it past `max_samples`. A decoding error in the middle of the file throws emo::Error naming the path.
    std::size_t read(std::vector<float>& out, std::size_t max_samples);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// All of a file as mono samples at `target_rate`: for short clips (tests, RAVDESS); long recordings should stream.
std::vector<float> read_audio(const std::string& path, int target_rate = 16000);

}  // namespace emo::speech
