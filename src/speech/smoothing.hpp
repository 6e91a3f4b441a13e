// eGeMAPS' "_sma3nz" smoothing: each present frame becomes the mean of the present frames among itself and its two
// neighbours; absent frames (unvoiced, or no formant found) stay as they are.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace emo::speech {

inline std::vector<double> smooth3_present(const std::vector<double>& values, const std::vector<bool>& present) {
    std::vector<double> out(values);
    const std::size_t n = values.size();
    for (std::size_t t = 0; t < n; ++t) {
        if (!present[t]) continue;
        double sum = 0;
        int count = 0;
        for (std::size_t u = t == 0 ? 0 : t - 1; u <= std::min(n - 1, t + 1); ++u)
            if (present[u]) sum += values[u], ++count;
        out[t] = sum / count;
    }
    return out;
}

}  // namespace emo::speech
