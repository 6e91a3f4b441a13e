// Row-wise work (quantising, layer norms, activations) shared among OpenMP's threads, for the stages of src/nn that
// run between the matrix products and would otherwise be a serial share of every layer.
#pragma once

#include <omp.h>

#include <cstddef>
#include <cstdint>

namespace emo::nn {

// f(r) for every row r of a rows x cols matrix: in contiguous blocks per thread where there are enough values
// (2^15) to pay for a parallel region, else on the calling thread.
template <class F>
void for_rows(std::size_t rows, std::size_t cols, F&& f) {
    const auto n = static_cast<std::int64_t>(rows);
    if (rows * cols < (std::size_t{1} << 15) || omp_get_max_threads() == 1) {
        for (std::int64_t r = 0; r < n; ++r) f(static_cast<std::size_t>(r));
        return;
    }
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < n; ++r) f(static_cast<std::size_t>(r));
}

}  // namespace emo::nn
