// `emo pretrain`: skip-gram word vectors from unlabelled text, saved for `emo train --vectors`.
#include "commands.hpp"

#include "text/word_vectors.hpp"
#include "train/corpus.hpp"
#include "train/skipgram.hpp"

#include <emo/emo.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace emo::cli {

namespace {

struct PretrainArgs {
    std::vector<std::string> corpora;
    std::vector<std::string> extra_text;
    std::string out;
    std::string dtype = "f16";
    std::int64_t min_count = 5;
    std::size_t max_vocab = 80000;
    train::SkipGramOptions skipgram;
    bool quiet = false;
};

// The shared data sits beside the repository; EMO_SOURCE_DIR is not known to the CLI, so this is cwd-relative.
std::vector<std::string> default_corpora() {
    const std::filesystem::path root = "../shared/data";
    std::vector<std::string> out;
    for (const char* name : {"unlabeled_english", "switchboard_swda"}) {
        auto dir = root / name;
        if (!std::filesystem::is_directory(dir))
            throw Error("default corpus " + dir.string() + " not found (it is looked up relative to the current "
                        "directory, so run from the repository root) — or name corpora with --corpus");
        out.push_back(dir.string());
    }
    return out;
}

std::string millions(std::size_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2fM", static_cast<double>(n) / 1e6);
    return buf;
}

void run_pretrain(PretrainArgs& args) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    std::ostream* log = args.quiet ? nullptr : &std::cerr;
    auto say = [&](const std::string& line) {
        if (log) *log << "pretrain: " << line << '\n' << std::flush;
    };

    // All paths are resolved before reading starts, so a typo in the last one fails at once.
    std::vector<std::pair<std::string, std::vector<train::CorpusFile>>> sources;
    for (const auto& spec : args.corpora.empty() ? default_corpora() : args.corpora)
        sources.emplace_back(spec, train::resolve_corpus(spec));
    for (const auto& path : args.extra_text) sources.emplace_back(path, train::resolve_corpus("text:" + path));
    // Checked before hours of reading and training, not after.
    auto out_dir = std::filesystem::path(args.out).parent_path();
    if (!out_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(out_dir, ec);
        if (ec) throw Error(args.out + ": cannot create directory " + out_dir.string() + ": " + ec.message());
    }

    train::TokenCorpusBuilder builder;
    train::CorpusStats stats;
    for (const auto& [spec, files] : sources) {
        const auto before = stats.tokens;
        for (const auto& file : files)
            train::read_corpus_file(file, [&](const auto& tokens) { builder.add(tokens); }, stats);
        say("read " + spec + ": " + std::to_string(files.size()) + " files, " + millions(stats.tokens - before) +
            " tokens");
    }
    if (stats.invalid_utf8) say("skipped " + std::to_string(stats.invalid_utf8) + " lines with invalid UTF-8");
    const std::size_t distinct = builder.distinct();
    auto corpus = builder.finish(args.min_count, args.max_vocab);
    const double read_secs = std::chrono::duration<double>(clock::now() - start).count();
    say(std::to_string(stats.files) + " files, " + std::to_string(stats.sentences) + " sentences, " +
        millions(stats.tokens) + " tokens, " + std::to_string(distinct) + " distinct; vocabulary " +
        std::to_string(corpus.words.size()) + " words covering " + millions(corpus.tokens.size()) + " tokens (read in " +
        std::to_string(static_cast<int>(read_secs)) + " s)");

    args.skipgram.progress = log;
    auto vectors = train::train_skipgram(corpus, args.skipgram);
    vectors.save(args.out, args.dtype == "f32" ? text::WordVectors::Dtype::f32 : text::WordVectors::Dtype::f16);

    std::error_code ec;
    auto bytes = std::filesystem::file_size(args.out, ec);
    const double secs = std::chrono::duration<double>(clock::now() - start).count();
    say("wrote " + args.out + ": " + std::to_string(vectors.size()) + " x " + std::to_string(vectors.dim()) +
        " vectors, " + (ec ? std::string("?") : std::to_string(bytes)) + " bytes, " +
        std::to_string(static_cast<int>(secs)) + " s in all");
}

}  // namespace

void add_pretrain_command(CLI::App& app) {
    auto args = std::make_shared<PretrainArgs>();
    auto* cmd = app.add_subcommand(
        "pretrain", "Learn word vectors (skip-gram, negative sampling) from unlabelled text, for emo train --vectors");
    cmd->add_option("--corpus", args->corpora,
                    "Corpus path (repeatable): a directory or file of .txt.xz shards, a Switchboard directory or "
                    "file (speaker|text|tag), or plain .txt (one text per line); prefix xz:, swda: or text: to force "
                    "the kind. Default: ../shared/data/unlabeled_english and ../shared/data/switchboard_swda");
    cmd->add_option("--extra-text", args->extra_text,
                    "Extra plain-text file or directory of .txt files, one text per line (repeatable)");
    cmd->add_option("--out", args->out, "Output file (safetensors), e.g. build/vectors-100d.safetensors")
        ->required();
    cmd->add_option("--dim", args->skipgram.dim, "Vector dimension")->capture_default_str()->check(CLI::Range(1, 4096));
    cmd->add_option("--epochs", args->skipgram.epochs, "Passes over the corpus")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--window", args->skipgram.window, "Largest distance from a word to its context words")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--negatives", args->skipgram.negatives, "Noise words per context word")
        ->capture_default_str()
        ->check(CLI::Range(0, 1000));
    cmd->add_option("--min-count", args->min_count, "Drop words seen fewer times than this")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000000));
    cmd->add_option("--max-vocab", args->max_vocab, "Keep at most this many words, the most frequent")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000000));
    cmd->add_option("--sample", args->skipgram.sample, "Subsampling threshold for frequent words (0 = off)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--lr", args->skipgram.learning_rate, "Initial learning rate, decaying linearly to 0")
        ->capture_default_str()
        ->check(CLI::Range(1e-6, 10.0));
    cmd->add_option("--threads", args->skipgram.threads, "Worker threads")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    cmd->add_option("--seed", args->skipgram.seed, "Random seed (results are reproducible with --threads 1)")
        ->capture_default_str();
    cmd->add_option("--dtype", args->dtype, "Storage type of the vectors in the file")
        ->capture_default_str()
        ->check(CLI::IsMember({"f16", "f32"}));
    cmd->add_flag("--quiet", args->quiet, "No progress on standard error");
    cmd->callback([args] { run_pretrain(*args); });
}

}  // namespace emo::cli
