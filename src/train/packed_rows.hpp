// A training set's feature rows packed twice, by row (for the logits) and by feature (for the gradient), over the
// features that occur. Every pass over it splits the work in a fixed way, so results never depend on the thread count.
#pragma once

#include "core/sparse.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace emo::train {

class PackedRows {
public:
    // `compact`: renumber the features that occur as 0..n-1 (hashed spaces are mostly empty); else keep [0, dim).
    PackedRows(const std::vector<const core::SparseRow*>& rows, std::uint32_t dim, bool compact);

    std::size_t rows() const { return row_start_.size() - 1; }
    std::uint32_t dim() const { return dim_; }
    // The original feature index of each packed one.
    const std::vector<std::uint32_t>& original() const { return original_; }
    // Row i's entries: packed feature indices and their values, entries [row_begin(i), row_begin(i + 1)).
    std::size_t row_begin(std::size_t i) const { return row_start_[i]; }
    std::uint32_t entry_feature(std::size_t e) const { return col_[e]; }
    float entry_value(std::size_t e) const { return row_value_[e]; }

    // Calls f(row, logits) for every row with z[k] = bias[k] + sum_j x[row][j] w[j][k] over `outputs` outputs;
    // f may overwrite z. Rows are handed out in fixed chunks; `chunk` says which (0 .. chunks()-1).
    void for_each_logits(const double* w, const double* bias, std::uint32_t outputs, unsigned threads,
                         const std::function<void(unsigned chunk, std::size_t row, std::vector<double>& z)>& f) const;
    static constexpr unsigned chunks = 32;

    // grad[j][k] = sum_rows x[row][j] r[row][k]: the weights' gradient from per-row residuals r ([rows][outputs]).
    void transpose_times(const std::vector<double>& r, std::uint32_t outputs, unsigned threads, double* grad) const;

private:
    std::uint32_t dim_ = 0;
    std::vector<std::uint32_t> original_;
    std::vector<std::size_t> row_start_, col_start_;
    std::vector<std::uint32_t> col_, row_of_;
    std::vector<float> row_value_, col_value_;
};

// Runs f(0) .. f(count - 1) on up to `threads` threads (each index once; no order promised).
void parallel_for(unsigned count, unsigned threads, const std::function<void(unsigned)>& f);

}  // namespace emo::train
