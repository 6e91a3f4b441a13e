// Tests for src/core/safetensors: round trips and the checks that keep corrupt or hostile files from being read.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/safetensors.hpp"
#include "emo/emo.hpp"

namespace {

namespace fs = std::filesystem;
using emo::core::read_safetensors;
using emo::core::Tensor;
using emo::core::TensorFile;
using emo::core::write_safetensors;

class Safetensors : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() / ("emo_safetensors_" + std::to_string(::getpid()) + "_" + info->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    // A file with the given header JSON and data bytes, laid out as safetensors (little-endian u64 header length).
    std::string raw(const std::string& name, const std::string& header, const std::string& data,
                    std::uint64_t declared_length = std::numeric_limits<std::uint64_t>::max()) {
        const std::uint64_t len = declared_length == std::numeric_limits<std::uint64_t>::max() ? header.size()
                                                                                                : declared_length;
        std::string bytes;
        for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
        bytes += header;
        bytes += data;
        return write_bytes(name, bytes);
    }

    std::string write_bytes(const std::string& name, const std::string& bytes) {
        const std::string p = path(name);
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }

    static std::string floats(std::initializer_list<float> values) {
        std::string out;
        for (float v : values) {
            char b[4];
            std::memcpy(b, &v, 4);
            out.append(b, 4);
        }
        return out;
    }

    // The message of the emo::Error that reading `p` throws; fails the test when it does not throw.
    static std::string read_error(const std::string& p) {
        try {
            read_safetensors(p);
        } catch (const emo::Error& e) {
            return e.what();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "threw a non-emo exception: " << e.what();
            return e.what();
        }
        ADD_FAILURE() << "reading " << p << " did not throw";
        return "";
    }

    fs::path dir_;
};

TensorFile sample() {
    TensorFile f;
    f.tensors["matrix"] = {{2, 3}, {1.0f, -2.5f, 3.25f, 0.0f, 1e-3f, -1e4f}};
    f.tensors["vector"] = {{4}, {0.5f, 0.25f, -0.125f, 42.0f}};
    f.tensors["scalar"] = {{}, {7.0f}};
    f.tensors["empty"] = {{0, 5}, {}};
    return f;
}

TEST_F(Safetensors, F32RoundTripIsExact) {
    const auto p = path("f32.safetensors");
    auto original = sample();
    original.tensors["special"] = {{3}, {std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(),
                                         std::numeric_limits<float>::lowest()}};
    write_safetensors(p, original);
    auto back = read_safetensors(p);
    ASSERT_EQ(back.tensors.size(), original.tensors.size());
    for (const auto& [name, t] : original.tensors) {
        ASSERT_TRUE(back.tensors.count(name)) << name;
        EXPECT_EQ(back.tensors[name].shape, t.shape) << name;
        EXPECT_EQ(back.tensors[name].data, t.data) << name;
    }
}

TEST_F(Safetensors, F16RoundTripIsWithinHalfPrecision) {
    const auto p = path("f16.safetensors");
    TensorFile original;
    std::vector<float> values = {0.0f, 1.0f, -1.0f, 0.1f, -0.333f, 3.14159f, 1000.5f, 65504.0f, 1e-3f, -7e-5f,
                                 2e-5f, 6.1e-5f};
    for (int i = -40; i <= 40; ++i) values.push_back(static_cast<float>(i) * 0.37f);
    original.tensors["w"] = {{static_cast<std::int64_t>(values.size())}, values};
    original.tensors["m"] = {{2, 2}, {0.5f, -0.75f, 2.0f, 8.0f}};
    write_safetensors(p, original, /*half=*/true);
    auto back = read_safetensors(p);
    ASSERT_EQ(back.tensors.at("w").shape, original.tensors.at("w").shape);
    const auto& got = back.tensors.at("w").data;
    ASSERT_EQ(got.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        // Half precision keeps 11 significant bits (relative error <= 2^-11); subnormals below 6.1e-5 keep an
        // absolute step of 2^-24.
        const double tol = std::max(std::abs(values[i]) / 2048.0, std::ldexp(1.0, -24));
        EXPECT_NEAR(got[i], values[i], tol) << "value " << values[i];
    }
    EXPECT_EQ(back.tensors.at("m").data, original.tensors.at("m").data);  // exactly representable in half
    // F16 data takes half the bytes of F32.
    const auto p32 = path("f32.safetensors");
    write_safetensors(p32, original, false);
    EXPECT_LT(fs::file_size(p), fs::file_size(p32));
}

TEST_F(Safetensors, F16SaturatesHugeValuesToTheLargestHalf) {
    // Saturating rather than overflowing to infinity keeps a written file readable (the reader refuses infinity).
    const auto p = path("huge.safetensors");
    TensorFile original;
    original.tensors["x"] = {{3}, {1e6f, -1e6f, 65520.0f}};
    write_safetensors(p, original, true);
    EXPECT_EQ(read_safetensors(p).tensors.at("x").data, (std::vector<float>{65504.0f, -65504.0f, 65504.0f}));
}

TEST(SafetensorsHalf, RoundTripsAndSaturates) {
    using emo::core::float_to_half;
    using emo::core::half_to_float;
    for (float f : {0.0f, 1.0f, -2.5f, 0.333251953125f, 65504.0f, 6.103515625e-05f, 5.9604644775390625e-08f})
        EXPECT_EQ(half_to_float(float_to_half(f)), f) << f;
    EXPECT_EQ(half_to_float(float_to_half(1e9f)), 65504.0f);
    EXPECT_EQ(half_to_float(float_to_half(-INFINITY)), -65504.0f);
    EXPECT_TRUE(std::isnan(half_to_float(float_to_half(NAN))));
    EXPECT_TRUE(std::signbit(half_to_float(float_to_half(-0.0f))));
    // Round to nearest: 1 + 2^-11 is halfway between 1 and the next half, and ties go to even (1).
    EXPECT_EQ(half_to_float(float_to_half(1.0f + 1.0f / 2048)), 1.0f);
    EXPECT_EQ(half_to_float(float_to_half(1.0f + 3.0f / 2048)), 1.0f + 2.0f / 1024);  // tie, odd below: rounds up
    EXPECT_EQ(half_to_float(float_to_half(1.0f + 1.5f / 1024)), 1.0f + 2.0f / 1024);
    // Subnormal ties go to even too: 1.5 and 2.5 times the smallest subnormal become 2 of them.
    const float tiny = std::ldexp(1.0f, -24);
    EXPECT_EQ(half_to_float(float_to_half(1.5f * tiny)), 2 * tiny);
    EXPECT_EQ(half_to_float(float_to_half(2.5f * tiny)), 2 * tiny);
    EXPECT_EQ(half_to_float(float_to_half(0.5f * tiny)), 0.0f);
    EXPECT_EQ(half_to_float(float_to_half(0.51f * tiny)), tiny);
}

TEST(SafetensorsHalf, EveryFiniteHalfRoundTripsExactly) {
    using emo::core::float_to_half;
    using emo::core::half_to_float;
    for (std::uint32_t h = 0; h <= 0xffffu; ++h) {
        if ((h & 0x7c00u) == 0x7c00u) continue;  // infinities and NaNs
        const auto bits = static_cast<std::uint16_t>(h);
        ASSERT_EQ(float_to_half(half_to_float(bits)), bits) << std::hex << h;
    }
    EXPECT_TRUE(std::isinf(half_to_float(0x7c00u)));
    EXPECT_TRUE(std::isnan(half_to_float(0x7e00u)));
}

TEST_F(Safetensors, MetadataRoundTrips) {
    const auto p = path("meta.safetensors");
    auto original = sample();
    original.metadata = {{"format", "pt"}, {"note", "caf\xc3\xa9 \"quoted\" {json}"}, {"empty", ""}};
    write_safetensors(p, original);
    EXPECT_EQ(read_safetensors(p).metadata, original.metadata);
}

TEST_F(Safetensors, DataIsEightByteAligned) {
    const auto p = path("aligned.safetensors");
    write_safetensors(p, sample());
    std::ifstream in(p, std::ios::binary);
    unsigned char len[8];
    in.read(reinterpret_cast<char*>(len), 8);
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | len[i];
    EXPECT_EQ((8 + n) % 8, 0u);
}

TEST_F(Safetensors, ReadsHandWrittenBf16AndIgnoresNonStringMetadata) {
    // BF16 1.0 is 0x3F80, -2.0 is 0xC000 (little-endian bytes).
    const std::string data("\x80\x3f\x00\xc0", 4);
    const auto p = raw("bf16.safetensors",
                       R"({"__metadata__":{"a":"b","n":3},"x":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})",
                       data);
    auto f = read_safetensors(p);
    EXPECT_EQ(f.tensors.at("x").data, (std::vector<float>{1.0f, -2.0f}));
    EXPECT_EQ(f.metadata, (std::map<std::string, std::string>{{"a", "b"}}));
}

TEST_F(Safetensors, MissingFileThrowsNamingIt) {
    const auto p = path("nope.safetensors");
    EXPECT_NE(read_error(p).find(p), std::string::npos);
}

TEST_F(Safetensors, FileShorterThanHeaderLengthThrowsNamingIt) {
    const auto p = write_bytes("short.safetensors", std::string("\x05\x00\x00", 3));
    EXPECT_NE(read_error(p).find(p), std::string::npos);
    const auto empty = write_bytes("empty.safetensors", "");
    EXPECT_NE(read_error(empty).find(empty), std::string::npos);
}

TEST_F(Safetensors, TruncatedFileThrowsNamingIt) {
    const auto p = path("truncated.safetensors");
    write_safetensors(p, sample());
    const auto full = fs::file_size(p);
    for (auto cut : {full - 1, full - 9, full / 2, std::uintmax_t{12}}) {
        fs::resize_file(p, cut);
        EXPECT_NE(read_error(p).find(p), std::string::npos) << "cut at " << cut;
        write_safetensors(p, sample());
    }
}

TEST_F(Safetensors, HeaderLengthBeyondFileThrowsNamingIt) {
    const std::string header = R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
    const auto p = raw("long_header.safetensors", header, floats({1.0f}), header.size() + 100);
    const auto msg = read_error(p);
    EXPECT_NE(msg.find(p), std::string::npos);
    EXPECT_NE(msg.find("header"), std::string::npos) << msg;
    const auto q = raw("huge_header.safetensors", header, floats({1.0f}), std::uint64_t{1} << 62);
    EXPECT_NE(read_error(q).find(q), std::string::npos);
}

TEST_F(Safetensors, BadJsonHeaderThrowsNamingIt) {
    const auto p = raw("bad_json.safetensors", R"({"x":{"dtype":"F32",)", floats({1.0f}));
    EXPECT_NE(read_error(p).find(p), std::string::npos);
    const auto q = raw("not_object.safetensors", "[1,2,3]", "");
    EXPECT_NE(read_error(q).find(q), std::string::npos);
    const auto r = raw("bad_meta.safetensors", R"({"__metadata__":[1]})", "");
    EXPECT_NE(read_error(r).find(r), std::string::npos);
}

TEST_F(Safetensors, MissingOrMistypedFieldsThrowNamingFileAndTensor) {
    const auto p = raw("no_offsets.safetensors", R"({"x":{"dtype":"F32","shape":[1]}})", floats({1.0f}));
    auto msg = read_error(p);
    EXPECT_NE(msg.find(p), std::string::npos);
    EXPECT_NE(msg.find("'x'"), std::string::npos) << msg;
    const auto q = raw("string_shape.safetensors", R"({"x":{"dtype":"F32","shape":"1","data_offsets":[0,4]}})",
                       floats({1.0f}));
    EXPECT_NE(read_error(q).find(q), std::string::npos);
}

TEST_F(Safetensors, OffsetsOutsideTheDataThrowNamingIt) {
    const auto p = raw("outside.safetensors", R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                       floats({1.0f, 2.0f}));
    EXPECT_NE(read_error(p).find(p), std::string::npos);
    const auto q = raw("reversed.safetensors", R"({"x":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})",
                       floats({1.0f, 2.0f}));
    EXPECT_NE(read_error(q).find(q), std::string::npos);
    const auto r = raw("three.safetensors", R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}})",
                       floats({1.0f, 2.0f}));
    EXPECT_NE(read_error(r).find(r), std::string::npos);
    // An offset near 2^64 must not wrap around the bounds check.
    const auto s = raw("wrap.safetensors",
                       R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[18446744073709551612,0]}})",
                       floats({1.0f}));
    EXPECT_NE(read_error(s).find(s), std::string::npos);
}

TEST_F(Safetensors, UnsupportedDtypeThrowsNamingFileAndDtype) {
    const auto p = raw("i64.safetensors", R"({"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})",
                       floats({1.0f, 2.0f}));
    const auto msg = read_error(p);
    EXPECT_NE(msg.find(p), std::string::npos);
    EXPECT_NE(msg.find("I64"), std::string::npos) << msg;
}

TEST_F(Safetensors, ShapeAndOffsetSizeMismatchThrowsNamingIt) {
    // Shape [2, 2] of F32 needs 16 bytes; the offsets give 12.
    const auto p = raw("mismatch.safetensors", R"({"x":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}})",
                       floats({1.0f, 2.0f, 3.0f, 4.0f}));
    EXPECT_NE(read_error(p).find(p), std::string::npos);
    // F16 with F32-sized offsets.
    const auto q = raw("f16_size.safetensors", R"({"x":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}})",
                       floats({1.0f, 2.0f}));
    EXPECT_NE(read_error(q).find(q), std::string::npos);
}

TEST_F(Safetensors, NegativeOrOverflowingShapeThrowsNamingIt) {
    const auto p = raw("negative.safetensors", R"({"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})",
                       floats({1.0f}));
    EXPECT_NE(read_error(p).find(p), std::string::npos);
    const auto q = raw("overflow.safetensors",
                       R"({"x":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}})",
                       floats({1.0f}));
    EXPECT_NE(read_error(q).find(q), std::string::npos);
}

TEST_F(Safetensors, HeaderOverTheSizeCapThrowsNamingIt) {
    // A sparse file large enough that the declared 257 MiB header fits: only the cap can refuse it.
    const std::uint64_t len = 257ull << 20;
    const auto p = raw("big_header.safetensors", "{", "", len);
    fs::resize_file(p, 8 + len + 16);
    const auto msg = read_error(p);
    EXPECT_NE(msg.find(p), std::string::npos);
    EXPECT_NE(msg.find("too large"), std::string::npos) << msg;
}

TEST_F(Safetensors, NonIntegerFieldsThrowNamingFileAndTensor) {
    for (const std::string header : {R"({"x":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}})",
                                     R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}})",
                                     R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}})",
                                     R"({"x":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}})",
                                     R"({"x":{"dtype":7,"shape":[1],"data_offsets":[0,4]}})",
                                     R"({"x":[1,2]})"}) {
        const auto p = raw("fields.safetensors", header, floats({1.0f}));
        const auto msg = read_error(p);
        EXPECT_NE(msg.find(p), std::string::npos) << header;
        EXPECT_NE(msg.find("'x'"), std::string::npos) << msg;
    }
}

TEST_F(Safetensors, ImplausibleShapesThrowNamingFileAndTensor) {
    for (const std::string header :
         {R"({"x":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}})",
          R"({"x":{"dtype":"F32","shape":[0,18446744073709551615],"data_offsets":[0,0]}})",
          R"({"x":{"dtype":"F32","shape":[2199023255552,0],"data_offsets":[0,0]}})",
          R"({"x":{"dtype":"F16","shape":[1048576,1048576,2],"data_offsets":[0,4]}})"}) {
        const auto p = raw("shape.safetensors", header, floats({1.0f}));
        const auto msg = read_error(p);
        EXPECT_NE(msg.find(p), std::string::npos) << header;
        EXPECT_NE(msg.find("'x'"), std::string::npos) << msg;
    }
    // Sixteen dimensions and empty tensors with a huge-but-plausible axis are fine.
    const auto ok = raw("ok.safetensors",
                        R"({"x":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]},)"
                        R"("e":{"dtype":"F32","shape":[0,1099511627776],"data_offsets":[4,4]}})",
                        floats({1.0f}));
    EXPECT_EQ(read_safetensors(ok).tensors.at("e").shape, (std::vector<std::int64_t>{0, 1099511627776}));
}

TEST_F(Safetensors, NonFiniteDataThrowsNamingFileAndTensor) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"ok":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"bad":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
         floats({1.0f, std::numeric_limits<float>::quiet_NaN()})},
        {R"({"bad":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
         floats({1.0f, -std::numeric_limits<float>::infinity()})},
        {R"({"bad":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})", std::string("\x00\x3c\x00\x7c", 4)},
        {R"({"bad":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}})", std::string("\x01\xfe", 2)},
        {R"({"bad":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}})", std::string("\x80\xff", 2)},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto p = raw("nonfinite" + std::to_string(i) + ".safetensors", cases[i].first, cases[i].second);
        const auto msg = read_error(p);
        EXPECT_NE(msg.find(p), std::string::npos) << msg;
        EXPECT_NE(msg.find("'bad'"), std::string::npos) << msg;
    }
}

TEST_F(Safetensors, WriteRefusesNonFiniteValuesNamingFileAndTensor) {
    const auto p = path("nan.safetensors");
    write_safetensors(p, sample());
    const auto before = fs::file_size(p);
    for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                      -std::numeric_limits<float>::infinity()}) {
        for (bool half : {false, true}) {
            auto f = sample();
            f.tensors["poisoned"] = {{2}, {1.0f, bad}};
            try {
                write_safetensors(p, f, half);
                ADD_FAILURE() << "wrote " << bad;
            } catch (const emo::Error& e) {
                const std::string msg = e.what();
                EXPECT_NE(msg.find(p), std::string::npos) << msg;
                EXPECT_NE(msg.find("'poisoned'"), std::string::npos) << msg;
            }
        }
    }
    // The refused writes left the earlier file as it was, and no temporary beside it.
    EXPECT_EQ(fs::file_size(p), before);
    EXPECT_EQ(read_safetensors(p).tensors.size(), sample().tensors.size());
    EXPECT_FALSE(fs::exists(p + ".tmp"));
}

TEST_F(Safetensors, WriteRefusesDataThatDoesNotFillItsShape) {
    const auto p = path("mismatch.safetensors");
    for (const Tensor& t : {Tensor{{2, 3}, {1, 2, 3, 4, 5}}, Tensor{{2}, {1, 2, 3}}, Tensor{{}, {}},
                            Tensor{{0, 4}, {1}}, Tensor{{-1}, {}}, Tensor{{-2, -3}, {1, 2, 3, 4, 5, 6}}}) {
        auto f = sample();
        f.tensors["wrong"] = t;
        try {
            write_safetensors(p, f);
            ADD_FAILURE() << "wrote a tensor whose data does not fill its shape";
        } catch (const emo::Error& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(p), std::string::npos) << msg;
            EXPECT_NE(msg.find("'wrong'"), std::string::npos) << msg;
        }
    }
    EXPECT_FALSE(fs::exists(p));
    EXPECT_FALSE(fs::exists(p + ".tmp"));
}

TEST_F(Safetensors, WriteReplacesAnExistingFileAndLeavesNoTemporary) {
    const auto p = path("replace.safetensors");
    write_safetensors(p, sample());
    TensorFile small;
    small.tensors["only"] = {{1}, {3.0f}};
    write_safetensors(p, small, true);
    EXPECT_EQ(read_safetensors(p).tensors.at("only").data, (std::vector<float>{3.0f}));
    EXPECT_EQ(read_safetensors(p).tensors.size(), 1u);
    EXPECT_FALSE(fs::exists(p + ".tmp"));
}

TEST_F(Safetensors, GetReturnsTensorWithTheRightShape) {
    const auto p = path("get.safetensors");
    write_safetensors(p, sample());
    auto f = read_safetensors(p);
    EXPECT_EQ(f.get("matrix", {2, 3}, p).data.size(), 6u);
    EXPECT_EQ(f.get("scalar", {}, p).data, (std::vector<float>{7.0f}));
}

TEST_F(Safetensors, GetWithWrongShapeThrowsNamingOriginAndTensor) {
    auto f = sample();
    try {
        f.get("matrix", {3, 2}, "model/weights.safetensors");
        FAIL() << "wrong shape accepted";
    } catch (const emo::Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("model/weights.safetensors"), std::string::npos) << msg;
        EXPECT_NE(msg.find("matrix"), std::string::npos) << msg;
    }
    EXPECT_THROW(f.get("matrix", {6}, "x"), emo::Error);
    EXPECT_THROW(f.get("matrix", {2, 3, 1}, "x"), emo::Error);
}

TEST_F(Safetensors, GetOfMissingTensorThrowsNamingIt) {
    auto f = sample();
    try {
        f.get("absent", {1}, "origin.safetensors");
        FAIL() << "missing tensor accepted";
    } catch (const emo::Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("origin.safetensors"), std::string::npos) << msg;
        EXPECT_NE(msg.find("absent"), std::string::npos) << msg;
    }
}

TEST_F(Safetensors, WriteToUnwritablePathThrows) {
    EXPECT_THROW(write_safetensors(path("no/such/dir/x.safetensors"), sample()), emo::Error);
}

}  // namespace
