// libFuzzer target: io::decode_image on arbitrary bytes must return an image of the size it states or throw
// emo::Error, never crash, leak or read out of bounds (scripts/fuzz runs it under AddressSanitizer + UBSan). The pixel
// limit is 4 million, so that a header declaring a large image cannot take the fuzzer past its memory limit.
#include "io/image.hpp"

#include <emo/emo.hpp>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    emo::io::ImageReadOptions options;
    options.max_pixels = 4'000'000;
    try {
        const auto image = emo::io::decode_image(data, size, "fuzz", options);
        if (image.width <= 0 || image.height <= 0 ||
            image.rgb.size() != static_cast<std::size_t>(image.width) * image.height * 3)
            std::abort();
    } catch (const emo::Error&) {
    }
    return 0;
}
