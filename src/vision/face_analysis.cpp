#include "vision/face_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <thread>

namespace emo {

namespace {

// Bands of the expression crop hidden in turn for occlusion evidence, as fractions of its height: FER2013-style
// crops put the brows and eyes in the upper band, the nose in the middle, the mouth and chin below.
struct Band {
    const char* cue;
    float top, bottom;
};
constexpr Band evidence_bands[] = {
    {"region:eyes", 0.12f, 0.48f}, {"region:nose", 0.45f, 0.65f}, {"region:mouth", 0.62f, 0.95f}};

// Sets the rows of `band` in the side x side crop at `crop` to `gray`: that region hidden, the rest unchanged.
void hide(float* crop, int side, const Band& band, float gray) {
    const int top = static_cast<int>(std::lround(band.top * side)),
              bottom = static_cast<int>(std::lround(band.bottom * side));
    std::fill(crop + static_cast<std::ptrdiff_t>(top) * side, crop + static_cast<std::ptrdiff_t>(bottom) * side, gray);
}

}  // namespace

int face_threads(unsigned threads) {
    return static_cast<int>(threads ? threads : std::max(1u, std::thread::hardware_concurrency()));
}

FaceModel::Impl::Impl(const std::string& directory)
    : detector(directory + "/blazeface"), expression(directory + "/emotion") {}

std::vector<Face> FaceModel::Impl::faces(const io::Image& image, const FaceOptions& options,
                                         nn::TfjsRunContext& context) const {
    std::vector<Face> faces;
    std::vector<vision::Rect> regions;
    if (options.detect) {
        vision::DetectorOptions d;
        d.min_score = static_cast<float>(options.min_score);
        d.max_faces = options.max_faces;
        for (auto& found : detector.detect(image, d, context)) {
            Face f;
            f.box = {found.box.x, found.box.y, found.box.width, found.box.height};
            f.score = found.score;
            for (std::size_t k = 0; k < found.landmarks.size(); ++k)
                f.landmarks.push_back({vision::face_landmark_names()[k], found.landmarks[k][0], found.landmarks[k][1]});
            faces.push_back(std::move(f));
            regions.push_back(vision::expression_region(found.box, static_cast<float>(options.margin)));
        }
    } else {
        Face f;
        f.box = {0, 0, static_cast<double>(image.width), static_cast<double>(image.height)};
        faces.push_back(std::move(f));
        regions.push_back({0, 0, static_cast<float>(image.width), static_cast<float>(image.height)});
    }
    if (faces.empty()) return faces;

    // One batch: every face's crop, then (with evidence) its crop with each band hidden.
    const int side = expression.input_size();
    const std::size_t per_face = options.evidence ? 1 + std::size(evidence_bands) : 1;
    const std::size_t values = static_cast<std::size_t>(side) * side;
    std::vector<float> batch;
    batch.reserve(regions.size() * per_face * values);
    for (const auto& region : regions) {
        const auto crop = expression.crop(image, region);
        batch.insert(batch.end(), crop.begin(), crop.end());
        if (!options.evidence) continue;
        // Each band hidden behind the crop's mean gray, in a copy of its own.
        const float mean = std::accumulate(crop.begin(), crop.end(), 0.f) / static_cast<float>(crop.size());
        for (const auto& band : evidence_bands) {
            batch.insert(batch.end(), crop.begin(), crop.end());
            hide(batch.data() + batch.size() - values, side, band, mean);
        }
    }
    const auto probs = expression.classify(std::move(batch), faces.size() * per_face, context);
    const auto& labels = expression.labels();
    for (std::size_t f = 0; f < faces.size(); ++f) {
        const float* p = &probs[f * per_face * labels.size()];
        const std::size_t top = static_cast<std::size_t>(std::max_element(p, p + labels.size()) - p);
        faces[f].emotion = labels[top];
        for (std::size_t k = 0; k < labels.size(); ++k) faces[f].scores[labels[k]] = p[k];
        if (!options.evidence) continue;
        for (std::size_t b = 0; b < std::size(evidence_bands); ++b) {
            const float hidden = probs[(f * per_face + 1 + b) * labels.size() + top];
            const double weight = std::log(std::max(p[top], 1e-12f)) - std::log(std::max(hidden, 1e-12f));
            faces[f].evidence.push_back({evidence_bands[b].cue, weight, ""});
        }
        std::stable_sort(faces[f].evidence.begin(), faces[f].evidence.end(),
                         [](const EvidenceItem& a, const EvidenceItem& b) { return a.weight > b.weight; });
    }
    return faces;
}

}  // namespace emo
