// Checkpoints from the Hugging Face Hub (or any server with its URL layout) into a local cache: `emo models pull`
// and `emo models list`. The only code in emo that reaches a network, and only when a user asks it to.
//
// Layout of the cache: CACHE/ORG--NAME/COMMIT/<files>, and CACHE/ORG--NAME/refs/REVISION holding the commit a
// revision (a branch, tag or commit) resolved to. A file is downloaded to <file>.part (resumed with an HTTP range
// request when a partial one is there), checked against the hub's metadata (sha256 for LFS files, the git blob id
// otherwise) and only then renamed into place, so a cached file is always a whole, verified one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace emo::io {

struct HubOptions {
    std::string endpoint = "https://huggingface.co";  // $EMO_HF_ENDPOINT overrides the default in the CLI
    std::string cache_dir;                            // empty: default_checkpoint_cache()
    std::string token;                                // sent as a bearer token when set (private repositories)
    // Progress lines ("config.json: 1.2 MB of 3.4 MB"), for a terminal; none when empty.
    std::function<void(const std::string&)> progress;
};

// $EMO_CACHE_DIR, else $XDG_CACHE_HOME/emo/checkpoints, else ~/.cache/emo/checkpoints.
std::string default_checkpoint_cache();

// Downloads what emo needs of `repo` ("ORG/NAME") at `revision` (config.json, the tokenizer's files, and
// model.safetensors or else pytorch_model.bin) and returns the local checkpoint directory. Files already cached and
// verified are not fetched again. Network failures, HTTP errors, a repository without config.json or weights, and a
// checksum mismatch (the partial file is removed) throw emo::Error naming the repository and file.
std::string pull_checkpoint(const std::string& repo, const std::string& revision, const HubOptions& options);

// The cached directory of `repo` at `revision`, without touching the network; emo::Error (saying how to pull it)
// when it is not there.
std::string cached_checkpoint(const std::string& repo, const std::string& revision, const std::string& cache_dir);

// A model argument as the CLI and the C API take it: "hf:ORG/NAME[@REVISION]" is that checkpoint in the default
// cache (cached_checkpoint; the revision defaults to main); anything else is a directory, returned as it is.
std::string resolve_model(const std::string& model);

struct CachedCheckpoint {
    std::string repo;  // "ORG/NAME"
    std::string commit;
    std::vector<std::string> revisions;  // the refs that point at this commit
    std::string path;
    std::uint64_t bytes = 0;
};

// What the cache holds, by repository and commit.
std::vector<CachedCheckpoint> list_checkpoints(const std::string& cache_dir);

}  // namespace emo::io
