// Face detection (src/vision/face_detector): overlap and suppression, and the sanity bar of issue 15 on scenes made
// from FER2013 faces pasted onto generated backgrounds (tests/face_scenes.hpp).
#include "face_scenes.hpp"
#include "io/labelled_files.hpp"
#include "vision/face_detector.hpp"

#include <emo/faces.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace {

using emo::vision::Rect;

TEST(FaceDetection, IntersectionOverUnion) {
    EXPECT_FLOAT_EQ(emo::vision::iou({0, 0, 10, 10}, {0, 0, 10, 10}), 1.f);
    EXPECT_FLOAT_EQ(emo::vision::iou({0, 0, 10, 10}, {5, 0, 10, 10}), 50.f / 150.f);
    EXPECT_FLOAT_EQ(emo::vision::iou({0, 0, 10, 10}, {20, 20, 5, 5}), 0.f);
    EXPECT_FLOAT_EQ(emo::vision::iou({0, 0, 0, 0}, {0, 0, 0, 0}), 0.f);
}

TEST(FaceDetection, SuppressionKeepsTheStrongestOfEachCluster) {
    const std::vector<Rect> boxes{{0, 0, 10, 10}, {1, 1, 10, 10}, {50, 50, 10, 10}, {51, 50, 10, 10}, {100, 0, 5, 5}};
    const std::vector<float> scores{0.6f, 0.9f, 0.8f, 0.7f, 0.55f};
    EXPECT_EQ(emo::vision::non_max_suppression(boxes, scores, 0.3f, 10), (std::vector<std::size_t>{1, 2, 4}));
    EXPECT_EQ(emo::vision::non_max_suppression(boxes, scores, 0.3f, 2), (std::vector<std::size_t>{1, 2}));
    // Overlap below the limit keeps both.
    EXPECT_EQ(emo::vision::non_max_suppression(boxes, scores, 0.95f, 10).size(), 5u);
}

Rect to_rect(const emo::FaceBox& b) {
    return {static_cast<float>(b.x), static_cast<float>(b.y), static_cast<float>(b.width),
            static_cast<float>(b.height)};
}

// Where the detector puts `face`'s box when the face is framed alone (a 160-pixel square in the middle of a 320-pixel
// gray canvas), as fractions of the face image's side; nothing when it finds no face there.
std::optional<Rect> framed_alone(const emo::FaceModel& model, const emo::io::Image& face) {
    constexpr int canvas = 320, side = 160, at = (canvas - side) / 2;
    emo::io::Image image{canvas, canvas, std::vector<std::uint8_t>(canvas * canvas * 3, 128)};
    emo_test::paste(image, face, at, at, side);
    const auto result = model.analyze_rgb(image.rgb.data(), canvas, canvas, "framed alone");
    if (result.faces.empty()) return std::nullopt;
    const auto b = to_rect(result.faces.front().box);
    return Rect{(b.x - at) / side, (b.y - at) / side, b.width / side, b.height / side};
}

// Issue 15's detection bar: at least 95% of pasted faces found with IoU >= 0.5. FER2013's crops frame their faces
// loosely and unevenly (the face's box is 0.5 to 1.2 times the crop's side: close-ups, or hair and shoulders in
// view), so the pasted square itself is no face box. Each face's true box is where the detector puts it when the
// face is framed alone on a plain canvas (a face it cannot find there counts as missed), carried to the place and
// size where the scene pastes it. The scenes thus check finding faces at any place, size and aspect ratio, on
// backgrounds of colour fields, noise and rectangles, with boxes mapped back to the scene's pixels.
TEST(FaceDetection, FindsFerFacesPastedOntoBackgrounds) {
    const std::string data = EMO_SOURCE_DIR "/../shared/data/fer2013_publictest/labels.csv";
    if (!std::filesystem::exists(data)) GTEST_SKIP() << "no " << data;
    const auto files = emo::io::read_labelled_files(data, false, "images");
    const auto model = emo::FaceModel::load(EMO_SOURCE_DIR "/models/faces");
    constexpr std::size_t scenes = 200;
    std::mt19937 rng(15);
    const std::pair<int, int> sizes[] = {{640, 480}, {480, 640}, {800, 600}, {1024, 576}, {512, 512}};
    const char* keep = std::getenv("EMO_FACE_SCENES_DIR");  // where to write the scenes as PNG, for a look
    std::size_t found = 0, alone = 0;
    double iou_sum = 0;
    for (std::size_t i = 0; i < scenes; ++i) {
        const auto face = emo::io::read_image(files[i * files.size() / scenes].path);
        const auto [width, height] = sizes[i % std::size(sizes)];
        const int side = std::uniform_int_distribution<int>(std::min(width, height) * 15 / 100,
                                                            std::min(width, height) * 45 / 100)(rng);
        const auto scene = emo_test::make_scene(face, width, height, side, rng);
        const auto place = framed_alone(model, face);
        alone += place.has_value();
        const auto result = model.analyze_rgb(scene.image.rgb.data(), width, height, "scene " + std::to_string(i));
        ASSERT_EQ(result.error, "");
        float best = 0;
        if (place) {
            const Rect truth{scene.face.x + place->x * side, scene.face.y + place->y * side, place->width * side,
                             place->height * side};
            for (const auto& f : result.faces) best = std::max(best, emo::vision::iou(truth, to_rect(f.box)));
        }
        found += best >= 0.5f;
        iou_sum += best;
        if (keep) {
            emo::io::write_png(std::string(keep) + "/scene" + std::to_string(i) + ".png", scene.image);
            std::printf("scene %zu: %dx%d face %d px at %.0f,%.0f: %zu faces, best IoU %.3f\n", i, width, height, side,
                        scene.face.x, scene.face.y, result.faces.size(), best);
        }
    }
    const double rate = static_cast<double>(found) / scenes;
    std::printf(
        "faces found alone: %zu of %zu; pasted faces found with IoU >= 0.5: %zu of %zu (%.3f), mean best IoU "
        "%.3f\n",
        alone, scenes, found, scenes, rate, iou_sum / scenes);
    EXPECT_GE(rate, 0.95);
}

}  // namespace
