// vision/face_tracks: faces linked across a video's sampled frames by the overlap of their boxes, and the summaries.
#include "vision/face_tracks.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using emo::Face;
using emo::FaceResult;
using emo::FaceTrack;
using emo::vision::FaceTracker;

Face face(double x, double y, double side, const std::string& emotion, double happy) {
    Face f;
    f.box = {x, y, side, side};
    f.score = 0.8;
    f.emotion = emotion;
    f.scores = {{"happy", happy}, {"neutral", 1 - happy}};
    return f;
}

FaceResult frame(double time, std::vector<Face> faces) {
    FaceResult r;
    r.file = "clip.mp4";
    r.time = time;
    r.faces = std::move(faces);
    return r;
}

TEST(FaceTracks, OverlappingBoxesKeepTheirTrackAndTheSummaryAveragesThem) {
    FaceTracker tracker("clip.mp4", 1.0);
    std::vector<FaceResult> frames = {frame(0.0, {face(10, 10, 50, "happy", 0.9)}),
                                      frame(0.5, {face(14, 12, 50, "happy", 0.7)}),
                                      frame(1.0, {face(18, 12, 52, "neutral", 0.2)})};
    for (auto& f : frames) EXPECT_TRUE(tracker.add(f).empty());
    for (const auto& f : frames) {
        ASSERT_TRUE(f.faces[0].track.has_value());
        EXPECT_EQ(*f.faces[0].track, 1);
    }
    const auto tracks = tracker.finish();
    ASSERT_EQ(tracks.size(), 1u);
    const FaceTrack& t = tracks[0];
    EXPECT_EQ(t.file, "clip.mp4");
    EXPECT_EQ(t.track, 1);
    EXPECT_DOUBLE_EQ(t.start, 0.0);
    EXPECT_DOUBLE_EQ(t.end, 1.0);
    EXPECT_EQ(t.frames, 3u);
    EXPECT_DOUBLE_EQ(t.box.x, 18);  // the last frame's
    EXPECT_NEAR(t.score, 0.8, 1e-12);
    EXPECT_NEAR(t.scores.at("happy"), 0.6, 1e-12);
    EXPECT_EQ(t.emotion, "happy");  // the mean's top label, though the last frame said neutral
    EXPECT_EQ(t.frame_emotions.at("happy"), 2u);
    EXPECT_EQ(t.frame_emotions.at("neutral"), 1u);
    EXPECT_TRUE(tracker.finish().empty());
}

TEST(FaceTracks, TwoFacesTwoTracksAndTheBestOverlapWins) {
    FaceTracker tracker("clip.mp4", 1.0);
    auto a = frame(0.0, {face(0, 0, 40, "happy", 0.9), face(100, 0, 40, "neutral", 0.1)});
    tracker.add(a);
    EXPECT_EQ(*a.faces[0].track, 1);
    EXPECT_EQ(*a.faces[1].track, 2);
    // Listed the other way round and moved a little: each keeps its own track.
    auto b = frame(0.5, {face(104, 2, 40, "neutral", 0.1), face(3, 1, 40, "happy", 0.9)});
    tracker.add(b);
    EXPECT_EQ(*b.faces[0].track, 2);
    EXPECT_EQ(*b.faces[1].track, 1);
    EXPECT_EQ(tracker.finish().size(), 2u);
}

TEST(FaceTracks, ATrackUnseenForLongerThanTheGapEndsAndANewOneStarts) {
    FaceTracker tracker("clip.mp4", 1.0);
    auto a = frame(0.0, {face(0, 0, 40, "happy", 0.9)});
    auto gap = frame(0.5, {});
    auto b = frame(1.0, {face(0, 0, 40, "happy", 0.9)});    // 1 s unseen: within the gap, the same track
    auto far = frame(2.5, {face(0, 0, 40, "happy", 0.9)});  // 1.5 s: a new one, and the first ends before it
    EXPECT_TRUE(tracker.add(a).empty());
    EXPECT_TRUE(tracker.add(gap).empty());
    EXPECT_TRUE(tracker.add(b).empty());
    EXPECT_EQ(*b.faces[0].track, 1);
    const auto ended = tracker.add(far);
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended[0].track, 1);
    EXPECT_EQ(ended[0].frames, 2u);
    EXPECT_DOUBLE_EQ(ended[0].end, 1.0);
    EXPECT_EQ(*far.faces[0].track, 2);
}

TEST(FaceTracks, ABoxThatMovesTooFarStartsANewTrack) {
    FaceTracker tracker("clip.mp4", 1.0);
    auto a = frame(0.0, {face(0, 0, 40, "happy", 0.9)});
    auto b = frame(0.5, {face(30, 0, 40, "happy", 0.9)});  // IoU 10/70 of the width: under 0.3
    tracker.add(a);
    tracker.add(b);
    EXPECT_EQ(*b.faces[0].track, 2);
    EXPECT_EQ(tracker.finish().size(), 2u);
}

}  // namespace
