// emo train text: trains a multi-label, multi-class or regression model of single texts.
#include "commands.hpp"
#include "options.hpp"

#include "io/name_lists.hpp"

#include <emo/emo.hpp>

#include <memory>

namespace emo::cli {

namespace {

struct TrainTextArgs {
    TextTrainOptions options;
    std::string format = "auto", on_error = "fail", labels_path, targets = "V,A,D";
    std::vector<std::string> perspectives;  // NAME=FILE
};

void run(TrainTextArgs& args) {
    auto& o = args.options;
    o.read.format = parse_text_format(args.format);
    o.read.on_error = error_policy(args.on_error);
    if (!args.labels_path.empty()) o.read.label_names = io::read_name_list(args.labels_path);
    if (o.task == "regression") o.read.target_names = io::split_commas(args.targets);
    for (const auto& p : args.perspectives) {
        const auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == p.size())
            throw Error("--perspective-file '" + p + "': expected NAME=FILE");
        o.perspectives.emplace_back(p.substr(0, eq), p.substr(eq + 1));
    }
    train_text_model(o);
}

}  // namespace

void add_train_text_command(CLI::App& train) {
    auto args = std::make_shared<TrainTextArgs>();
    auto& o = args->options;
    auto* cmd = train.add_subcommand("text", "Train a model of single texts (emotions or valence/arousal/dominance)");
    cmd->add_option("--task", o.task, "multilabel (GoEmotions), multiclass, or regression (EmoBank)")
        ->check(CLI::IsMember({"multilabel", "multiclass", "regression"}))
        ->capture_default_str();
    cmd->add_option("--train", o.train_path, "training texts (a file with a split column gives its train rows)")
        ->required();
    cmd->add_option("--dev", o.dev_path, "dev texts, for the reported figures (a split column: its dev rows)");
    cmd->add_option("--out", o.out_dir, "model directory to write")->required();
    cmd->add_option("--vectors", o.vectors_path,
                    "word vectors from `emo pretrain` (file or directory) as features; none: no vectors (default: "
                    "regression tries the built-in models/word-vectors and keeps them where cross-validation says "
                    "they help; classifiers use none)");
    add_encoder_feature_options(*cmd, o.encoder);
    cmd->add_option("--base", o.base_dir, "regression: a classifier model whose probabilities join the features");
    cmd->add_option("--targets", args->targets, "regression: the numeric columns to predict")->capture_default_str();
    cmd->add_option("--perspective-file", args->perspectives,
                    "regression: NAME=FILE, more targets for the same ids (EmoBank: reader=reader.csv)");
    cmd->add_option("--labels", args->labels_path,
                    "label names for GoEmotions ids, one per line (default: "
                    "emotions.txt beside the input)");
    cmd->add_option("--ekman", o.ekman_path,
                    "label groups to keep in the model (default: ekman_mapping.json beside "
                    "--train, if there)");
    cmd->add_option("--sentiment-groups", o.sentiment_path,
                    "label groups by sentiment (default: sentiment_dict.json beside --train, if there)");
    cmd->add_option("--c", o.c,
                    "inverse penalty C, sklearn's convention (0: chosen by cross-validation on train: "
                    "multiclass 0.25..64, multilabel 1..16, regression per target)")
        ->capture_default_str();
    cmd->add_option("--vector-scale", o.vector_scale,
                    "with --vectors: length of the mean word vector in a row (the n-grams' is 1)")
        ->check(CLI::Range(0.01, 100.0))
        ->capture_default_str();
    cmd->add_option("--hash-bits", o.hash_bits,
                    "n-gram feature buckets: 2^bits, the model grows with it (default: 20 for multiclass, 19 for "
                    "multilabel, 18 for regression)")
        ->check(CLI::Range(10, 22));
    cmd->add_option("--min-df", o.min_df,
                    "classifiers: leave out n-gram buckets found in fewer training texts than this (1: keep all; "
                    "default: 2)")
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--class-weight", o.class_weight,
                    "multiclass: balanced (each class weighs alike), none (each text alike), or auto: balanced where "
                    "cross-validation at the chosen C says it raises accuracy (with --c: none)")
        ->check(CLI::IsMember({"auto", "none", "balanced"}))
        ->capture_default_str();
    cmd->add_option("--folds", o.folds, "cross-validation folds on train (penalty, thresholds)")->capture_default_str();
    cmd->add_option("--seed", o.seed, "random seed (same seed, same data: same model)")->capture_default_str();
    cmd->add_option("--threads", o.threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->add_option("--format", args->format, "input format: auto (by extension), lines, csv, jsonl, goemotions")
        ->capture_default_str();
    add_on_error_option(*cmd, args->on_error, "fail: stop at the first bad record; skip: leave it out and go on");
    cmd->add_flag("!--quiet", o.verbose, "no progress on standard error");
    cmd->callback([args] { run(*args); });
}

}  // namespace emo::cli
