#include "io/checkpoint_hub.hpp"

#include "core/file_digest.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>

namespace emo::io {

namespace fs = std::filesystem;

namespace {

// The files of a checkpoint that emo reads; the weights are chosen separately (safetensors first).
const std::vector<std::string> config_files = {
    "config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
    "vocab.json",  "merges.txt"};

bool safe_name(const std::string& s, bool allow_slash) {
    if (s.empty() || s.find("..") != std::string::npos || s.front() == '/' || s.back() == '/') return false;
    return std::all_of(s.begin(), s.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
               (allow_slash && c == '/');
    });
}

struct Curl {
    Curl() {
        static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
        if (!initialised || !(handle = curl_easy_init())) throw Error("cannot initialise libcurl");
    }
    ~Curl() {
        if (headers) curl_slist_free_all(headers);
        curl_easy_cleanup(handle);
    }
    CURL* handle = nullptr;
    curl_slist* headers = nullptr;
};

struct Sink {
    std::string* text = nullptr;  // the body kept in memory (API answers), or
    std::FILE* file = nullptr;    // appended to a file (downloads)
    std::uint64_t limit = 0;      // most bytes accepted in memory
    bool overflow = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t n = size * count;
    if (sink->file) return std::fwrite(data, 1, n, sink->file);
    if (sink->text->size() + n > sink->limit) {
        sink->overflow = true;
        return 0;  // makes curl stop with a write error
    }
    sink->text->append(data, n);
    return n;
}

struct Progress {
    const HubOptions* options;
    std::string name;
    std::uint64_t offset = 0;
    curl_off_t last_report = -1;
};

int report_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
    auto* p = static_cast<Progress*>(user);
    if (!p->options->progress || now - p->last_report < (8 << 20)) return 0;  // every 8 MB
    p->last_report = now;
    auto mb = [](double bytes) { return std::to_string(static_cast<long long>(bytes / 1e6)) + " MB"; };
    p->options->progress(p->name + ": " + mb(double(p->offset + now)) +
                         (total > 0 ? " of " + mb(double(p->offset + total)) : ""));
    return 0;
}

// GETs `url` into `sink` (from byte `resume_from` when non-zero); returns the HTTP status.
long get(const std::string& url, Sink& sink, const HubOptions& options, std::uint64_t resume_from, Progress* progress) {
    Curl curl;
    auto* h = curl.handle;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);  // the hub redirects large files to its storage
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(h, CURLOPT_USERAGENT,
                     "emo/"
                     "0.1");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);  // a transfer stalled for a minute fails (and can resume)
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    if (resume_from > 0) curl_easy_setopt(h, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(resume_from));
    if (!options.token.empty()) {
        curl.headers = curl_slist_append(curl.headers, ("Authorization: Bearer " + options.token).c_str());
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, curl.headers);
    }
    if (progress) {
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, report_progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, progress);
    }
    const auto code = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK && !(code == CURLE_RANGE_ERROR || (status >= 400 && code == CURLE_HTTP_RETURNED_ERROR))) {
        if (sink.overflow) throw Error(url + ": answer larger than expected");
        throw Error(url + ": " + curl_easy_strerror(code));
    }
    return status;
}

struct RemoteFile {
    std::string name;
    std::uint64_t size = 0;
    bool has_size = false;
    std::string sha256;   // LFS files
    std::string blob_id;  // others: git's sha1 of "blob <size>\0<content>"
};

// True when the file at `path` is the one the hub describes.
bool verified(const fs::path& path, const RemoteFile& f) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || (f.has_size && size != f.size)) return false;
    if (!f.sha256.empty()) return core::file_sha256(path.string()) == f.sha256;
    if (!f.blob_id.empty()) return core::git_blob_sha1(path.string()) == f.blob_id;
    return true;  // the hub gave no checksum: the size is all there is to check
}

void download(const std::string& url, const fs::path& target, const RemoteFile& f, const HubOptions& options,
              const std::string& what) {
    const fs::path part = target.string() + ".part";
    std::error_code ec;
    std::uint64_t have = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
    if (f.has_size && have > f.size) have = 0;  // a stale partial file larger than the real one
    if (!(f.has_size && have == f.size)) {
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(part.c_str(), have ? "ab" : "wb"), std::fclose);
        if (!out) throw Error(part.string() + ": cannot write");
        Sink sink;
        sink.file = out.get();
        Progress progress{&options, f.name, have};
        const long status = get(url, sink, options, have, &progress);
        if (have > 0 && status == 200) {  // the server ignored the range: start over
            out.reset(std::fopen(part.c_str(), "wb"));
            if (!out) throw Error(part.string() + ": cannot write");
            sink.file = out.get();
            progress.offset = 0;
            if (get(url, sink, options, 0, &progress) != 200) throw Error(what + ": download failed");
        } else if (status != 200 && status != 206) {
            out.reset();
            fs::remove(part, ec);  // the body is the server's error page, not the file
            throw Error(what + ": HTTP " + std::to_string(status));
        }
        if (std::fflush(out.get()) != 0) throw Error(part.string() + ": write failed (disk full?)");
    }
    if (!verified(part, f)) {
        fs::remove(part, ec);
        throw Error(what + ": checksum or size mismatch (the partial download was removed; pull again)");
    }
    fs::rename(part, target, ec);
    if (ec) throw Error(target.string() + ": cannot rename into place: " + ec.message());
}

std::string escape(const std::string& s) {
    Curl curl;
    char* e = curl_easy_escape(curl.handle, s.c_str(), static_cast<int>(s.size()));
    std::string out = e ? e : "";
    curl_free(e);
    return out;
}

}  // namespace

std::string default_checkpoint_cache() {
    if (const char* dir = std::getenv("EMO_CACHE_DIR"); dir && *dir) return dir;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/emo/checkpoints";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/emo/checkpoints";
    throw Error("no cache directory: set EMO_CACHE_DIR or HOME");
}

std::string pull_checkpoint(const std::string& repo, const std::string& revision, const HubOptions& options) {
    const auto slash = repo.find('/');
    if (slash == std::string::npos || repo.find('/', slash + 1) != std::string::npos || !safe_name(repo, true))
        throw Error("'" + repo + "' is not a repository name of the form ORG/NAME");
    if (!safe_name(revision, true)) throw Error("'" + revision + "' is not a revision name");
    const std::string what = "hf:" + repo + "@" + revision;
    const auto endpoint =
        options.endpoint.ends_with('/') ? options.endpoint.substr(0, options.endpoint.size() - 1) : options.endpoint;

    std::string answer;
    Sink sink;
    sink.text = &answer;
    sink.limit = 64 << 20;
    const auto api = endpoint + "/api/models/" + repo + "/revision/" + escape(revision) + "?blobs=true";
    const long status = get(api, sink, options, 0, nullptr);
    if (status == 401 || status == 403)
        throw Error(what + ": access denied (a private or gated repository needs a token: $HF_TOKEN)");
    if (status == 404) throw Error(what + ": no such repository or revision");
    if (status != 200) throw Error(what + ": the hub answered HTTP " + std::to_string(status));

    std::string commit;
    std::vector<RemoteFile> remote;
    try {
        const auto j = nlohmann::json::parse(answer);
        commit = j.at("sha").get<std::string>();
        for (const auto& s : j.at("siblings")) {
            RemoteFile f;
            f.name = s.at("rfilename").get<std::string>();
            if (s.contains("size") && s["size"].is_number_unsigned()) {
                f.size = s["size"].get<std::uint64_t>();
                f.has_size = true;
            }
            if (s.contains("blobId") && s["blobId"].is_string()) f.blob_id = s["blobId"].get<std::string>();
            if (s.contains("lfs") && s["lfs"].is_object()) {
                f.sha256 = s["lfs"].value("sha256", "");
                if (s["lfs"].contains("size") && s["lfs"]["size"].is_number_unsigned()) {
                    f.size = s["lfs"]["size"].get<std::uint64_t>();
                    f.has_size = true;
                }
            }
            remote.push_back(std::move(f));
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(what + ": unexpected answer from " + api + ": " + e.what());
    }
    if (!safe_name(commit, false)) throw Error(what + ": the hub gave an unusable commit id");

    auto find = [&](const std::string& name) -> const RemoteFile* {
        for (const auto& f : remote)
            if (f.name == name) return &f;
        return nullptr;
    };
    if (!find("config.json")) throw Error(what + ": the repository has no config.json (not a model checkpoint)");
    std::vector<const RemoteFile*> wanted;
    for (const auto& name : config_files)
        if (const auto* f = find(name)) wanted.push_back(f);
    const auto* weights = find("model.safetensors");
    if (!weights) weights = find("pytorch_model.bin");
    if (!weights)
        throw Error(what + ": no model.safetensors or pytorch_model.bin (sharded checkpoints are not supported yet)");
    wanted.push_back(weights);

    const fs::path cache = options.cache_dir.empty() ? default_checkpoint_cache() : options.cache_dir;
    std::string folder = repo;
    folder.replace(slash, 1, "--");
    const fs::path dir = cache / folder / commit;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create: " + ec.message());
    for (const auto* f : wanted) {
        const auto target = dir / f->name;
        if (fs::exists(target, ec) && verified(target, *f)) continue;
        if (options.progress) options.progress("fetching " + f->name);
        download(endpoint + "/" + repo + "/resolve/" + commit + "/" + f->name, target, *f, options,
                 what + ": " + f->name);
    }
    // The revision's ref, written last: a ref always names a complete download.
    std::string ref = revision;
    std::replace(ref.begin(), ref.end(), '/', '%');
    fs::create_directories(cache / folder / "refs", ec);
    std::ofstream(cache / folder / "refs" / ref) << commit;
    return dir.string();
}

std::string cached_checkpoint(const std::string& repo, const std::string& revision, const std::string& cache_dir) {
    const auto slash = repo.find('/');
    if (slash == std::string::npos || !safe_name(repo, true) || !safe_name(revision, true))
        throw Error("'hf:" + repo + "' is not a repository name of the form hf:ORG/NAME[@REVISION]");
    std::string folder = repo, ref = revision;
    folder.replace(slash, 1, "--");
    std::replace(ref.begin(), ref.end(), '/', '%');
    std::string commit;
    std::ifstream(fs::path(cache_dir) / folder / "refs" / ref) >> commit;
    std::error_code ec;
    if (commit.empty() || !safe_name(commit, false) || !fs::is_directory(fs::path(cache_dir) / folder / commit, ec))
        throw Error("hf:" + repo + "@" + revision + " is not in the cache " + cache_dir +
                    " (run: emo models pull hf:" + repo + (revision == "main" ? "" : " --revision " + revision) + ")");
    return (fs::path(cache_dir) / folder / commit).string();
}

std::vector<CachedCheckpoint> list_checkpoints(const std::string& cache_dir) {
    std::vector<CachedCheckpoint> out;
    std::error_code ec;
    if (!fs::is_directory(cache_dir, ec)) return out;
    for (const auto& repo_dir : fs::directory_iterator(cache_dir, ec)) {
        const auto folder = repo_dir.path().filename().string();
        const auto sep = folder.find("--");
        if (!repo_dir.is_directory() || sep == std::string::npos) continue;
        std::map<std::string, std::vector<std::string>> refs;
        for (const auto& r : fs::directory_iterator(repo_dir.path() / "refs", ec)) {
            std::string commit;
            std::ifstream(r.path()) >> commit;
            auto name = r.path().filename().string();
            std::replace(name.begin(), name.end(), '%', '/');
            refs[commit].push_back(name);
        }
        for (const auto& c : fs::directory_iterator(repo_dir.path(), ec)) {
            if (!c.is_directory() || c.path().filename() == "refs") continue;
            CachedCheckpoint item;
            item.repo = folder.substr(0, sep) + "/" + folder.substr(sep + 2);
            item.commit = c.path().filename().string();
            item.revisions = refs[item.commit];
            item.path = c.path().string();
            for (const auto& f : fs::directory_iterator(c.path(), ec))
                if (f.is_regular_file()) item.bytes += f.file_size();
            out.push_back(std::move(item));
        }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.repo + a.commit < b.repo + b.commit; });
    return out;
}

std::string resolve_model(const std::string& model) {
    if (!model.starts_with("hf:")) return model;
    const auto at = model.find('@');
    const auto repo = model.substr(3, at == std::string::npos ? std::string::npos : at - 3);
    const auto revision = at == std::string::npos ? std::string("main") : model.substr(at + 1);
    return cached_checkpoint(repo, revision, default_checkpoint_cache());
}

}  // namespace emo::io
