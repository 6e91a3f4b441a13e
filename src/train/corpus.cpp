#include "train/corpus.hpp"

#include "text/tokenizer.hpp"

#include <emo/emo.hpp>
#include <lzma.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>

namespace emo::train {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr open_file(const std::string& path) {
    FilePtr f(std::fopen(path.c_str(), "rb"));
    if (!f) throw Error(path + ": cannot open");
    return f;
}

// Cuts a byte stream that arrives in arbitrary chunks into lines, so that xz and plain files share one path.
class LineSplitter {
public:
    explicit LineSplitter(const std::function<void(std::string_view)>& on_line) : on_line_(on_line) {}

    void feed(std::string_view chunk) {
        while (!chunk.empty()) {
            auto nl = chunk.find('\n');
            if (nl == std::string_view::npos) {
                partial_.append(chunk);
                return;
            }
            if (partial_.empty()) {
                emit(chunk.substr(0, nl));
            } else {
                partial_.append(chunk.substr(0, nl));
                emit(partial_);
                partial_.clear();
            }
            chunk.remove_prefix(nl + 1);
        }
    }

    void finish() {
        if (!partial_.empty()) emit(partial_);
        partial_.clear();
    }

private:
    void emit(std::string_view line) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        on_line_(line);
    }
    const std::function<void(std::string_view)>& on_line_;
    std::string partial_;
};

constexpr std::size_t chunk_size = 1 << 16;

void read_plain_lines(const std::string& path, LineSplitter& lines) {
    auto f = open_file(path);
    std::vector<char> buf(chunk_size);
    for (;;) {
        std::size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
        if (n > 0) lines.feed(std::string_view(buf.data(), n));
        if (n < buf.size()) {
            if (std::ferror(f.get())) throw Error(path + ": read error");
            break;
        }
    }
    lines.finish();
}

const char* lzma_message(lzma_ret ret) {
    switch (ret) {
        case LZMA_MEM_ERROR: return "out of memory";
        case LZMA_FORMAT_ERROR: return "not in xz format";
        case LZMA_OPTIONS_ERROR: return "unsupported xz options";
        case LZMA_DATA_ERROR: return "corrupt xz data";
        case LZMA_BUF_ERROR: return "truncated xz data";
        default: return "xz decoder error";
    }
}

// Decompresses chunk by chunk: the shards are ~36 MB each once expanded, and nothing needs them whole.
void read_xz_lines(const std::string& path, LineSplitter& lines) {
    auto f = open_file(path);
    lzma_stream strm = LZMA_STREAM_INIT;
    lzma_ret ret = lzma_stream_decoder(&strm, std::numeric_limits<std::uint64_t>::max(), LZMA_CONCATENATED);
    if (ret != LZMA_OK) throw Error(path + ": " + lzma_message(ret));
    std::unique_ptr<lzma_stream, void (*)(lzma_stream*)> guard(&strm, lzma_end);
    std::vector<std::uint8_t> in(chunk_size), out(4 * chunk_size);
    lzma_action action = LZMA_RUN;
    strm.next_out = out.data();
    strm.avail_out = out.size();
    for (;;) {
        if (strm.avail_in == 0 && action == LZMA_RUN) {
            std::size_t n = std::fread(in.data(), 1, in.size(), f.get());
            if (std::ferror(f.get())) throw Error(path + ": read error");
            strm.next_in = in.data();
            strm.avail_in = n;
            if (n < in.size()) action = LZMA_FINISH;
        }
        ret = lzma_code(&strm, action);
        if (strm.avail_out == 0 || ret == LZMA_STREAM_END) {
            lines.feed(std::string_view(reinterpret_cast<const char*>(out.data()), out.size() - strm.avail_out));
            strm.next_out = out.data();
            strm.avail_out = out.size();
        }
        if (ret == LZMA_STREAM_END) break;
        if (ret != LZMA_OK) throw Error(path + ": " + lzma_message(ret));
    }
    lines.finish();
}

// The text field of a `speaker|text|tag` line; the separator never occurs inside an utterance (SOURCE.md).
bool swda_text(std::string_view line, std::string_view* text) {
    auto first = line.find('|');
    auto last = line.rfind('|');
    if (first == std::string_view::npos || first == last) return false;
    *text = line.substr(first + 1, last - first - 1);
    return true;
}

bool looks_like_swda_line(std::string_view line) {
    auto first = line.find('|');
    if (first == 0 || first == std::string_view::npos || first > 8) return false;
    if (std::count(line.begin(), line.end(), '|') != 2) return false;
    return line.substr(0, first).find(' ') == std::string_view::npos;
}

// Switchboard files are told apart from plain text by their first few lines, all `speaker|text|tag`.
bool sniff_swda(const std::string& path) {
    auto f = open_file(path);
    std::string head(4096, '\0');
    head.resize(std::fread(head.data(), 1, head.size(), f.get()));
    std::string_view rest(head);
    int checked = 0;
    while (checked < 5) {
        auto nl = rest.find('\n');
        if (nl == std::string_view::npos) break;  // only complete lines are judged
        auto line = rest.substr(0, nl);
        rest.remove_prefix(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        if (!looks_like_swda_line(line)) return false;
        ++checked;
    }
    return checked > 0;
}

CorpusKind kind_of_file(const std::string& path) {
    if (ends_with(path, ".xz")) return CorpusKind::xz_text;
    return sniff_swda(path) ? CorpusKind::swda : CorpusKind::plain_text;
}

std::vector<CorpusFile> resolve_directory(const std::string& dir, CorpusKind forced) {
    std::vector<std::string> xz, txt;
    try {
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            if (!entry.is_regular_file()) continue;
            auto p = entry.path().string();
            if (ends_with(p, ".xz")) xz.push_back(p);
            else if (ends_with(p, ".txt")) txt.push_back(p);
        }
    } catch (const fs::filesystem_error& e) {
        throw Error(dir + ": cannot list directory: " + e.code().message());
    }
    std::sort(xz.begin(), xz.end());
    std::sort(txt.begin(), txt.end());
    std::vector<CorpusFile> files;
    auto take = [&](const std::vector<std::string>& paths, CorpusKind kind) {
        for (const auto& p : paths) files.push_back({p, kind});
    };
    switch (forced) {
        case CorpusKind::xz_text: take(xz, forced); break;
        case CorpusKind::plain_text: take(txt, forced); break;
        case CorpusKind::swda:
            for (const auto& p : txt)
                if (sniff_swda(p)) files.push_back({p, forced});
            break;
        case CorpusKind::auto_detect:
            if (!xz.empty()) {
                take(xz, CorpusKind::xz_text);
                break;
            }
            for (const auto& p : txt)
                if (sniff_swda(p)) files.push_back({p, CorpusKind::swda});
            if (files.empty()) take(txt, CorpusKind::plain_text);
            break;
    }
    if (files.empty()) throw Error(dir + ": no corpus files (*.txt.xz or *.txt) found");
    return files;
}

}  // namespace

CorpusKind parse_corpus_kind(std::string_view name) {
    if (name == "auto") return CorpusKind::auto_detect;
    if (name == "xz") return CorpusKind::xz_text;
    if (name == "swda") return CorpusKind::swda;
    if (name == "text") return CorpusKind::plain_text;
    throw Error("unknown corpus kind '" + std::string(name) + "' (expected auto, xz, swda or text)");
}

std::vector<CorpusFile> resolve_corpus(const std::string& spec) {
    std::string path = spec;
    CorpusKind kind = CorpusKind::auto_detect;
    if (auto colon = spec.find(':'); colon != std::string::npos && colon > 1) {  // > 1 leaves "C:\..." alone
        auto prefix = std::string_view(spec).substr(0, colon);
        if (prefix == "auto" || prefix == "xz" || prefix == "swda" || prefix == "text") {
            kind = parse_corpus_kind(prefix);
            path = spec.substr(colon + 1);
        }
    }
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw Error(path + ": corpus path does not exist");
    if (fs::is_directory(status)) return resolve_directory(path, kind);
    if (!fs::is_regular_file(status)) throw Error(path + ": not a file or directory");
    return {{path, kind == CorpusKind::auto_detect ? kind_of_file(path) : kind}};
}

void read_corpus_file(const CorpusFile& file, const SentenceSink& sink, CorpusStats& stats) {
    const bool swda = file.kind == CorpusKind::swda;
    std::function<void(std::string_view)> on_line = [&](std::string_view line) {
        ++stats.lines;
        if (swda && !swda_text(line, &line)) return;  // not an utterance line: nothing to learn from
        if (line.empty()) return;
        if (!text::is_valid_utf8(line)) {
            ++stats.invalid_utf8;
            return;
        }
        std::string normalized;
        try {
            normalized = text::normalize(line);
        } catch (const Error&) {
            ++stats.invalid_utf8;  // utf8proc rejects a few valid encodings (e.g. unassigned code points)
            return;
        }
        auto tokens = text::tokenize(normalized);
        if (tokens.empty()) return;
        ++stats.sentences;
        stats.tokens += tokens.size();
        sink(tokens);
    };
    LineSplitter lines(on_line);
    switch (file.kind) {
        case CorpusKind::xz_text: read_xz_lines(file.path, lines); break;
        case CorpusKind::swda:
        case CorpusKind::plain_text: read_plain_lines(file.path, lines); break;
        case CorpusKind::auto_detect: {
            CorpusFile resolved{file.path, kind_of_file(file.path)};
            read_corpus_file(resolved, sink, stats);
            return;
        }
    }
    ++stats.files;
}

void TokenCorpusBuilder::add(const std::vector<std::string_view>& tokens) {
    if (tokens.empty()) return;
    for (auto token : tokens) {
        auto it = index_.find(token);
        std::int32_t id;
        if (it != index_.end()) {
            id = it->second;
        } else {
            if (words_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
                throw Error("corpus has too many distinct tokens");
            id = static_cast<std::int32_t>(words_.size());
            words_.emplace_back(token);
            counts_.push_back(0);
            index_.emplace(words_.back(), id);
        }
        ++counts_[static_cast<std::size_t>(id)];
        ids_.push_back(id);
    }
    ends_.push_back(ids_.size());
}

TokenCorpus TokenCorpusBuilder::finish(std::int64_t min_count, std::size_t max_vocab) {
    std::vector<std::int32_t> order;
    for (std::size_t i = 0; i < words_.size(); ++i)
        if (counts_[i] >= min_count) order.push_back(static_cast<std::int32_t>(i));
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
        if (counts_[a] != counts_[b]) return counts_[a] > counts_[b];
        return words_[a] < words_[b];
    });
    if (order.size() > max_vocab) order.resize(max_vocab);

    TokenCorpus out;
    std::vector<std::int32_t> remap(words_.size(), -1);
    for (std::size_t r = 0; r < order.size(); ++r) {
        remap[order[r]] = static_cast<std::int32_t>(r);
        out.words.push_back(std::move(words_[order[r]]));
        out.counts.push_back(counts_[order[r]]);
    }
    index_.clear();
    words_.clear();
    counts_.clear();

    // Compacts the ids in place, dropping unknown tokens and the sentences left empty, to avoid a second 100+ MB copy.
    std::size_t write = 0, begin = 0;
    for (std::size_t end : ends_) {
        std::size_t sentence_start = write;
        for (std::size_t i = begin; i < end; ++i) {
            auto id = remap[ids_[i]];
            if (id >= 0) ids_[write++] = id;
            else ++out.dropped_tokens;
        }
        if (write > sentence_start) out.sentence_ends.push_back(write);
        begin = end;
    }
    ids_.resize(write);
    ids_.shrink_to_fit();
    out.tokens = std::move(ids_);
    ids_ = {};
    ends_.clear();
    return out;
}

}  // namespace emo::train
