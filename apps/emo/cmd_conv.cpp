// emo conv: the emotion of every utterance of one or more conversation files.
#include "commands.hpp"
#include "options.hpp"

#include "io/result_json.hpp"

#include <emo/emo.hpp>

#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct ConvArgs {
    std::vector<std::string> files;
    std::string model_dir;
    std::string output = "jsonl";
    InputOptions input;
    bool online = false;
    std::size_t evidence = 5;
    std::size_t context = 0;
    CheckpointOptions checkpoint;
    bool causes = false;
    bool dynamics = false;
    std::string cause_model_dir;
    CauseOptions cause_options;
};

void run_conv(const ConvArgs& args) {
    const ReadOptions read = args.input.read_options();
    Model model = Model::load(args.model_dir.empty() ? Model::default_directory() : resolve_model(args.model_dir),
                              args.checkpoint);
    ConvOptions options;
    options.online = args.online;
    options.max_evidence = args.evidence;
    options.checkpoint_context = args.context;
    std::unique_ptr<CauseModel> causes;
    if (args.causes)
        causes = std::make_unique<CauseModel>(
            CauseModel::load(args.cause_model_dir.empty() ? CauseModel::default_directory() : args.cause_model_dir));
    const bool csv = args.output == "csv";
    std::ios::sync_with_stdio(false);
    if (csv) std::cout << csv_header(model.labels());
    std::size_t total = 0, failed = 0;
    for (const auto& file : args.files) {
        for (const auto& conversation : read_conversations(file, read)) {
            auto results = model.analyze(conversation, options);
            if (causes) causes->find_causes(conversation, results, args.cause_options);
            std::cout << io::dialogue_output(results, csv ? &model.labels() : nullptr, args.dynamics);
            total += results.size();
            for (const auto& r : results) failed += !r.error.empty();
        }
    }
    std::cout.flush();
    if (failed)
        std::cerr << "emo: " << failed << " of " << total
                  << " utterances could not be analysed (see their 'error' field)\n";
}

}  // namespace

void add_conv_command(CLI::App& app) {
    auto args = std::make_shared<ConvArgs>();
    auto* cmd = app.add_subcommand("conv", "Emotion of every utterance of conversations, one JSON object per line");
    cmd->add_option("files", args->files, "conversation files; '-' reads standard input")->required();
    add_model_option(*cmd, args->model_dir);
    args->input.add_to(*cmd);
    cmd->add_option("--output", args->output, "jsonl or csv")
        ->check(CLI::IsMember({"jsonl", "csv"}))
        ->capture_default_str();
    cmd->add_flag("--online", args->online, "use only the utterances up to each one (live use)");
    add_checkpoint_context_option(*cmd, args->context);
    add_checkpoint_options(*cmd, args->checkpoint);
    cmd->add_option("--evidence", args->evidence, "how many evidence cues to report per utterance")
        ->capture_default_str();
    cmd->add_flag("--causes", args->causes, "add the causes of each non-neutral utterance's emotion (JSON output)");
    cmd->add_flag("--cause-scores", args->cause_options.candidates,
                  "with --causes: add every candidate cause's probability as `candidates`");
    cmd->add_flag("--gold-emotions", args->cause_options.gold_emotions,
                  "with --causes: take each utterance's emotion from the input's label, not the prediction");
    cmd->add_flag("--dynamics", args->dynamics,
                  "after each dialogue's utterances, a line {\"dynamics\": ...}: each speaker's emotions, running "
                  "valence / arousal, transitions and shifts (JSON output)");
    cmd->add_option("--cause-model", args->cause_model_dir,
                    "cause model directory (default: models/causes-reccon, or $EMO_CAUSE_MODEL_DIR)");
    cmd->callback([args] {
        if (!args->causes && (args->cause_options.candidates || args->cause_options.gold_emotions))
            throw Error("--cause-scores and --gold-emotions need --causes");
        if (args->causes && args->output == "csv") throw Error("--causes needs JSON output (--output jsonl)");
        if (args->dynamics && args->output == "csv") throw Error("--dynamics needs JSON output (--output jsonl)");
        run_conv(*args);
    });
}

}  // namespace emo::cli
