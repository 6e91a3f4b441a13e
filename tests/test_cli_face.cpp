// `emo face` and `emo eval face` end to end: argument order, one line per image or sampled frame, --on-error, --draw,
// --no-detect, --evidence, videos, limits, and issue 15's accuracy bar on FER2013 PublicTest.
#include "cli_runner.hpp"
#include "face_scenes.hpp"
#include "io/image.hpp"
#include "scratch_dir.hpp"
#include "video_fixture.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

using namespace emo_test;

namespace {

const std::string fer_dir = EMO_SOURCE_DIR "/../shared/data/fer2013_publictest";

class CliFace : public ScratchDirTest {
protected:
    CliFace() : ScratchDirTest("emo_cli_face_") {}

    // A 640x480 scene with the first happy FER2013 face pasted 200 pixels wide; empty when the data is absent.
    std::string scene() {
        if (!std::filesystem::exists(fer_dir)) return "";
        std::string face;
        for (const auto& e : std::filesystem::directory_iterator(fer_dir + "/happy"))
            if (face.empty() || e.path().string() < face) face = e.path().string();
        std::mt19937 rng(3);
        const auto s = make_scene(emo::io::read_image(face), 640, 480, 200, rng);
        const std::string path = (dir_ / "scene.png").string();
        emo::io::write_png(path, s.image);
        return path;
    }
    std::string blank(const std::string& name, int width, int height) {
        const std::string path = (dir_ / name).string();
        emo::io::write_png(
            path, {width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height * 3, 90)});
        return path;
    }
};

std::vector<nlohmann::json> records(const CliRun& r) {
    std::vector<nlohmann::json> out;
    for (const auto& line : r.out_lines()) out.push_back(nlohmann::json::parse(line));
    return out;
}

}  // namespace

TEST_F(CliFace, WritesOneLinePerImageInArgumentOrderAndAccountsForBadOnes) {
    const std::string face = scene();
    if (face.empty()) GTEST_SKIP() << "no " << fer_dir;
    const std::string empty = blank("empty.png", 320, 200);
    const std::string missing = (dir_ / "missing.jpg").string();
    const std::string text = write("notes.txt", "not an image at all\n");

    const auto r = run_emo(dir_, {"face", face, empty, missing, text, face, "--on-error", "skip"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("2 of 5 inputs could not be analysed"), std::string::npos) << r.err;
    const auto out = records(r);
    ASSERT_EQ(out.size(), 5u) << r.out;
    EXPECT_EQ(out[0]["file"], face);
    EXPECT_EQ(out[0]["width"], 640);
    ASSERT_EQ(out[0]["faces"].size(), 1u) << out[0];
    const auto& f = out[0]["faces"][0];
    EXPECT_GT(f["score"].get<double>(), 0.5);
    EXPECT_GT(f["box"]["width"].get<double>(), 50);
    EXPECT_EQ(f["landmarks"].size(), 6u);
    ASSERT_EQ(f["scores"].size(), 7u);
    double sum = 0;
    for (const auto& [label, p] : f["scores"].items()) sum += p.get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-3);
    EXPECT_EQ(f["emotion"], "happy");
    EXPECT_EQ(out[1]["file"], empty);
    EXPECT_TRUE(out[1]["faces"].empty()) << "no face is an empty list, not an error";
    EXPECT_FALSE(out[1].contains("error"));
    EXPECT_EQ(out[2]["file"], missing);
    EXPECT_NE(out[2]["error"].get<std::string>().find(missing), std::string::npos);
    EXPECT_NE(out[3]["error"].get<std::string>().find("neither an image"), std::string::npos) << out[3];
    EXPECT_EQ(out[4]["faces"], out[0]["faces"]);

    // Under the default --on-error fail the run stops at the missing file with its name, after the lines before it.
    const auto stopped = run_emo(dir_, {"face", empty, missing, face});
    EXPECT_EQ(stopped.code, 1);
    EXPECT_NE(stopped.err.find(missing), std::string::npos) << stopped.err;
    EXPECT_EQ(stopped.out_lines().size(), 1u);
}

TEST_F(CliFace, NoDetectTreatsTheImageAsOneCropAndEvidenceNamesRegions) {
    if (!std::filesystem::exists(fer_dir)) GTEST_SKIP() << "no " << fer_dir;
    std::string face;
    for (const auto& e : std::filesystem::directory_iterator(fer_dir + "/surprise"))
        if (face.empty() || e.path().string() < face) face = e.path().string();
    const auto r = run_emo(dir_, {"face", "--no-detect", "--evidence", face});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto out = records(r);
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0]["faces"].size(), 1u);
    const auto& f = out[0]["faces"][0];
    EXPECT_EQ(f["box"], (nlohmann::json{{"x", 0.0}, {"y", 0.0}, {"width", 48.0}, {"height", 48.0}}));
    EXPECT_EQ(f["score"], 1.0);
    EXPECT_FALSE(f.contains("landmarks"));
    ASSERT_EQ(f["evidence"].size(), 3u);
    std::set<std::string> cues;
    for (const auto& e : f["evidence"]) cues.insert(e["cue"].get<std::string>());
    EXPECT_EQ(cues, (std::set<std::string>{"region:eyes", "region:nose", "region:mouth"}));
    EXPECT_GE(f["evidence"][0]["weight"].get<double>(), f["evidence"][2]["weight"].get<double>());
}

TEST_F(CliFace, DrawWritesThePictureWithItsBoxes) {
    const std::string face = scene();
    if (face.empty()) GTEST_SKIP() << "no " << fer_dir;
    const std::string drawn = (dir_ / "drawn.png").string();
    const auto r = run_emo(dir_, {"face", face, "--draw", drawn});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto before = emo::io::read_image(face), after = emo::io::read_image(drawn);
    ASSERT_EQ(after.width, before.width);
    ASSERT_EQ(after.height, before.height);
    EXPECT_NE(after.rgb, before.rgb);
    // Several inputs: one picture each in the --draw folder.
    const std::string folder = (dir_ / "pictures").string();
    const std::string empty = blank("empty.png", 64, 64);
    ASSERT_EQ(run_emo(dir_, {"face", face, empty, "--draw", folder}).code, 0);
    EXPECT_TRUE(std::filesystem::exists(folder + "/scene.png"));
    EXPECT_EQ(emo::io::read_image(folder + "/empty.png").rgb, emo::io::read_image(empty).rgb);
}

TEST_F(CliFace, VideosGiveOneLinePerSampledFrameWithItsTime) {
    const std::string video = (dir_ / "clip.mp4").string();
    VideoSpec spec;
    spec.frames = 30;  // 3 s at 10 fps
    write_video(video, spec);
    const auto r = run_emo(dir_, {"face", "--fps", "2", video});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto out = records(r);
    ASSERT_EQ(out.size(), 6u) << r.out;
    for (std::size_t i = 0; i < out.size(); ++i) {
        EXPECT_EQ(out[i]["file"], video);
        EXPECT_NEAR(out[i]["time"].get<double>(), 0.5 * static_cast<double>(i), 0.1);
        EXPECT_EQ(out[i]["width"], 64);
        EXPECT_TRUE(out[i]["faces"].empty());
    }
}

TEST_F(CliFace, TracksFollowAFaceThroughAVideoAndEndWhenItLeaves) {
    if (!std::filesystem::exists(fer_dir)) GTEST_SKIP() << "no " << fer_dir;
    std::string face_path;
    for (const auto& e : std::filesystem::directory_iterator(fer_dir + "/happy"))
        if (face_path.empty() || e.path().string() < face_path) face_path = e.path().string();
    const auto face = emo::io::read_image(face_path);
    std::mt19937 rng(5);
    const auto background = make_background(320, 240, rng);
    // 3 s at 10 fps: the face drifts right for the first 1.5 s, then the background alone.
    const std::string video = (dir_ / "walk.mp4").string();
    VideoSpec spec;
    spec.width = 320;
    spec.height = 240;
    spec.frames = 30;
    spec.picture = [&](int i) {
        auto picture = background;
        if (i < 15) paste(picture, face, 60 + 2 * i, 50, 120);
        return picture;
    };
    write_video(video, spec);
    const auto r = run_emo(dir_, {"face", "--fps", "2", "--tracks", video});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto out = records(r);
    // Frames at 0, 0.5, ... 2.5 s; the track's summary as it ends, before the first frame 1 s past its last.
    ASSERT_EQ(out.size(), 7u) << r.out;
    for (std::size_t i = 0; i < 3; ++i) {
        ASSERT_EQ(out[i]["faces"].size(), 1u) << out[i];
        EXPECT_EQ(out[i]["faces"][0]["track"], 1);
    }
    for (std::size_t i = 3; i < 5; ++i) EXPECT_TRUE(out[i]["faces"].empty()) << out[i];
    const auto& summary = out[5];
    EXPECT_EQ(summary["file"], video);
    EXPECT_EQ(summary["track"], 1);
    EXPECT_EQ(summary["start"], 0.0);
    EXPECT_EQ(summary["end"], 1.0);
    EXPECT_EQ(summary["frames"], 3);
    // The mean of the three frames' scores, and its top label.
    double total = 0, best = -1;
    std::string top;
    for (const auto& [label, p] : summary["scores"].items()) {
        double mean = 0;
        for (std::size_t i = 0; i < 3; ++i) mean += out[i]["faces"][0]["scores"][label].get<double>() / 3;
        EXPECT_NEAR(p.get<double>(), mean, 2e-4) << label;
        total += p.get<double>();
        if (p.get<double>() > best) best = p.get<double>(), top = label;
    }
    EXPECT_NEAR(total, 1.0, 1e-3);
    EXPECT_EQ(summary["emotion"], top);
    EXPECT_NEAR(out[6]["time"].get<double>(), 2.5, 0.1);
    // Without --tracks the same video has no track ids and no summaries.
    const auto plain = run_emo(dir_, {"face", "--fps", "2", video});
    ASSERT_EQ(plain.code, 0) << plain.err;
    const auto lines = records(plain);
    ASSERT_EQ(lines.size(), 6u);
    EXPECT_FALSE(lines[0]["faces"][0].contains("track"));
}

TEST_F(CliFace, RefusesImagesOverThePixelLimit) {
    const std::string big = blank("big.png", 640, 480);
    const auto r = run_emo(dir_, {"face", big, "--max-pixels", "100000"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("over the limit"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("big.png"), std::string::npos) << r.err;
}

// Issue 15's accuracy bar: the expression model on FER2013 PublicTest's 3,589 crops, at least 0.64.
TEST_F(CliFace, EvalFaceReachesTheFer2013AccuracyBar) {
    if (!std::filesystem::exists(fer_dir)) GTEST_SKIP() << "no " << fer_dir;
    const auto r = run_emo(dir_, {"eval", "face", fer_dir + "/labels.csv", "--no-detect", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    std::printf("FER2013 PublicTest --no-detect: accuracy %.4f, macro-F1 %.4f\n", report["accuracy"].get<double>(),
                report["macro_f1"].get<double>());
    EXPECT_EQ(report["count"], 3589);
    EXPECT_GE(report["accuracy"].get<double>(), 0.64);
}
