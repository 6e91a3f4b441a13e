// emo report: one self-contained HTML page (and, with --png, the charts alone as PNG files) for conversation files,
// audio files and labelled evaluations.
#include "commands.hpp"
#include "options.hpp"

#include "io/labelled_files.hpp"
#include "io/reader_common.hpp"
#include "report/charts.hpp"
#include "report/report_html.hpp"

#include <emo/dynamics.hpp>
#include <emo/emo.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

namespace emo::cli {

namespace {

namespace fs = std::filesystem;

struct ReportArgs {
    std::vector<std::string> files;
    std::string out, png_dir, title = "emo report";
    std::string model_dir, cause_model_dir, speech_model_dir;
    InputOptions input;
    bool causes = false;
    std::size_t max_dialogues = 20;
};

enum class InputKind { conversation, audio, audio_list };

// Audio by extension (the formats libsndfile reads); a CSV listing labelled recordings as emo eval audio reads them
// (io::lists_labelled_files) is an evaluation; anything else is a conversation file.
InputKind input_kind(const std::string& file) {
    const std::string ext = io::lower(fs::path(file).extension().string());
    for (const char* audio : {".wav", ".flac", ".ogg", ".oga", ".mp3", ".opus", ".aiff", ".aif", ".au"})
        if (ext == audio) return InputKind::audio;
    if (ext == ".csv" && io::lists_labelled_files(file)) return InputKind::audio_list;
    return InputKind::conversation;
}

// Letters, digits, '-', '_' and '.' kept, the rest '_', so that a dialogue id makes a safe file name.
std::string file_part(const std::string& s) {
    std::string out;
    for (const unsigned char c : s)
        out += std::isalnum(c) || c == '-' || c == '_' || c == '.' ? static_cast<char>(c) : '_';
    return out.empty() ? "_" : out;
}

class Reporter {
public:
    explicit Reporter(const ReportArgs& args) : args_(args) {}

    void add(const std::string& file) {
        if (!fs::exists(file)) throw Error(file + ": no such file");
        if (fs::is_directory(file)) throw Error(file + ": is a directory, not an input file");
        switch (input_kind(file)) {
            case InputKind::audio:
                add_audio(file);
                break;
            case InputKind::audio_list:
                add_audio_list(file);
                break;
            case InputKind::conversation:
                add_conversations(file);
                break;
        }
    }

    // Writes the page and the PNG files only once every input was analysed, so that a failed run leaves nothing
    // half-written.
    void finish() const {
        std::size_t pngs = 0;
        if (!args_.png_dir.empty()) {
            fs::create_directories(args_.png_dir);
            for (std::size_t s = 0; s < sections_.size(); ++s)
                for (const auto& chart : sections_[s].charts) {
                    const auto name = png_stems_[s] + "-" + chart.id + ".png";
                    report::write_chart_png(chart, (fs::path(args_.png_dir) / name).string());
                    ++pngs;
                }
        }
        if (!args_.out.empty()) {
            std::ofstream out(args_.out, std::ios::binary);
            out << report::report_html(args_.title, sections_);
            out.close();
            if (!out) throw Error(args_.out + ": cannot write the report");
            std::cerr << "emo: wrote " << args_.out << '\n';
        }
        if (!args_.png_dir.empty()) std::cerr << "emo: wrote " << pngs << " PNG file(s) to " << args_.png_dir << '\n';
    }

private:
    const Model& model() {
        if (!model_)
            model_ = std::make_unique<Model>(
                Model::load(args_.model_dir.empty() ? Model::default_directory() : resolve_model(args_.model_dir)));
        return *model_;
    }
    const CauseModel& cause_model() {
        if (!cause_model_)
            cause_model_ = std::make_unique<CauseModel>(CauseModel::load(
                args_.cause_model_dir.empty() ? CauseModel::default_directory() : args_.cause_model_dir));
        return *cause_model_;
    }
    const SpeechModel& speech_model() {
        if (!speech_model_)
            speech_model_ = std::make_unique<SpeechModel>(SpeechModel::load(
                args_.speech_model_dir.empty() ? SpeechModel::default_directory() : args_.speech_model_dir));
        return *speech_model_;
    }

    void add_section(report::ReportSection section, const std::string& png_stem) {
        png_stems_.push_back(png_stem);
        sections_.push_back(std::move(section));
    }

    void add_conversations(const std::string& file) {
        const auto conversations = read_conversations(file, args_.input.read_options());
        if (conversations.empty()) throw Error(file + ": no conversations in the file");
        ConvOptions options;
        options.max_evidence = 0;
        std::vector<std::string> gold, predicted;
        bool labelled = true;
        std::size_t utterances = 0;
        const std::string stem = file_part(fs::path(file).stem().string());
        for (std::size_t d = 0; d < conversations.size(); ++d) {
            const auto& conversation = conversations[d];
            // Long corpora (MELD's test split has 280 dialogues) would make a page nobody reads: the first dialogues
            // are drawn, the evaluation below still covers them all (while the file is labelled).
            const bool drawn = d < args_.max_dialogues;
            if (!drawn && !labelled) break;
            auto results = model().analyze(conversation, options);
            if (args_.causes && drawn) cause_model().find_causes(conversation, results);
            for (std::size_t i = 0; i < results.size(); ++i) {
                ++utterances;
                const auto& label = conversation.utterances[i].label;
                const auto& labels = model().labels();
                if (!results[i].error.empty() || label.empty() ||
                    std::find(labels.begin(), labels.end(), label) == labels.end()) {
                    labelled = false;
                    continue;
                }
                gold.push_back(label);
                predicted.push_back(results[i].emotion);
            }
            if (!drawn) continue;
            report::ReportSection section;
            section.kind = "conversation";
            section.heading = file + (conversations.size() > 1 ? ", dialogue " + conversation.id : "");
            section.facts = {{"input", file},
                             {"dialogue", conversation.id},
                             {"utterances", std::to_string(results.size())},
                             {"model", args_.model_dir.empty() ? Model::default_directory() : args_.model_dir}};
            if (args_.causes)
                section.facts.push_back({"cause model", args_.cause_model_dir.empty() ? CauseModel::default_directory()
                                                                                      : args_.cause_model_dir});
            section.charts = report::conversation_charts(results, conversation_dynamics(results));
            section.utterances = std::move(results);
            add_section(std::move(section), conversations.size() > 1 ? stem + "-" + file_part(conversation.id) : stem);
        }
        if (conversations.size() > args_.max_dialogues)
            std::cerr << "emo: " << file << ": drew the first " << args_.max_dialogues << " of " << conversations.size()
                      << " dialogues (--max-dialogues)\n";
        if (labelled && !gold.empty()) {
            report::ReportSection section;
            section.kind = "evaluation";
            section.heading = file + ": evaluation against its labels";
            const auto result = evaluate(gold, predicted, model().labels());
            section.facts = {{"input", file},
                             {"utterances", std::to_string(utterances)},
                             {"dialogues", std::to_string(conversations.size())}};
            section.charts = report::evaluation_charts(result);
            add_section(std::move(section), stem);
        }
    }

    void add_audio(const std::string& file) {
        AudioOptions options;
        options.segments = true;
        options.max_evidence = 0;  // the report shows no acoustic cues
        AudioInput input;
        input.path = file;
        auto results = speech_model().analyze({input}, options);
        // A recording without detectable speech still gets its waveform, with one whole-file decision.
        if (results.size() == 1 && !results[0].error.empty()) {
            options.segments = false;
            auto whole = speech_model().analyze({input}, options);
            if (!whole.at(0).error.empty()) throw Error(whole[0].error);
            results = std::move(whole);
        }
        report::ReportSection section;
        section.kind = "audio";
        section.heading = file;
        section.facts = {
            {"input", file},
            {"segments", std::to_string(results.size())},
            {"model", args_.speech_model_dir.empty() ? SpeechModel::default_directory() : args_.speech_model_dir}};
        section.charts = report::audio_charts(file, results);
        section.segments = std::move(results);
        add_section(std::move(section), file_part(fs::path(file).stem().string()));
    }

    void add_audio_list(const std::string& file) {
        const auto inputs = read_audio_list(file);  // an empty list is its Error
        const auto result = evaluate_audio(speech_model(), inputs);
        report::ReportSection section;
        section.kind = "evaluation";
        section.heading = file + ": evaluation of the speech model";
        section.facts = {{"input", file},
                         {"recordings", std::to_string(inputs.size())},
                         {"unweighted average recall", std::to_string(result.unweighted_recall)},
                         {"baseline", result.baseline}};
        section.charts = report::evaluation_charts(result.classes);
        add_section(std::move(section), file_part(fs::path(file).stem().string()));
    }

    const ReportArgs& args_;
    std::unique_ptr<Model> model_;
    std::unique_ptr<CauseModel> cause_model_;
    std::unique_ptr<SpeechModel> speech_model_;
    std::vector<report::ReportSection> sections_;
    std::vector<std::string> png_stems_;  // per section: the start of its PNG files' names
};

void run_report(const ReportArgs& args) {
    if (args.out.empty() && args.png_dir.empty()) throw Error("nothing to write: give --out FILE, --png DIR or both");
    Reporter reporter(args);
    for (const auto& file : args.files) reporter.add(file);
    reporter.finish();
}

}  // namespace

void add_report_command(CLI::App& app) {
    auto args = std::make_shared<ReportArgs>();
    auto* cmd = app.add_subcommand(
        "report",
        "A self-contained HTML report with charts (and --png: the charts as PNG files) for conversation files, audio "
        "files (WAV, FLAC, OGG, MP3) and labelled evaluations");
    cmd->add_option("files", args->files,
                    "conversation files (labelled ones add a confusion matrix and per-class bars), audio files, or "
                    "a CSV listing labelled recordings (path, emotion, speaker columns) to evaluate the speech model")
        ->required();
    cmd->add_option("--out", args->out, "the HTML file to write");
    cmd->add_option("--png", args->png_dir, "also write each chart as DIR/<input stem>-<chart>.png (alone: only PNGs)");
    cmd->add_option("--title", args->title, "the page's title")->capture_default_str();
    add_model_option(*cmd, args->model_dir);
    cmd->add_option("--cause-model", args->cause_model_dir,
                    "cause model directory (default: models/causes-reccon, or $EMO_CAUSE_MODEL_DIR)");
    cmd->add_option("--speech-model", args->speech_model_dir,
                    "speech model directory (default: models/speech-ravdess, or $EMO_SPEECH_MODEL_DIR)");
    cmd->add_flag("--causes", args->causes, "find the causes of each emotion and draw them as arrows");
    cmd->add_option("--max-dialogues", args->max_dialogues,
                    "draw at most this many dialogues per conversation file (the evaluation covers all)")
        ->capture_default_str();
    args->input.add_to(*cmd);
    cmd->callback([args] { run_report(*args); });
}

}  // namespace emo::cli
