// Still images for the face capability (issue 15): decoding JPEG (libjpeg-turbo), PNG (libpng), WebP (libwebp) and
// BMP (stb_image from Debian's libstb-dev) into 8-bit RGB, and writing PNG (for `emo face --draw`). The format comes
// from the file's first bytes, not its name. Every reader checks the declared size against a pixel limit before it
// allocates, so a 20000x20000 header costs nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace emo::io {

// An 8-bit RGB image, rows top to bottom, pixels left to right, R G B interleaved (width * height * 3 bytes).
struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;
};

struct ImageReadOptions {
    // Images with more pixels than this are refused (emo::Error) before any pixel memory is allocated. The default
    // (100 megapixels, 300 MB decoded) passes any camera's photo.
    std::uint64_t max_pixels = 100'000'000;
};

// Decodes the file at `path`. Unreadable, truncated or corrupt files, files of another kind, 0x0 images and images
// over the pixel limit are an emo::Error whose message starts with the path. Gray and gray+alpha become RGB, alpha is
// dropped (composited on nothing), 16-bit samples keep their high byte.
Image read_image(const std::string& path, const ImageReadOptions& options = {});

// The same for bytes already in memory; `name` stands for the source in messages.
Image decode_image(const std::uint8_t* data, std::size_t size, const std::string& name,
                   const ImageReadOptions& options = {});

// "jpeg", "png", "webp", "bmp" from the first bytes, or "" when none of them.
std::string image_format(const std::uint8_t* data, std::size_t size);

// Writes `image` as an 8-bit RGB PNG; emo::Error naming `path` when it cannot be written.
void write_png(const std::string& path, const Image& image);

}  // namespace emo::io
