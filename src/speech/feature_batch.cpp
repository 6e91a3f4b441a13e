#include "speech/feature_batch.hpp"

#include "speech/audio_stream.hpp"
#include "speech/emotion_features.hpp"
#include "speech/voice_activity.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace emo::speech {

namespace {

constexpr int rate = 16000;
// With segments, only the last 40 s of audio are kept: a segment lasts at most 30 s (VadOptions) and is finished within
// a pause of 0.3 s after it ends, so no segment reaches further back.
constexpr std::size_t kept_samples = 40 * rate;
constexpr std::size_t block_samples = rate;

using Compute = std::function<std::vector<double>(const std::vector<float>&)>;

std::string seconds_text(std::size_t samples) { return std::to_string(static_cast<long long>(samples / rate)) + " s"; }

// The first `samples` samples of the file once more, for a further pass: exactly those the first pass read, so that a
// file that broke off gives every pass the same audio.
// The input's audio: its file, or its samples in memory.
AudioStream open_stream(const AudioInput& input) {
    return input.samples ? AudioStream(input.samples, input.sample_rate, input.path, rate)
                         : AudioStream(input.path, rate);
}

void push_again(const AudioInput& input, std::size_t samples, StreamedFeatures& streamed) {
    AudioStream stream = open_stream(input);
    std::vector<float> block;
    for (std::size_t pushed = 0; pushed < samples;) {
        block.clear();
        if (stream.read(block, block_samples) == 0) break;
        const std::size_t take = std::min(block.size(), samples - pushed);
        streamed.push(block.data(), take);
        pushed += take;
    }
}

std::vector<FeaturePiece> whole_file(std::size_t index, const AudioInput& input, const FeatureBatchOptions& options,
                                     const Compute& compute) {
    const std::string& path = input.path;
    AudioStream stream = open_stream(input);
    const auto& info = stream.info();
    const double max_seconds = options.max_file_seconds;
    const auto limit = static_cast<std::size_t>(max_seconds * rate);
    const auto refuse = [&] {
        throw Error(path + ": longer than " + std::to_string(static_cast<long>(max_seconds)) +
                    " s; such recordings are analysed by speech segments (--segments)");
    };
    FeaturePiece piece;
    piece.input = index;
    // Up to the limit the file is analysed at once; past it (by its header, or as it turns out: headers of streams
    // can be wrong) it is streamed, where the features allow.
    std::unique_ptr<StreamedFeatures> streamed;
    const auto go_streaming = [&] {
        if (!options.streamed) refuse();
        streamed = options.streamed();
    };
    if (info.sample_rate > 0 && static_cast<double>(info.frames) / info.sample_rate > max_seconds) go_streaming();
    std::vector<float> samples;
    std::size_t read = 0;
    try {
        for (std::size_t got; (got = stream.read(samples, block_samples)) > 0;) {
            read += got;
            if (!streamed && samples.size() > limit) go_streaming();
            if (streamed) streamed->push(samples.data(), samples.size()), samples.clear();
        }
    } catch (const Error& e) {
        // A file that breaks off in the middle still has what came before: its features, with a warning.
        if (read == 0) throw;
        piece.warning = std::string(e.what()) + "; the features are of the first " + seconds_text(read);
    }
    if (info.cut_short && piece.warning.empty())
        piece.warning = path + ": the file ends before its header says (cut short?); the features are of the " +
                        seconds_text(read) + " it holds";
    if (streamed)
        while (streamed->another_pass()) push_again(input, read, *streamed);
    piece.features = streamed ? streamed->finish() : compute(samples);
    return {std::move(piece)};
}

std::vector<FeaturePiece> by_segments(std::size_t index, const AudioInput& input, const Compute& compute,
                                      double context_seconds) {
    const std::string& path = input.path;
    AudioStream stream = open_stream(input);
    EnergyVad vad(rate);
    std::vector<float> buffer;
    std::size_t buffer_start = 0;  // sample index of buffer[0] in the file
    std::vector<FeaturePiece> pieces;
    const auto analyse = [&](const std::vector<Segment>& segments) {
        for (const auto& s : segments) {
            const auto first = static_cast<std::size_t>(std::max(0.0, s.start - context_seconds) * rate);
            const auto last = static_cast<std::size_t>((s.end + context_seconds) * rate);
            const std::size_t from = std::min(std::max(first, buffer_start) - buffer_start, buffer.size());
            const std::size_t to = last > buffer_start ? std::min(last - buffer_start, buffer.size()) : 0;
            FeaturePiece piece;
            piece.input = index;
            piece.start = s.start;
            piece.end = s.end;
            piece.features =
                compute(std::vector<float>(buffer.begin() + static_cast<std::ptrdiff_t>(from),
                                           buffer.begin() + static_cast<std::ptrdiff_t>(std::max(from, to))));
            pieces.push_back(std::move(piece));
        }
    };
    for (;;) {
        const std::size_t before = buffer.size();
        if (stream.read(buffer, block_samples) == 0) break;
        vad.push(buffer.data() + before, buffer.size() - before);
        analyse(vad.take());
        if (buffer.size() > 2 * kept_samples) {
            const std::size_t drop = buffer.size() - kept_samples;
            buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(drop));
            buffer_start += drop;
        }
    }
    analyse(vad.finish());
    if (pieces.empty()) {
        FeaturePiece none;
        none.input = index;
        none.error = path + ": no speech found (every frame below the voice activity thresholds of docs/speech.md)";
        pieces.push_back(std::move(none));
    }
    return pieces;
}

}  // namespace

std::vector<FeaturePiece> extract_feature_pieces(const std::vector<AudioInput>& inputs,
                                                 const FeatureBatchOptions& options) {
    const Compute compute = options.compute ? options.compute : Compute(emotion_features);
    std::vector<std::vector<FeaturePiece>> per_input(inputs.size());
    std::atomic<std::size_t> next{0};
    std::mutex progress_lock;
    std::size_t done = 0;
    const auto work = [&] {
        for (std::size_t i; (i = next++) < inputs.size();) {
            try {
                per_input[i] = options.segments ? by_segments(i, inputs[i], compute, options.segment_context_seconds)
                                                : whole_file(i, inputs[i], options, compute);
            } catch (const std::exception& e) {
                FeaturePiece failed;
                failed.input = i;
                failed.error = e.what();
                per_input[i] = {std::move(failed)};
            }
            if (options.progress) {
                std::lock_guard lock(progress_lock);
                options.progress(++done);
            }
        }
    };
    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(inputs.size(), 1)));
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work);
    work();
    for (auto& w : workers) w.join();
    std::vector<FeaturePiece> pieces;
    for (auto& list : per_input)
        for (auto& piece : list) pieces.push_back(std::move(piece));
    return pieces;
}

}  // namespace emo::speech
