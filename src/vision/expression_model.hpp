// Facial expression with the FER2013 mini-Xception of models/faces/emotion (oarriaga/face_classification, converted
// to TF.js): 64x64 gray crops in, probabilities of FER2013's seven classes out.
#pragma once

#include "io/image.hpp"
#include "nn/tfjs_executor.hpp"
#include "vision/image_ops.hpp"

#include <string>
#include <vector>

namespace emo::vision {

class ExpressionModel {
public:
    // Loads `directory`/model.json and checks its input ([-1, side, side, 1]) and output ([-1, 7]); emo::Error naming
    // the file otherwise.
    explicit ExpressionModel(const std::string& directory);

    // FER2013's classes in the model's output order: angry, disgust, fear, happy, sad, surprise, neutral.
    const std::vector<std::string>& labels() const;
    int input_size() const { return input_size_; }

    // The model's input for `region` of `image`: input_size x input_size gray values 0..255.
    std::vector<float> crop(const io::Image& image, const Rect& region) const;

    // Class probabilities of `count` crops laid end to end in `crops` (each from crop()), one row of labels().size()
    // per crop. The context holds the executor's memory between calls (one per thread).
    std::vector<float> classify(std::vector<float> crops, std::size_t count, nn::TfjsRunContext& context) const;

private:
    nn::TfjsGraph graph_;
    std::string input_name_, output_name_;
    int input_size_ = 64;
};

// The region to crop around a detected face box for the expression model: a square on the box's centre, `margin`
// times its larger side wider on every side, so that the crop frames the face as FER2013's crops do.
Rect expression_region(const Rect& face_box, float margin);

}  // namespace emo::vision
