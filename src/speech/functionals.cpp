#include "speech/functionals.hpp"

#include <algorithm>
#include <cmath>

namespace emo::speech {

double percentile(const std::vector<double>& sorted, double p) {
    const double position = p * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

Functionals functionals(const std::vector<double>& values) {
    Functionals f;
    if (values.empty()) return f;
    const double n = static_cast<double>(values.size());
    for (double v : values) f.amean += v / n;
    double variance = 0;
    for (double v : values) variance += (v - f.amean) * (v - f.amean) / n;
    f.stddev = std::sqrt(variance);
    f.stddev_norm = f.amean != 0 ? f.stddev / f.amean : 0.0;  // signed, as openSMILE reports it
    std::vector<double> sorted(values);
    std::sort(sorted.begin(), sorted.end());
    f.percentile20 = percentile(sorted, 0.2);
    f.percentile50 = percentile(sorted, 0.5);
    f.percentile80 = percentile(sorted, 0.8);
    f.pctlrange = f.percentile80 - f.percentile20;
    return f;
}

}  // namespace emo::speech
