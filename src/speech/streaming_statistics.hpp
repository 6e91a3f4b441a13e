// The seven statistics of the speech emotion features (mean, standard deviation, percentiles 10 / 50 / 90, skewness,
// excess kurtosis) of values that arrive one at a time, in fixed memory: for recordings too long to hold every
// frame's values (speech/emotion_feature_stream).
//   - The moments are updated value by value about the running mean (Welford's update carried to the fourth
//     moment), which stays accurate however many values arrive and wherever they lie; plain power sums would lose
//     the spread of log energies far from 0 to cancellation.
//   - The percentiles come from a histogram of `histogram_bins` equal bins over a range given in advance, read as
//     though the values of a bin were spread evenly over it (the smallest and the largest value are kept exactly).
//     Over the range of a recording's frames, a bin is about 1e-3 of a log energy wide (docs/speech.md gives the
//     measured differences from sorting every value).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace emo::speech {

class StreamingStatistics {
public:
    static constexpr std::size_t histogram_bins = 32768;

    // Values are expected in [lowest, highest]; any outside count in the end bins (their percentiles then coarser).
    StreamingStatistics(double lowest, double highest);

    void add(double value);
    std::size_t count() const { return count_; }
    // Appends mean, std, p10, p50, p90, skewness, excess kurtosis, as the features of a recording analysed at once
    // define them (population moments; percentiles interpolated between order statistics); seven 0s for no values.
    void append_to(std::vector<double>& out) const;

private:
    double order_statistic(std::size_t rank) const;  // the estimated rank-th smallest value (0-based)
    std::size_t bin_of(double value) const;

    double lowest_, width_;
    std::vector<std::uint32_t> bins_;
    std::size_t count_ = 0;
    double mean_ = 0, m2_ = 0, m3_ = 0, m4_ = 0;  // sums of the 2nd to 4th powers of the deviations from the mean
    double min_ = 0, max_ = 0;
};

}  // namespace emo::speech
