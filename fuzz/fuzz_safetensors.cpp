// libFuzzer target: core::read_safetensors on arbitrary bytes must throw emo::Error or succeed, never crash or read
// out of bounds (run by scripts/fuzz under AddressSanitizer).
#include "core/safetensors.hpp"
#include "fuzz_file.hpp"

#include <emo/emo.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = emo_fuzz::write_input(data, size, ".safetensors");
    try {
        emo::core::read_safetensors(path);
    } catch (const emo::Error&) {
    }
    return 0;
}
