// The work FaceModel does on one decoded image: detection (or the whole image as one crop), expression crops, the
// expression model, and occlusion evidence. Shared by the image and video paths.
#pragma once

#include "emo/faces.hpp"
#include "vision/expression_model.hpp"
#include "vision/face_detector.hpp"

namespace emo {

// A thread count as FaceOptions::threads gives it, with 0 read as every core.
int face_threads(unsigned threads);

struct FaceModel::Impl {
    explicit Impl(const std::string& directory);

    // The faces of `image` with their expressions, strongest detection first.
    std::vector<Face> faces(const io::Image& image, const FaceOptions& options, nn::TfjsRunContext& context) const;

    vision::FaceDetector detector;
    vision::ExpressionModel expression;
};

}  // namespace emo
