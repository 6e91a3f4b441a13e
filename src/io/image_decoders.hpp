// The per-format decoders behind decode_image (src/io/image.cpp), which has already sniffed the format. Each one
// checks the declared size with check_image_size before it allocates pixels and throws emo::Error naming `name`.
#pragma once

#include "io/image.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace emo::io {

// Throws emo::Error naming `name` for a 0-pixel image or one over options.max_pixels (either side may be huge: the
// product is taken in 64 bits from values below 2^32).
void check_image_size(const std::string& name, std::uint64_t width, std::uint64_t height,
                      const ImageReadOptions& options);

// Throws emo::Error "<name>: <what>".
[[noreturn]] void image_error(const std::string& name, const std::string& what);

Image decode_jpeg(const std::uint8_t* data, std::size_t size, const std::string& name, const ImageReadOptions& options);
// PNG: decode_png_fast where it can (image_png_fast.cpp), else libpng (decode_png_libpng).
Image decode_png(const std::uint8_t* data, std::size_t size, const std::string& name, const ImageReadOptions& options);
Image decode_png_libpng(const std::uint8_t* data, std::size_t size, const std::string& name,
                        const ImageReadOptions& options);
// 8-bit RGB and RGBA PNGs that are not interlaced and that libpng would read, with the same pixels; nothing for
// every other file, valid or not (libpng then decides). Throws only check_image_size's error.
std::optional<Image> decode_png_fast(const std::uint8_t* data, std::size_t size, const std::string& name,
                                     const ImageReadOptions& options);
Image decode_webp(const std::uint8_t* data, std::size_t size, const std::string& name, const ImageReadOptions& options);
Image decode_bmp(const std::uint8_t* data, std::size_t size, const std::string& name, const ImageReadOptions& options);

}  // namespace emo::io
