// emo models pull / list: Hugging Face checkpoints in emo's local cache (src/io/checkpoint_hub).
#include "commands.hpp"
#include "io/checkpoint_hub.hpp"
#include "options.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct ModelsArgs {
    std::string repo, revision = "main", cache, endpoint;
    bool json = false, quiet = false;
};

io::HubOptions hub_options(const ModelsArgs& args) {
    io::HubOptions options;
    if (!args.endpoint.empty())
        options.endpoint = args.endpoint;
    else if (const char* e = std::getenv("EMO_HF_ENDPOINT"); e && *e)
        options.endpoint = e;
    options.cache_dir = args.cache.empty() ? io::default_checkpoint_cache() : args.cache;
    if (const char* token = std::getenv("HF_TOKEN"); token && *token) options.token = token;
    if (!args.quiet) options.progress = [](const std::string& line) { std::cerr << "emo: " << line << '\n'; };
    return options;
}

void run_pull(const ModelsArgs& args) {
    if (!args.repo.starts_with("hf:")) throw Error("'" + args.repo + "': expected hf:ORG/NAME");
    std::cout << io::pull_checkpoint(args.repo.substr(3), args.revision, hub_options(args)) << '\n';
}

void run_list(const ModelsArgs& args) {
    const auto cache = args.cache.empty() ? io::default_checkpoint_cache() : args.cache;
    const auto items = io::list_checkpoints(cache);
    for (const auto& c : items) {
        if (args.json) {
            nlohmann::ordered_json j = {{"model", "hf:" + c.repo},
                                        {"commit", c.commit},
                                        {"revisions", c.revisions},
                                        {"path", c.path},
                                        {"bytes", c.bytes}};
            std::cout << j.dump() << '\n';
        } else {
            std::string revisions;
            for (const auto& r : c.revisions) revisions += (revisions.empty() ? "" : ",") + r;
            std::cout << "hf:" << c.repo << '\t' << (revisions.empty() ? "-" : revisions) << '\t'
                      << c.commit.substr(0, 12) << '\t' << (c.bytes + 500000) / 1000000 << " MB\t" << c.path << '\n';
        }
    }
    if (items.empty() && !args.json) std::cerr << "emo: no checkpoints in " << cache << '\n';
}

}  // namespace

void add_models_command(CLI::App& app) {
    auto* models = app.add_subcommand("models",
                                      "Hugging Face checkpoints in emo's cache ($EMO_CACHE_DIR, else "
                                      "~/.cache/emo/checkpoints)");
    models->require_subcommand(1);
    auto args = std::make_shared<ModelsArgs>();
    auto* pull = models->add_subcommand("pull",
                                        "Download a checkpoint (config, tokenizer, weights; resumable, "
                                        "checksums verified) and print its local directory");
    pull->add_option("model", args->repo, "hf:ORG/NAME")->required();
    pull->add_option("--revision", args->revision, "branch, tag or commit")->capture_default_str();
    pull->add_option("--cache", args->cache, "cache directory");
    pull->add_option("--endpoint", args->endpoint, "hub address (default: $EMO_HF_ENDPOINT or https://huggingface.co)");
    pull->add_flag("--quiet", args->quiet, "no progress lines");
    pull->callback([args] { run_pull(*args); });
    auto* list = models->add_subcommand("list", "The cached checkpoints: model, revisions, commit, size, directory");
    list->add_option("--cache", args->cache, "cache directory");
    list->add_flag("--json", args->json, "one JSON object per checkpoint");
    list->callback([args] { run_list(*args); });
}

}  // namespace emo::cli
