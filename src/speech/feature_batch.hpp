// The acoustic features of many recordings at once, file by file on several threads: each file whole, or each of its
// speech segments. The shared first step of `emo audio`, `emo eval audio` and `emo train audio`.
#pragma once

#include <emo/emo.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace emo::speech {

// A recording, or one speech segment of it, with its features.
struct FeaturePiece {
    std::size_t input = 0;             // index into the inputs
    std::optional<double> start, end;  // seconds, for a segment
    std::vector<double> features;
    std::string error;    // set instead of features when the file could not be analysed
    std::string warning;  // features computed, but of less than the file should hold (cut short, decoding error)
};

// Features computed block by block, for recordings too long to hold whole: one per file.
class StreamedFeatures {
public:
    virtual ~StreamedFeatures() = default;
    virtual void push(const float* samples, std::size_t count) = 0;  // the next 16 kHz samples
    // Called once all samples are pushed: true when the features need the recording pushed again from its start (a
    // further pass, the same samples), false when finish() may follow.
    virtual bool another_pass() { return false; }
    virtual std::vector<double> finish() = 0;                         // the features of all pushed
};

struct FeatureBatchOptions {
    // What to compute from each piece's 16 kHz samples; empty: emotion_features (speech/emotion_features.hpp).
    std::function<std::vector<double>(const std::vector<float>&)> compute;
    bool segments = false;
    // Audio around each segment that goes into its features too (as far as the file and the audio already read allow;
    // at most 0.3 s after the end is certain to be read): the emotion model was trained on clips with silence around
    // the speech. start and end stay the segment's.
    double segment_context_seconds = 0;
    // A whole file longer than this is streamed through `streamed` where given (the same features in bounded memory),
    // else an error that asks for segments.
    double max_file_seconds = 600;
    std::function<std::unique_ptr<StreamedFeatures>()> streamed;
    unsigned threads = 0;           // 0 = all cores
    std::function<void(std::size_t files_done)> progress;  // called from the workers, serialised
};

// Pieces of every input in input order (one per file, or one per segment; a file without speech gives one piece with an
// error). Unreadable files give a piece with an error; nothing is thrown for them.
std::vector<FeaturePiece> extract_feature_pieces(const std::vector<AudioInput>& inputs,
                                                 const FeatureBatchOptions& options);

}  // namespace emo::speech
