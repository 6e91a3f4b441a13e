#include "speech/resample.hpp"

#include <samplerate.h>
#include <emo/emo.hpp>

#include <string>

namespace emo::speech {

std::vector<float> resample(std::span<const float> samples, double ratio) {
    if (samples.empty()) return {};
    std::vector<float> out(static_cast<std::size_t>(static_cast<double>(samples.size()) * ratio) + 16);
    SRC_DATA data{};
    data.data_in = samples.data();
    data.input_frames = static_cast<long>(samples.size());
    data.data_out = out.data();
    data.output_frames = static_cast<long>(out.size());
    data.src_ratio = ratio;
    if (const int error = src_simple(&data, SRC_SINC_FASTEST, 1))
        throw Error(std::string("resampling failed: ") + src_strerror(error));
    out.resize(static_cast<std::size_t>(data.output_frames_gen));
    return out;
}

}  // namespace emo::speech
