// libFuzzer target: a TF.js graph model read by nn::read_tfjs_model. The input is split at its first NUL byte: the
// bytes before it are model.json, those after it the weight shard, written as w.bin beside it (scripts/fuzz makes
// the seeds from models/faces/ with their manifests pointing at w.bin).
#include "fuzz_file.hpp"
#include "nn/tfjs_model.hpp"

#include <emo/emo.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("emo_fuzz_tfjs_" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    const auto* end = data + size;
    const auto* split = std::find(data, end, std::uint8_t{0});
    emo_fuzz::write_file((dir / "model.json").string(), data, static_cast<std::size_t>(split - data));
    const auto* shard = split == end ? end : split + 1;
    emo_fuzz::write_file((dir / "w.bin").string(), shard, static_cast<std::size_t>(end - shard));
    try {
        const auto model = emo::nn::read_tfjs_model((dir / "model.json").string());
        emo::nn::tfjs_ops(model);
    } catch (const emo::Error&) {
    }
    return 0;
}
