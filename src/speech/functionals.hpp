// Statistics over the frames of a recording, as eGeMAPS names them: the "functionals" applied to each low-level
// descriptor (work in progress, issue 6).
#pragma once

#include <vector>

namespace emo::speech {

struct Functionals {
    double amean = 0;        // arithmetic mean
    double stddev = 0;       // population standard deviation
    double stddev_norm = 0;  // stddev over the mean, signed (0 when the mean is 0)
    double percentile20 = 0, percentile50 = 0, percentile80 = 0;  // linear interpolation between order statistics
    double pctlrange = 0;    // percentile80 - percentile20 (eGeMAPS' "pctlrange0-2")
};

// The p-quantile (0 <= p <= 1) of non-empty sorted values, interpolating linearly between order statistics.
double percentile(const std::vector<double>& sorted, double p);

// The functionals of `values`; all 0 for no values.
Functionals functionals(const std::vector<double>& values);

}  // namespace emo::speech
