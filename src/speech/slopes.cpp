#include "speech/slopes.hpp"

#include <algorithm>
#include <cmath>

namespace emo::speech {

std::vector<TurningPoint> turning_points(const std::vector<double>& values, double hysteresis) {
    std::vector<TurningPoint> points;
    if (values.empty()) return points;
    enum class State { unknown, rising, falling } state = State::unknown;
    std::size_t high_at = 0, low_at = 0;  // the extremes since the last turning point
    for (std::size_t t = 1; t < values.size(); ++t) {
        const double v = values[t];
        if (v > values[high_at]) high_at = t;
        if (v < values[low_at]) low_at = t;
        if (state != State::falling && v < values[high_at] - hysteresis) {
            points.push_back({high_at, values[high_at], true});
            state = State::falling;
            low_at = t;
        } else if (state != State::rising && v > values[low_at] + hysteresis) {
            points.push_back({low_at, values[low_at], false});
            state = State::rising;
            high_at = t;
        }
    }
    return points;
}

Slopes rising_falling_slopes(const std::vector<double>& values, double hysteresis, double frames_per_second) {
    const auto points = turning_points(values, hysteresis);
    std::vector<double> rising, falling;
    Slopes s;
    for (std::size_t i = 0; i < points.size(); ++i) {
        s.peaks += points[i].peak;
        if (i == 0) continue;
        const auto& a = points[i - 1];
        const auto& b = points[i];
        const double seconds = static_cast<double>(b.frame - a.frame) / frames_per_second;
        (b.peak ? rising : falling).push_back(std::fabs(b.value - a.value) / seconds);
    }
    auto mean_and_deviation = [](const std::vector<double>& v, double& mean, double& deviation) {
        if (v.empty()) return;
        for (double x : v) mean += x / static_cast<double>(v.size());
        double variance = 0;
        for (double x : v) variance += (x - mean) * (x - mean) / static_cast<double>(v.size());
        deviation = std::sqrt(variance);
    };
    mean_and_deviation(rising, s.mean_rising, s.stddev_rising);
    mean_and_deviation(falling, s.mean_falling, s.stddev_falling);
    return s;
}

Slopes rising_falling_slopes_relative(const std::vector<double>& values, double fraction_of_range,
                                      double frames_per_second) {
    if (values.empty()) return {};
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    return rising_falling_slopes(values, fraction_of_range * (*high - *low), frames_per_second);
}

}  // namespace emo::speech
