// Faces followed through a video's sampled frames (FaceOptions::tracks): each frame's faces linked to the open tracks
// by the overlap of their boxes, greedily, best overlap first; a track that goes unseen for longer than the gap ends
// and is summarised (its time span, mean detection score, mean expression scores). Memory holds the open tracks only.
#pragma once

#include <emo/faces.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace emo::vision {

class FaceTracker {
public:
    // `gap`: seconds a track may go unseen and still continue.
    FaceTracker(std::string file, double gap);

    // Sets the track of each of frame's faces (a new track for a face that overlaps none: intersection over union
    // under 0.3 with every open track's last box) and returns the tracks that ended before the frame, in id order.
    // Frames come in time order; one without a time counts as 0.
    std::vector<FaceTrack> add(FaceResult& frame);
    // Ends every open track: their summaries, in id order.
    std::vector<FaceTrack> finish();

private:
    struct Open {
        FaceTrack summary;     // id, file, start, end, frames, box so far
        double score_sum = 0;  // of detection probabilities
        std::map<std::string, double> score_sums;
    };
    static FaceTrack summarise(Open&& open);

    std::string file_;
    double gap_;
    int next_id_ = 1;
    std::vector<Open> open_;  // in id order
};

}  // namespace emo::vision
