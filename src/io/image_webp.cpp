// WebP through libwebp: the features (size, animation) from the headers first, then one decode straight into the
// image's buffer. WebPDecode rather than WebPDecodeRGBInto, for its status code: a cut file says so.
#include "io/image_decoders.hpp"

#include <webp/decode.h>

#include <string>

namespace emo::io {
namespace {

const char* describe(VP8StatusCode status) {
    switch (status) {
        case VP8_STATUS_OUT_OF_MEMORY:
            return "out of memory";
        case VP8_STATUS_INVALID_PARAM:
            return "invalid parameter";
        case VP8_STATUS_BITSTREAM_ERROR:
            return "bitstream error";
        case VP8_STATUS_UNSUPPORTED_FEATURE:
            return "unsupported feature";
        case VP8_STATUS_SUSPENDED:
            return "suspended";
        case VP8_STATUS_USER_ABORT:
            return "aborted";
        case VP8_STATUS_NOT_ENOUGH_DATA:
            return "not enough data";
        default:
            return "unknown error";
    }
}

[[noreturn]] void fail(const std::string& name, VP8StatusCode status) {
    if (status == VP8_STATUS_NOT_ENOUGH_DATA) image_error(name, "truncated WebP (the data ends early)");
    image_error(name, std::string("corrupt WebP: ") + describe(status));
}

}  // namespace

Image decode_webp(const std::uint8_t* data, std::size_t size, const std::string& name,
                  const ImageReadOptions& options) {
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) image_error(name, "libwebp's version does not match its header");
    const VP8StatusCode header = WebPGetFeatures(data, size, &config.input);
    if (header != VP8_STATUS_OK) fail(name, header);
    // Only the first frame would come out of WebPDecode, which refuses animations anyway; say what it is.
    if (config.input.has_animation) image_error(name, "animated WebP is not supported");
    check_image_size(name, static_cast<std::uint32_t>(config.input.width),
                     static_cast<std::uint32_t>(config.input.height), options);
    Image image;
    image.width = config.input.width;
    image.height = config.input.height;
    image.rgb.resize(static_cast<std::size_t>(image.width) * image.height * 3);
    // Decoded into our buffer (external memory), so libwebp allocates no output and nothing needs freeing after.
    config.output.colorspace = MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = image.rgb.data();
    config.output.u.RGBA.stride = image.width * 3;
    config.output.u.RGBA.size = image.rgb.size();
    const VP8StatusCode status = WebPDecode(data, size, &config);
    WebPFreeDecBuffer(&config.output);
    if (status != VP8_STATUS_OK) fail(name, status);
    return image;
}

}  // namespace emo::io
