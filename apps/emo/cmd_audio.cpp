// emo audio: the emotion of speech recordings (or of their speech segments), one JSON object per line.
#include "commands.hpp"

#include <emo/emo.hpp>

#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct AudioArgs {
    std::vector<std::string> files;
    std::string model_dir, speaker;
    bool no_baseline = false;
    AudioOptions options;
};

void run_audio(const AudioArgs& args) {
    const SpeechModel model =
        SpeechModel::load(args.model_dir.empty() ? SpeechModel::default_directory() : args.model_dir);
    std::vector<AudioInput> inputs;
    for (const auto& f : args.files) {
        inputs.emplace_back();
        inputs.back().path = f;
        inputs.back().speaker = args.speaker;
    }
    AudioOptions options = args.options;
    options.speaker_baseline = !args.no_baseline;
    std::size_t failed = 0;
    for (const auto& r : model.analyze(inputs, options)) {
        failed += !r.error.empty();
        std::cout << to_json(r) << '\n';
    }
    std::cout.flush();
    if (failed) throw Error(std::to_string(failed) + " recording(s) could not be analysed (see their 'error' field)");
}

}  // namespace

void add_audio_command(CLI::App& app) {
    auto args = std::make_shared<AudioArgs>();
    auto* cmd = app.add_subcommand("audio",
                                   "Emotion of speech recordings (WAV, FLAC, OGG, MP3, ...): one JSON object per file, "
                                   "or per speech segment with --segments, in argument order");
    cmd->add_option("files", args->files, "audio files")->required();
    cmd->add_option("--model", args->model_dir, "speech model directory (default: the built-in speech-ravdess)");
    cmd->add_flag("--segments", args->options.segments,
                  "cut each file into speech segments (energy-based detection) and analyse each");
    cmd->add_option("--speaker", args->speaker,
                    "the files are recordings of this one speaker: with enough of them (the model's "
                    "min_baseline_recordings, 10 for the built-in model; segments count), features are compared with "
                    "the speaker's own average: more accurate when they span the speaker's range of emotions "
                    "(docs/speech_emotion.md)");
    cmd->add_flag("--no-baseline", args->no_baseline, "never compare with the speaker's average, even with --speaker");
    cmd->add_option("--evidence", args->options.max_evidence, "acoustic cues per result (0: none)")
        ->capture_default_str();
    cmd->add_option("--threads", args->options.threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->callback([args] { run_audio(*args); });
}

}  // namespace emo::cli
