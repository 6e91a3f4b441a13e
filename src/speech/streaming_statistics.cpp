#include "speech/streaming_statistics.hpp"

#include <algorithm>
#include <cmath>

namespace emo::speech {

StreamingStatistics::StreamingStatistics(double lowest, double highest)
    : lowest_(lowest),
      // A range of one value still needs bins of some width.
      width_(std::max(highest - lowest, 1e-9) / histogram_bins),
      bins_(histogram_bins, 0) {}

std::size_t StreamingStatistics::bin_of(double value) const {
    const double position = std::floor((value - lowest_) / width_);
    return static_cast<std::size_t>(std::clamp(position, 0.0, static_cast<double>(histogram_bins - 1)));
}

void StreamingStatistics::add(double value) {
    // The moment update for one more value (Welford's, extended to the third and fourth moments by Pebay's
    // formulas), highest moment first because each uses the lower ones before they change.
    const double n_before = static_cast<double>(count_);
    const double n = n_before + 1;
    const double delta = value - mean_;
    const double delta_n = delta / n;
    const double delta_n2 = delta_n * delta_n;
    const double term = delta * delta_n * n_before;
    mean_ += delta_n;
    m4_ += term * delta_n2 * (n * n - 3 * n + 3) + 6 * delta_n2 * m2_ - 4 * delta_n * m3_;
    m3_ += term * delta_n * (n - 2) - 3 * delta_n * m2_;
    m2_ += term;
    min_ = count_ == 0 ? value : std::min(min_, value);
    max_ = count_ == 0 ? value : std::max(max_, value);
    ++count_;
    ++bins_[bin_of(value)];
}

double StreamingStatistics::order_statistic(std::size_t rank) const {
    std::size_t below = 0;
    for (std::size_t b = 0; b < histogram_bins; ++b) {
        const std::size_t here = bins_[b];
        if (rank >= below + here) {
            below += here;
            continue;
        }
        const std::size_t within = rank - below;
        if (b == bin_of(min_) && within == 0) return min_;
        if (b == bin_of(max_) && within + 1 == here) return max_;
        const double from = std::max(lowest_ + static_cast<double>(b) * width_, min_);
        const double to = std::min(lowest_ + static_cast<double>(b + 1) * width_, max_);
        return from + (to - from) * (static_cast<double>(within) + 0.5) / static_cast<double>(here);
    }
    return max_;
}

void StreamingStatistics::append_to(std::vector<double>& out) const {
    if (count_ == 0) {
        out.insert(out.end(), 7, 0.0);
        return;
    }
    const double n = static_cast<double>(count_);
    const double m2 = m2_ / n, m3 = m3_ / n, m4 = m4_ / n;
    const auto percentile = [&](double p) {
        const double position = p * (n - 1);
        const auto below = static_cast<std::size_t>(std::floor(position));
        const std::size_t above = std::min(below + 1, count_ - 1);
        const double lower = order_statistic(below);
        return lower + (position - static_cast<double>(below)) * (order_statistic(above) - lower);
    };
    out.push_back(mean_);
    out.push_back(std::sqrt(m2));
    out.push_back(percentile(0.1));
    out.push_back(percentile(0.5));
    out.push_back(percentile(0.9));
    out.push_back(m2 > 1e-12 ? m3 / std::pow(m2, 1.5) : 0.0);
    out.push_back(m2 > 1e-12 ? m4 / (m2 * m2) - 3 : 0.0);
}

}  // namespace emo::speech
