#include "speech/audio_stream.hpp"

#include <emo/emo.hpp>

#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

namespace emo::speech {

namespace {

constexpr sf_count_t block_frames = 4096;  // file frames decoded per step

}  // namespace

struct AudioStream::Impl {
    std::string path;
    AudioInfo info;
    int target_rate = 16000;
    SNDFILE* file = nullptr;
    std::shared_ptr<const std::vector<float>> memory;  // instead of `file`: a recording in memory, read from `position`
    std::size_t position = 0;
    SRC_STATE* resampler = nullptr;  // null when the file is already at the target rate
    std::vector<float> interleaved, mono, resampled;
    bool input_done = false;   // the file has no more frames
    bool output_done = false;  // the resampler has been flushed

    ~Impl() {
        if (resampler) src_delete(resampler);
        if (file) sf_close(file);
    }

    [[noreturn]] void fail(const std::string& what) const { throw Error(path + ": " + what); }

    // A resampler where the input's rate (info.sample_rate) is not the target rate.
    void start_resampler() {
        if (info.sample_rate == target_rate) return;
        int error = 0;
        resampler = src_new(SRC_SINC_MEDIUM_QUALITY, 1, &error);
        if (!resampler) fail(std::string("cannot start the resampler: ") + src_strerror(error));
    }

    // Decodes the next block of the file into `mono`; sets input_done at the end.
    void decode_block() {
        if (memory) {
            const std::size_t take = std::min<std::size_t>(block_frames, memory->size() - position);
            mono.assign(memory->begin() + static_cast<std::ptrdiff_t>(position),
                        memory->begin() + static_cast<std::ptrdiff_t>(position + take));
            position += take;
            if (take < static_cast<std::size_t>(block_frames)) input_done = true;
            return;
        }
        interleaved.resize(static_cast<std::size_t>(block_frames) * static_cast<std::size_t>(info.channels));
        const sf_count_t got = sf_readf_float(file, interleaved.data(), block_frames);
        if (got < 0 || sf_error(file) != SF_ERR_NO_ERROR) fail(std::string("cannot decode: ") + sf_strerror(file));
        mono.assign(static_cast<std::size_t>(got), 0.0f);
        const auto c = static_cast<std::size_t>(info.channels);
        for (std::size_t i = 0; i < mono.size(); ++i) {
            float sum = 0;
            for (std::size_t k = 0; k < c; ++k) sum += interleaved[i * c + k];
            mono[i] = sum / static_cast<float>(c);
        }
        if (got < block_frames) input_done = true;
    }
};

AudioStream::AudioStream(const std::string& path, int target_rate) : impl_(std::make_unique<Impl>()) {
    auto& m = *impl_;
    m.path = path;
    m.target_rate = target_rate;
    if (target_rate < 1000 || target_rate > 384000) throw Error("audio: target rate out of range");
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) m.fail("is a directory, not an audio file");
    if (!std::filesystem::exists(path, ec)) m.fail("no such file");
    if (std::filesystem::file_size(path, ec) == 0 && !ec) m.fail("empty file (0 bytes)");
    SF_INFO sf{};
    m.file = sf_open(path.c_str(), SFM_READ, &sf);
    if (!m.file) m.fail(std::string("not a readable audio file: ") + sf_strerror(nullptr));
    if (sf.channels < 1 || sf.channels > 256 || sf.samplerate < 1000 || sf.samplerate > 768000)
        m.fail("unsupported channel count or sample rate");
    m.info = {sf.samplerate, sf.channels, sf.frames, {}};
    SF_FORMAT_INFO major{sf.format & SF_FORMAT_TYPEMASK, nullptr, nullptr};
    SF_FORMAT_INFO minor{sf.format & SF_FORMAT_SUBMASK, nullptr, nullptr};
    const bool named = sf_command(nullptr, SFC_GET_FORMAT_INFO, &major, sizeof major) == 0 &&
                       sf_command(nullptr, SFC_GET_FORMAT_INFO, &minor, sizeof minor) == 0;
    m.info.format = named ? std::string(major.name) + ", " + minor.name : "unknown";
    // libsndfile reads a file cut short up to where it ends, and notes the size its header gave in its log ("data :
    // 320000 (should be 100000)"): the only trace it leaves.
    char log[2048] = {};
    sf_command(m.file, SFC_GET_LOG_INFO, log, sizeof log);
    for (const char* line = log; line && *line;) {
        const char* end = std::strchr(line, '\n');
        const std::string text(line, end ? end : line + std::strlen(line));
        if (text.rfind("data", 0) == 0 && text.find("should be") != std::string::npos) m.info.cut_short = true;
        line = end ? end + 1 : nullptr;
    }
    m.start_resampler();
}

AudioStream::AudioStream(std::shared_ptr<const std::vector<float>> samples, int sample_rate, const std::string& name,
                         int target_rate)
    : impl_(std::make_unique<Impl>()) {
    auto& m = *impl_;
    m.path = name;
    m.target_rate = target_rate;
    if (target_rate < 1000 || target_rate > 384000) throw Error("audio: target rate out of range");
    if (!samples) m.fail("no samples given");
    if (sample_rate < 1000 || sample_rate > 768000)
        m.fail("sample rate " + std::to_string(sample_rate) + " Hz is out of range (1,000 to 768,000)");
    if (samples->empty()) m.fail("empty recording (0 samples)");
    // Files can hold no such values; features of them would be NaN throughout.
    for (std::size_t i = 0; i < samples->size(); ++i)
        if (!std::isfinite((*samples)[i])) m.fail("sample " + std::to_string(i) + " is not a finite number");
    m.memory = std::move(samples);
    m.info = {sample_rate, 1, static_cast<std::int64_t>(m.memory->size()), "samples in memory, float32"};
    m.start_resampler();
}

AudioStream::AudioStream(AudioStream&&) noexcept = default;
AudioStream& AudioStream::operator=(AudioStream&&) noexcept = default;
AudioStream::~AudioStream() = default;

const AudioInfo& AudioStream::info() const { return impl_->info; }
int AudioStream::rate() const { return impl_->target_rate; }

std::size_t AudioStream::read(std::vector<float>& out, std::size_t max_samples) {
    auto& m = *impl_;
    const std::size_t start = out.size();
    while (out.size() - start < max_samples) {
        if (!m.resampler) {
            if (m.input_done) break;
            m.decode_block();
            out.insert(out.end(), m.mono.begin(), m.mono.end());
            continue;
        }
        if (m.output_done) break;
        if (!m.input_done) m.decode_block();
        // Feed the block (or, at the end, nothing with end_of_input) until the resampler has consumed it.
        const double ratio = static_cast<double>(m.target_rate) / m.info.sample_rate;
        std::size_t offset = 0;
        do {
            m.resampled.resize(static_cast<std::size_t>((m.mono.size() - offset) * ratio) + 1024);
            SRC_DATA data{};
            data.data_in = m.mono.data() + offset;
            data.input_frames = static_cast<long>(m.mono.size() - offset);
            data.data_out = m.resampled.data();
            data.output_frames = static_cast<long>(m.resampled.size());
            data.end_of_input = m.input_done ? 1 : 0;
            data.src_ratio = ratio;
            if (const int error = src_process(m.resampler, &data))
                m.fail(std::string("resampling failed: ") + src_strerror(error));
            out.insert(out.end(), m.resampled.begin(), m.resampled.begin() + data.output_frames_gen);
            offset += static_cast<std::size_t>(data.input_frames_used);
            if (m.input_done && data.output_frames_gen == 0 && offset >= m.mono.size()) m.output_done = true;
        } while (offset < m.mono.size() || (m.input_done && !m.output_done));
        m.mono.clear();
    }
    return out.size() - start;
}

std::vector<float> read_audio(const std::string& path, int target_rate) {
    AudioStream stream(path, target_rate);
    std::vector<float> samples;
    while (stream.read(samples, 1 << 16) > 0) {
    }
    return samples;
}

}  // namespace emo::speech
