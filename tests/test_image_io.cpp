// Still images (src/io/image*.cpp): JPEG, PNG, WebP and BMP made by the libraries' own encoders decode to the pixels
// they were made from (exactly where lossless), write_png round-trips, and cut, corrupt, empty, foreign, 0x0 and
// huge-header inputs are refused with an emo::Error that starts with the input's name.
#include "image_encoders.hpp"
#include "io/image.hpp"
#include "scratch_dir.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace {

using emo::io::Image;
using emo_test::Bytes;

constexpr int W = 37, H = 23;  // odd, so BMP rows need padding and JPEG's last blocks are partial

class ImageIo : public emo_test::ScratchDirTest {
protected:
    ImageIo() : ScratchDirTest("emo_image_io_") {}
};

Image decode(const Bytes& b, const emo::io::ImageReadOptions& options = {}) {
    return emo::io::decode_image(b.data(), b.size(), "in.img", options);
}

// `image` is W x H and holds exactly `rgb`.
void expect_exact(const Image& image, const Bytes& rgb, const std::string& note = "") {
    EXPECT_EQ(image.width, W) << note;
    EXPECT_EQ(image.height, H) << note;
    EXPECT_EQ(image.rgb, rgb) << note;
}

// The message of the emo::Error that decoding throws, or "" when it succeeds.
std::string error_of(const Bytes& b, const std::string& name = "in.img",
                     const emo::io::ImageReadOptions& options = {}) {
    try {
        emo::io::decode_image(b.data(), b.size(), name, options);
    } catch (const emo::Error& e) {
        return e.what();
    }
    return "";
}

int max_difference(const Bytes& a, const Bytes& b) {
    int most = 0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) most = std::max(most, std::abs(a[i] - b[i]));
    return most;
}

Bytes gray_to_rgb(const Bytes& gray) {
    Bytes rgb;
    for (std::uint8_t g : gray) rgb.insert(rgb.end(), {g, g, g});
    return rgb;
}

Bytes gradient_gray(int width, int height) {
    Bytes gray(static_cast<std::size_t>(width) * height);
    for (std::size_t i = 0; i < gray.size(); ++i)
        gray[i] = static_cast<std::uint8_t>(40 + (i % width) * 4 + (i / width) * 2);
    return gray;
}

// PNG's chunk checksum (CRC-32, polynomial 0xEDB88320), for crafted headers that libpng must accept.
std::uint32_t crc32(const std::uint8_t* p, std::size_t n) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

void put_be32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// A PNG whose IHDR (always the first chunk, at byte 8) declares width x height, with a valid checksum.
Bytes png_declaring(std::uint32_t width, std::uint32_t height) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    Bytes b = emo_test::encode_png(rgb.data(), W, H, PNG_FORMAT_RGB);
    put_be32(b, 16, width);
    put_be32(b, 20, height);
    put_be32(b, 29, crc32(&b[12], 17));  // over the chunk's type and 13 bytes of data
    return b;
}

// A baseline JPEG whose SOF0 declares width x height.
Bytes jpeg_declaring(std::uint16_t width, std::uint16_t height) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    Bytes b = emo_test::encode_jpeg(rgb.data(), W, H, 3, JCS_RGB);
    for (std::size_t i = 2; i + 9 < b.size(); ++i)
        if (b[i] == 0xFF && b[i + 1] == 0xC0) {  // FF C0, length (2), precision (1), height (2), width (2)
            b[i + 5] = static_cast<std::uint8_t>(height >> 8);
            b[i + 6] = static_cast<std::uint8_t>(height);
            b[i + 7] = static_cast<std::uint8_t>(width >> 8);
            b[i + 8] = static_cast<std::uint8_t>(width);
            return b;
        }
    ADD_FAILURE() << "no SOF0 marker";
    return b;
}

// A BMP whose info header declares width x height (the pixels stay those of a small image).
Bytes bmp_declaring(std::int32_t width, std::int32_t height) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    Bytes b = emo_test::encode_bmp24(rgb.data(), W, H);
    emo_test::put_le(b, 18, static_cast<std::uint32_t>(width), 4);
    emo_test::put_le(b, 22, static_cast<std::uint32_t>(height), 4);
    return b;
}

// A lossless WebP (VP8L) whose header declares the largest size it can hold, 16384x16384: the 14-bit width - 1 and
// height - 1 follow the signature byte 0x2F at offset 20.
Bytes webp_declaring_largest() {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    Bytes b = emo_test::encode_webp(rgb.data(), W, H, true);
    EXPECT_EQ(b[20], 0x2F);
    std::uint32_t bits = b[21] | (b[22] << 8) | (b[23] << 16) | (std::uint32_t(b[24]) << 24);
    bits |= 0x0FFFFFFFu;
    emo_test::put_le(b, 21, bits, 4);
    return b;
}

long peak_rss_kb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

}  // namespace

TEST(ImageIoFormat, SniffsTheFirstBytesNotTheName) {
    using namespace std::string_literals;  // the magic bytes hold NULs
    const auto format = [](const std::string& s) {
        return emo::io::image_format(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    };
    EXPECT_EQ(format("\xFF\xD8\xFF\xE0"s), "jpeg");
    EXPECT_EQ(format("\x89PNG\r\n\x1A\n...."s), "png");
    EXPECT_EQ(format("RIFF\x10\0\0\0WEBPVP8L"s), "webp");
    EXPECT_EQ(format("RIFF\x10\0\0\0WAVEfmt "s), "");
    EXPECT_EQ(format("BM\x36\0\0\0"s), "bmp");
    EXPECT_EQ(format("\x89PNG\r\n"s), "");  // cut inside the signature
    EXPECT_EQ(format("hello, world"), "");
    EXPECT_EQ(format(""), "");
}

TEST(ImageIoJpeg, RgbDecodesWithinJpegTolerance) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    const Image image = decode(emo_test::encode_jpeg(rgb.data(), W, H, 3, JCS_RGB));
    EXPECT_EQ(image.width, W);
    EXPECT_EQ(image.height, H);
    ASSERT_EQ(image.rgb.size(), rgb.size());
    EXPECT_LE(max_difference(image.rgb, rgb), 12);
}

TEST(ImageIoJpeg, ProgressiveDecodesLikeBaseline) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    const Image image = decode(emo_test::encode_jpeg(rgb.data(), W, H, 3, JCS_RGB, 95, true));
    ASSERT_EQ(image.rgb.size(), rgb.size());
    EXPECT_LE(max_difference(image.rgb, rgb), 12);
}

TEST(ImageIoJpeg, GrayBecomesThreeEqualChannels) {
    const Bytes gray = gradient_gray(W, H);
    const Image image = decode(emo_test::encode_jpeg(gray.data(), W, H, 1, JCS_GRAYSCALE));
    ASSERT_EQ(image.rgb.size(), gray.size() * 3);
    for (std::size_t i = 0; i < gray.size(); ++i) {
        ASSERT_EQ(image.rgb[3 * i], image.rgb[3 * i + 1]);
        ASSERT_EQ(image.rgb[3 * i], image.rgb[3 * i + 2]);
    }
    EXPECT_LE(max_difference(image.rgb, gray_to_rgb(gray)), 8);
}

TEST(ImageIoJpeg, AdobeCmykBecomesRgb) {
    // Stored the way Photoshop stores it (inverted ink: 255 - C, ...), which libjpeg's Adobe marker announces.
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    Bytes cmyk;
    for (std::size_t i = 0; i < rgb.size(); i += 3) {
        const int k = 255 - std::max({rgb[i], rgb[i + 1], rgb[i + 2]});
        const auto ink = [&](int v) { return k == 255 ? 0 : (255 - v - k) * 255 / (255 - k); };
        cmyk.insert(cmyk.end(),
                    {static_cast<std::uint8_t>(255 - ink(rgb[i])), static_cast<std::uint8_t>(255 - ink(rgb[i + 1])),
                     static_cast<std::uint8_t>(255 - ink(rgb[i + 2])), static_cast<std::uint8_t>(255 - k)});
    }
    const Image image = decode(emo_test::encode_jpeg(cmyk.data(), W, H, 4, JCS_CMYK));
    ASSERT_EQ(image.rgb.size(), rgb.size());
    EXPECT_LE(max_difference(image.rgb, rgb), 16);
}

TEST(ImageIoJpeg, RealFer2013FaceIs48x48Gray) {
    const std::filesystem::path dir = "/work/shared/data/fer2013_publictest/happy";
    if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << dir << " is absent";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
    ASSERT_FALSE(files.empty());
    std::sort(files.begin(), files.end());
    const Image image = emo::io::read_image(files.front().string());
    EXPECT_EQ(image.width, 48);
    EXPECT_EQ(image.height, 48);
    ASSERT_EQ(image.rgb.size(), 48u * 48 * 3);
    int lo = 255, hi = 0;
    for (std::size_t i = 0; i < image.rgb.size(); i += 3) {
        ASSERT_EQ(image.rgb[i], image.rgb[i + 1]);
        ASSERT_EQ(image.rgb[i], image.rgb[i + 2]);
        lo = std::min<int>(lo, image.rgb[i]);
        hi = std::max<int>(hi, image.rgb[i]);
    }
    EXPECT_GT(hi - lo, 50) << "a face has contrast";
}

TEST(ImageIoPng, RgbIsExact) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    expect_exact(decode(emo_test::encode_png(rgb.data(), W, H, PNG_FORMAT_RGB)), rgb);
}

TEST(ImageIoPng, GrayIsReplicatedExactly) {
    const Bytes gray = gradient_gray(W, H);
    EXPECT_EQ(decode(emo_test::encode_png(gray.data(), W, H, PNG_FORMAT_GRAY)).rgb, gray_to_rgb(gray));
}

TEST(ImageIoPng, SixteenBitSamplesKeepTheirHighByte) {
    // Low bytes of 0xFF: rounding v / 257 instead of taking v >> 8 would give a different value for most samples.
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    std::vector<std::uint16_t> wide(rgb.size());
    for (std::size_t i = 0; i < rgb.size(); ++i) wide[i] = static_cast<std::uint16_t>(rgb[i] << 8 | 0xFF);
    const Bytes png = emo_test::encode_png(wide.data(), W, H, PNG_FORMAT_LINEAR_RGB);
    ASSERT_FALSE(png.empty());
    ASSERT_EQ(png[24], 16) << "IHDR's bit depth";
    EXPECT_EQ(decode(png).rgb, rgb);

    const Bytes gray = gradient_gray(W, H);
    std::vector<std::uint16_t> wide_gray(gray.size());
    for (std::size_t i = 0; i < gray.size(); ++i) wide_gray[i] = static_cast<std::uint16_t>(gray[i] << 8 | 0x80);
    EXPECT_EQ(decode(emo_test::encode_png(wide_gray.data(), W, H, PNG_FORMAT_LINEAR_Y)).rgb, gray_to_rgb(gray));
}

TEST(ImageIoPng, AlphaIsDroppedNotComposited) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    Bytes rgba, ga;
    const Bytes gray = gradient_gray(W, H);
    for (std::size_t i = 0; i < gray.size(); ++i) {
        const auto alpha = static_cast<std::uint8_t>(i * 7);  // transparent to opaque
        rgba.insert(rgba.end(), {rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], alpha});
        ga.insert(ga.end(), {gray[i], alpha});
    }
    EXPECT_EQ(decode(emo_test::encode_png(rgba.data(), W, H, PNG_FORMAT_RGBA)).rgb, rgb);
    EXPECT_EQ(decode(emo_test::encode_png(ga.data(), W, H, PNG_FORMAT_GA)).rgb, gray_to_rgb(gray));
}

TEST(ImageIoPng, PaletteIsExpanded) {
    const std::uint8_t colormap[] = {255, 0, 0, 0, 128, 0, 10, 20, 250, 7, 7, 7};
    Bytes indices(W * H), expected;
    for (std::size_t i = 0; i < indices.size(); ++i) {
        indices[i] = static_cast<std::uint8_t>((i / 5) % 4);
        expected.insert(expected.end(), colormap + 3 * indices[i], colormap + 3 * indices[i] + 3);
    }
    const Bytes png = emo_test::encode_png(indices.data(), W, H, PNG_FORMAT_RGB_COLORMAP, colormap, 4);
    ASSERT_FALSE(png.empty());
    ASSERT_EQ(png[25], 3) << "IHDR's colour type: palette";
    EXPECT_EQ(decode(png).rgb, expected);
}

TEST_F(ImageIo, WritePngRoundTripsThroughReadImage) {
    Image image;
    image.width = W;
    image.height = H;
    image.rgb = emo_test::gradient_rgb(W, H);
    const std::string path = (dir_ / "out.png").string();
    emo::io::write_png(path, image);
    const Image back = emo::io::read_image(path);
    EXPECT_EQ(back.width, W);
    EXPECT_EQ(back.height, H);
    EXPECT_EQ(back.rgb, image.rgb);
}

TEST_F(ImageIo, WritePngRefusesBadImagesAndPaths) {
    Image image;
    image.width = 2;
    image.height = 2;
    image.rgb.assign(11, 0);  // one byte short
    const std::string path = (dir_ / "bad.png").string();
    EXPECT_THROW(emo::io::write_png(path, image), emo::Error);
    image.rgb.assign(12, 0);
    try {
        emo::io::write_png((dir_ / "no_such_dir" / "x.png").string(), image);
        ADD_FAILURE() << "wrote into a missing directory";
    } catch (const emo::Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind((dir_ / "no_such_dir" / "x.png").string() + ": ", 0), 0u) << e.what();
    }
}

TEST(ImageIoWebp, LosslessIsExact) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    expect_exact(decode(emo_test::encode_webp(rgb.data(), W, H, true)), rgb);
}

TEST(ImageIoWebp, LossyDecodesWithinTolerance) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    const Image image = decode(emo_test::encode_webp(rgb.data(), W, H, false, 95));
    ASSERT_EQ(image.rgb.size(), rgb.size());
    EXPECT_LE(max_difference(image.rgb, rgb), 16);
}

TEST(ImageIoBmp, BottomUpAndTopDown24BitAreExact) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    for (bool top_down : {false, true}) {
        expect_exact(decode(emo_test::encode_bmp24(rgb.data(), W, H, top_down)), rgb,
                     top_down ? "top-down" : "bottom-up");
    }
}

TEST(ImageIoBad, CutFilesAreRefused) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    const struct {
        const char* format;
        Bytes bytes;
    } files[] = {
        {"JPEG", emo_test::encode_jpeg(rgb.data(), W, H, 3, JCS_RGB)},
        {"JPEG", emo_test::encode_jpeg(rgb.data(), W, H, 3, JCS_RGB, 90, true)},
        {"PNG", emo_test::encode_png(rgb.data(), W, H, PNG_FORMAT_RGB)},
        {"WebP", emo_test::encode_webp(rgb.data(), W, H, true)},
        {"WebP", emo_test::encode_webp(rgb.data(), W, H, false)},
        {"BMP", emo_test::encode_bmp24(rgb.data(), W, H)},
    };
    for (const auto& file : files) {
        const std::size_t n = file.bytes.size();
        for (std::size_t cut : {std::size_t{16}, std::size_t{40}, n / 3, n / 2, n - 10, n - 1}) {
            const Bytes part(file.bytes.begin(), file.bytes.begin() + cut);
            const std::string message = error_of(part, "cut.img");
            EXPECT_EQ(message.rfind("cut.img: ", 0), 0u)
                << file.format << " cut at " << cut << " of " << n << ": " << message;
            EXPECT_NE(message.find(file.format), std::string::npos) << message;
        }
    }
    // Cut late, each says what happened.
    EXPECT_NE(error_of(Bytes(files[0].bytes.begin(), files[0].bytes.end() - 1)).find("truncated JPEG"),
              std::string::npos);
    EXPECT_NE(error_of(Bytes(files[2].bytes.begin(), files[2].bytes.end() - 1)).find("truncated PNG"),
              std::string::npos);
    EXPECT_NE(error_of(Bytes(files[3].bytes.begin(), files[3].bytes.end() - 1)).find("truncated WebP"),
              std::string::npos);
    EXPECT_NE(error_of(Bytes(files[5].bytes.begin(), files[5].bytes.end() - 1)).find("truncated BMP"),
              std::string::npos);
}

TEST(ImageIoBad, CorruptDataIsRefused) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    // A flipped byte inside the PNG's image data fails its checksum.
    Bytes png = emo_test::encode_png(rgb.data(), W, H, PNG_FORMAT_RGB);
    png[png.size() - 20] ^= 0x55;
    EXPECT_NE(error_of(png).find("in.img: corrupt PNG"), std::string::npos) << error_of(png);
    // Noise after each format's magic bytes.
    std::mt19937 random(15);
    for (const std::string& magic : {std::string("\xFF\xD8\xFF", 3), std::string("\x89PNG\r\n\x1A\n"),
                                     std::string("RIFF\x40\0\0\0WEBPVP8 ", 16), std::string("BM")}) {
        for (int trial = 0; trial < 20; ++trial) {
            Bytes b(magic.begin(), magic.end());
            for (int i = 0; i < 64; ++i) b.push_back(static_cast<std::uint8_t>(random()));
            EXPECT_EQ(error_of(b).rfind("in.img: ", 0), 0u);
        }
    }
}

TEST_F(ImageIo, EmptyTextAndRandomFilesAreNotImages) {
    std::mt19937 random(7);
    std::string noise(1000, '\0');
    for (char& c : noise) c = static_cast<char>(random());
    noise[0] = 'x';
    for (const auto& [name, content] : {std::pair<std::string, std::string>{"empty.jpg", ""},
                                        {"notes.png", "happy, sad, angry\n"},
                                        {"noise.bmp", noise}}) {
        const std::string path = write(name, content);
        try {
            emo::io::read_image(path);
            ADD_FAILURE() << name << " was decoded";
        } catch (const emo::Error& e) {
            EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
            EXPECT_NE(std::string(e.what()).find("not an image (JPEG, PNG, WebP or BMP expected)"), std::string::npos)
                << e.what();
        }
    }
}

TEST_F(ImageIo, MissingFileNamesThePath) {
    const std::string path = (dir_ / "absent.jpg").string();
    try {
        emo::io::read_image(path);
        ADD_FAILURE() << "no error";
    } catch (const emo::Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path + ": cannot open", 0), 0u) << e.what();
    }
    EXPECT_THROW(emo::io::read_image(dir_.string()), emo::Error);  // a directory
}

TEST(ImageIoBad, HugeHeadersAreRefusedBeforeAllocating) {
    // Decoding any of these for real would take 1.2 GB (20000 x 20000 x 3): the peak RSS shows nothing like it was
    // touched.
    const long before = peak_rss_kb();
    const std::string limit = "20000x20000 pixels is over the limit of 100000000 (--max-pixels)";
    EXPECT_EQ(error_of(png_declaring(20000, 20000), "big.png"), "big.png: " + limit);
    EXPECT_EQ(error_of(jpeg_declaring(20000, 20000), "big.jpg"), "big.jpg: " + limit);
    EXPECT_EQ(error_of(bmp_declaring(20000, 20000), "big.bmp"), "big.bmp: " + limit);
    EXPECT_EQ(error_of(bmp_declaring(20000, -20000), "big.bmp"), "big.bmp: " + limit);
    EXPECT_EQ(error_of(webp_declaring_largest(), "big.webp"),
              "big.webp: 16384x16384 pixels is over the limit of 100000000 (--max-pixels)");
    EXPECT_LT(peak_rss_kb() - before, 64 * 1024);
}

TEST(ImageIoBad, ZeroPixelImagesAreRefused) {
    EXPECT_EQ(error_of(bmp_declaring(0, 0), "zero.bmp"), "zero.bmp: empty image (0x0 pixels)");
    EXPECT_EQ(error_of(bmp_declaring(5, 0), "flat.bmp"), "flat.bmp: empty image (5x0 pixels)");
    // libpng and libjpeg refuse a zero size themselves, with their own words.
    EXPECT_EQ(error_of(png_declaring(0, 0), "zero.png").rfind("zero.png: corrupt PNG", 0), 0u);
    EXPECT_EQ(error_of(jpeg_declaring(0, 0), "zero.jpg").rfind("zero.jpg: corrupt JPEG", 0), 0u);
}

TEST(ImageIoLimits, MaxPixelsIsInclusive) {
    const Bytes rgb = emo_test::gradient_rgb(W, H);
    const Bytes png = emo_test::encode_png(rgb.data(), W, H, PNG_FORMAT_RGB);
    emo::io::ImageReadOptions options;
    options.max_pixels = W * H;
    EXPECT_EQ(decode(png, options).rgb, rgb);
    options.max_pixels = W * H - 1;
    EXPECT_EQ(error_of(png, "in.png", options),
              "in.png: 37x23 pixels is over the limit of " + std::to_string(W * H - 1) + " (--max-pixels)");
}

TEST_F(ImageIo, FilesTooLargeForTheLimitAreNotRead) {
    // Sparse, so the test writes nothing: over 8 bytes a pixel plus 64 MB for a 1-pixel limit.
    const std::string path = write("huge.png", "\x89PNG\r\n\x1A\n");
    std::filesystem::resize_file(path, (64u << 20) + 100);
    emo::io::ImageReadOptions options;
    options.max_pixels = 1;
    try {
        emo::io::read_image(path, options);
        ADD_FAILURE() << "no error";
    } catch (const emo::Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path + ": file of 67108964 bytes is too large", 0), 0u) << e.what();
    }
}
