// Still images: the format from the first bytes, the size limits shared by the decoders, and reading files whole
// (every decoder works on memory, so a file and an upload take one path).
#include "io/image.hpp"

#include "io/image_decoders.hpp"

#include <emo/emo.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

namespace emo::io {

void image_error(const std::string& name, const std::string& what) { throw Error(name + ": " + what); }

void check_image_size(const std::string& name, std::uint64_t width, std::uint64_t height,
                      const ImageReadOptions& options) {
    if (width == 0 || height == 0)
        image_error(name, "empty image (" + std::to_string(width) + "x" + std::to_string(height) + " pixels)");
    if (width * height > options.max_pixels)
        image_error(name, std::to_string(width) + "x" + std::to_string(height) + " pixels is over the limit of " +
                              std::to_string(options.max_pixels) + " (--max-pixels)");
}

std::string image_format(const std::uint8_t* data, std::size_t size) {
    const auto starts = [&](std::size_t at, const char* magic) {
        const std::size_t n = std::strlen(magic);
        return size >= at + n && std::memcmp(data + at, magic, n) == 0;
    };
    if (starts(0, "\xFF\xD8\xFF")) return "jpeg";
    if (starts(0, "\x89PNG\r\n\x1A\n")) return "png";
    if (starts(0, "RIFF") && starts(8, "WEBP")) return "webp";
    if (starts(0, "BM")) return "bmp";
    return "";
}

Image decode_image(const std::uint8_t* data, std::size_t size, const std::string& name,
                   const ImageReadOptions& options) {
    const std::string format = image_format(data, size);
    if (format == "jpeg") return decode_jpeg(data, size, name, options);
    if (format == "png") return decode_png(data, size, name, options);
    if (format == "webp") return decode_webp(data, size, name, options);
    if (format == "bmp") return decode_bmp(data, size, name, options);
    image_error(name, size == 0 ? "empty file, not an image (JPEG, PNG, WebP or BMP expected)"
                                : "not an image (JPEG, PNG, WebP or BMP expected)");
}

namespace {

// No encoding of an image within the limit needs more than 8 bytes a pixel (16-bit RGBA PNG stored uncompressed, the
// worst case of the four formats); the slack covers metadata (EXIF thumbnails, ICC profiles).
std::uint64_t max_file_size(const ImageReadOptions& options) {
    constexpr std::uint64_t slack = 64ull << 20;
    const std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
    if (options.max_pixels > (most - slack) / 8) return most;
    return options.max_pixels * 8 + slack;
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

Image read_image(const std::string& path, const ImageReadOptions& options) {
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) image_error(path, std::string("cannot open (") + std::strerror(errno) + ")");
    // The size is known before reading, so a huge file is refused without reading it.
    struct stat info {};
    if (::fstat(::fileno(file.get()), &info) != 0 || !S_ISREG(info.st_mode))
        image_error(path, "cannot read (not a regular file)");
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (size > max_file_size(options))
        image_error(path, "file of " + std::to_string(size) + " bytes is too large for an image of at most " +
                              std::to_string(options.max_pixels) + " pixels (--max-pixels)");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (size && std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size())
        image_error(path, std::string("cannot read (") + std::strerror(errno) + ")");
    return decode_image(bytes.data(), bytes.size(), path, options);
}

}  // namespace emo::io
