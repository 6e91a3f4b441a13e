// JPEG through libjpeg-turbo's libjpeg API. libjpeg reports fatal errors through error_exit, which must not return:
// ours records the message and longjmps back. libjpeg only warns when the data ends early (and decodes the rest as
// gray), so that warning is made fatal too: a cut file is refused, not half decoded.
#include "io/image_decoders.hpp"

#include <csetjmp>
#include <cstddef>
#include <cstdio>
// jpeglib.h needs size_t and FILE declared before it.
#include <jerror.h>
#include <jpeglib.h>

#include <string>
#include <vector>

namespace emo::io {
namespace {

// A progressive file may repeat scans over the whole image; encoders write about a dozen. Bounding them bounds the
// work that a small hostile file can cause.
constexpr int max_scans = 1000;

// Plain data only: longjmp skips destructors, so nothing between a setjmp below and libjpeg's callbacks has one.
struct Decoder {
    jpeg_decompress_struct cinfo;
    jpeg_error_mgr err;  // cinfo.err points here; the callbacks find the Decoder from it
    jpeg_progress_mgr progress;
    std::jmp_buf jump;
    bool truncated;
    char message[JMSG_LENGTH_MAX];
};

Decoder& decoder_of(j_common_ptr cinfo) {
    return *reinterpret_cast<Decoder*>(reinterpret_cast<char*>(cinfo->err) - offsetof(Decoder, err));
}

[[noreturn]] void on_error(j_common_ptr cinfo) {
    Decoder& d = decoder_of(cinfo);
    cinfo->err->format_message(cinfo, d.message);
    std::longjmp(d.jump, 1);
}

// Warnings (level -1) are dropped, except the premature end of the data; trace messages (level >= 0) are ignored.
void on_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        Decoder& d = decoder_of(cinfo);
        d.truncated = true;
        std::longjmp(d.jump, 1);
    }
}

void on_progress(j_common_ptr cinfo) {
    if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > max_scans) {
        Decoder& d = decoder_of(cinfo);
        std::snprintf(d.message, sizeof d.message, "more than %d scans", max_scans);
        std::longjmp(d.jump, 1);
    }
}

// Creates the decompressor and reads up to the first scan; false when libjpeg gave up (d.message, d.truncated).
bool read_header(Decoder& d, const std::uint8_t* data, std::size_t size) {
    d.cinfo.err = jpeg_std_error(&d.err);
    d.err.error_exit = on_error;
    d.err.emit_message = on_message;
    if (setjmp(d.jump)) return false;
    jpeg_create_decompress(&d.cinfo);
    d.progress.progress_monitor = on_progress;
    d.cinfo.progress = &d.progress;
    jpeg_mem_src(&d.cinfo, data, static_cast<unsigned long>(size));
    jpeg_read_header(&d.cinfo, TRUE);
    return true;
}

bool is_cmyk(const Decoder& d) { return d.cinfo.jpeg_color_space == JCS_CMYK || d.cinfo.jpeg_color_space == JCS_YCCK; }

// Adobe's CMYK JPEGs (the common kind; libjpeg writes the Adobe marker for CMYK too) store inverted ink, so each
// channel times K gives the colour; without the marker the ink is stored as is. libjpeg has no CMYK to RGB itself.
void cmyk_to_rgb(const JSAMPLE* cmyk, std::uint8_t* rgb, std::size_t width, bool inverted) {
    for (std::size_t x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
        const unsigned k = inverted ? cmyk[3] : 255u - cmyk[3];
        for (int c = 0; c < 3; ++c) {
            const unsigned v = inverted ? cmyk[c] : 255u - cmyk[c];
            rgb[c] = static_cast<std::uint8_t>((v * k + 127) / 255);
        }
    }
}

// Decodes into `rgb` (width * height * 3 bytes); `cmyk_row` holds width * 4 bytes when the file is CMYK.
bool read_pixels(Decoder& d, std::uint8_t* rgb, JSAMPLE* cmyk_row) {
    if (setjmp(d.jump)) return false;
    const bool cmyk = cmyk_row != nullptr;
    d.cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&d.cinfo);
    const std::size_t stride = static_cast<std::size_t>(d.cinfo.output_width) * 3;
    while (d.cinfo.output_scanline < d.cinfo.output_height) {
        std::uint8_t* dest = rgb + d.cinfo.output_scanline * stride;
        JSAMPROW row = cmyk ? cmyk_row : dest;
        if (jpeg_read_scanlines(&d.cinfo, &row, 1) != 1) {  // only a suspending source stops early
            std::snprintf(d.message, sizeof d.message, "no scanline returned");
            return false;
        }
        if (cmyk) cmyk_to_rgb(cmyk_row, dest, d.cinfo.output_width, d.cinfo.saw_Adobe_marker);
    }
    // Reads up to the end marker, so a file cut after its last scan counts as truncated as well.
    jpeg_finish_decompress(&d.cinfo);
    return true;
}

struct DecoderGuard {
    Decoder& d;
    ~DecoderGuard() { jpeg_destroy_decompress(&d.cinfo); }  // safe on a zeroed, never created struct
};

[[noreturn]] void fail(const Decoder& d, const std::string& name) {
    if (d.truncated) image_error(name, "truncated JPEG (the data ends early)");
    image_error(name, std::string("corrupt JPEG: ") + d.message);
}

}  // namespace

Image decode_jpeg(const std::uint8_t* data, std::size_t size, const std::string& name,
                  const ImageReadOptions& options) {
    Decoder d{};
    DecoderGuard guard{d};
    if (!read_header(d, data, size)) fail(d, name);
    // Before jpeg_start_decompress, which allocates buffers of the image's size. Without scaling the output size is
    // the image's.
    check_image_size(name, d.cinfo.image_width, d.cinfo.image_height, options);
    Image image;
    image.width = static_cast<int>(d.cinfo.image_width);
    image.height = static_cast<int>(d.cinfo.image_height);
    image.rgb.resize(static_cast<std::size_t>(image.width) * image.height * 3);
    std::vector<JSAMPLE> cmyk_row(is_cmyk(d) ? static_cast<std::size_t>(image.width) * 4 : 0);
    if (!read_pixels(d, image.rgb.data(), cmyk_row.empty() ? nullptr : cmyk_row.data())) fail(d, name);
    return image;
}

}  // namespace emo::io
