#include "vision/expression_model.hpp"

#include "emo/emo.hpp"

#include <algorithm>

namespace emo::vision {

namespace {

// Gray values scaled to [-1, 1], as the model was trained (x / 127.5 - 1).
constexpr float pixel_scale = 1.f / 127.5f, pixel_offset = -1.f;

}  // namespace

ExpressionModel::ExpressionModel(const std::string& directory)
    : graph_(nn::read_tfjs_model(directory + "/model.json")) {
    const std::string where = directory + "/model.json";
    if (graph_.input_names().size() != 1 || graph_.output_names().size() != 1)
        throw Error(where + ": an expression model has one input and one output");
    input_name_ = graph_.input_names().front();
    output_name_ = graph_.output_names().front();
    const std::size_t side = static_cast<std::size_t>(input_size_);
    const auto probe = graph_.run(
        {{input_name_, nn::TfjsTensor::of_floats({1, input_size_, input_size_, 1}, std::vector<float>(side * side))}},
        {output_name_});
    if (probe.front().shape != std::vector<std::int64_t>{1, static_cast<std::int64_t>(labels().size())})
        throw Error(where + ": expected an output of shape [1, 7] for a 64x64 gray input, got " +
                    nn::shape_text(probe.front().shape));
}

const std::vector<std::string>& ExpressionModel::labels() const {
    static const std::vector<std::string> fer{"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"};
    return fer;
}

std::vector<float> ExpressionModel::crop(const io::Image& image, const Rect& region) const {
    return resample(image, region, input_size_, input_size_, Pixels::gray);
}

std::vector<float> ExpressionModel::classify(std::vector<float> crops, std::size_t count,
                                             nn::TfjsRunContext& context) const {
    const std::size_t values = static_cast<std::size_t>(input_size_) * input_size_;
    if (crops.size() != count * values) throw Error("expression model: crops do not match their count");
    if (count == 0) return {};
    for (auto& v : crops) v = v * pixel_scale + pixel_offset;  // scaled in place: the batch is ours
    auto out = graph_.run(
        {{input_name_, nn::TfjsTensor::of_floats({static_cast<std::int64_t>(count), input_size_, input_size_, 1},
                                                 std::move(crops))}},
        {output_name_}, context);
    return std::move(out.front().floats);
}

Rect expression_region(const Rect& face_box, float margin) {
    const float side = std::max(face_box.width, face_box.height) * (1 + 2 * margin);
    const float cx = face_box.x + face_box.width / 2, cy = face_box.y + face_box.height / 2;
    return {cx - side / 2, cy - side / 2, side, side};
}

}  // namespace emo::vision
