// Writes the seeds of fuzz_image into the directory given: small images of each format and kind that the decoders
// handle, made by tests/image_encoders.hpp (the encoders the tests use). Built and run by scripts/fuzz; not a fuzz
// target itself (fuzz/*.cpp are, this folder is not).
#include "image_encoders.hpp"

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: write_image_seeds DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    using emo_test::Bytes;
    const int w = 13, h = 9;
    const Bytes rgb = emo_test::gradient_rgb(w, h);
    Bytes gray(static_cast<std::size_t>(w) * h), rgba, cmyk, indices(gray.size());
    std::vector<std::uint16_t> wide(rgb.size());
    for (std::size_t i = 0; i < gray.size(); ++i) {
        gray[i] = rgb[3 * i + 1];
        rgba.insert(rgba.end(), {rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], static_cast<std::uint8_t>(i * 9)});
        cmyk.insert(cmyk.end(), {rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 200});
        indices[i] = static_cast<std::uint8_t>(i % 3);
    }
    for (std::size_t i = 0; i < rgb.size(); ++i) wide[i] = static_cast<std::uint16_t>(rgb[i] * 257);
    const std::uint8_t colormap[] = {250, 0, 0, 0, 250, 0, 0, 0, 250};
    const struct {
        const char* name;
        Bytes bytes;
    } seeds[] = {
        {"rgb.jpg", emo_test::encode_jpeg(rgb.data(), w, h, 3, JCS_RGB, 80)},
        {"progressive.jpg", emo_test::encode_jpeg(rgb.data(), w, h, 3, JCS_RGB, 80, true)},
        {"gray.jpg", emo_test::encode_jpeg(gray.data(), w, h, 1, JCS_GRAYSCALE, 80)},
        {"cmyk.jpg", emo_test::encode_jpeg(cmyk.data(), w, h, 4, JCS_CMYK, 80)},
        {"rgb.png", emo_test::encode_png(rgb.data(), w, h, PNG_FORMAT_RGB)},
        {"gray.png", emo_test::encode_png(gray.data(), w, h, PNG_FORMAT_GRAY)},
        {"rgba.png", emo_test::encode_png(rgba.data(), w, h, PNG_FORMAT_RGBA)},
        {"rgb16.png", emo_test::encode_png(wide.data(), w, h, PNG_FORMAT_LINEAR_RGB)},
        {"palette.png", emo_test::encode_png(indices.data(), w, h, PNG_FORMAT_RGB_COLORMAP, colormap, 3)},
        {"lossless.webp", emo_test::encode_webp(rgb.data(), w, h, true)},
        {"lossy.webp", emo_test::encode_webp(rgb.data(), w, h, false, 80)},
        {"rgb.bmp", emo_test::encode_bmp24(rgb.data(), w, h)},
        {"top_down.bmp", emo_test::encode_bmp24(rgb.data(), w, h, true)},
    };
    for (const auto& seed : seeds) {
        if (seed.bytes.empty()) {
            std::fprintf(stderr, "write_image_seeds: could not encode %s\n", seed.name);
            return 1;
        }
        emo_test::write_bytes(dir + "/" + seed.name, seed.bytes);
    }
    return 0;
}
