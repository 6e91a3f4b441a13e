#include "train/packed_rows.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace emo::train {

void parallel_for(unsigned count, unsigned threads, const std::function<void(unsigned)>& f) {
    const unsigned workers = std::max(1u, std::min(threads, count));
    if (workers == 1) {
        for (unsigned i = 0; i < count; ++i) f(i);
        return;
    }
    std::atomic<unsigned> next{0};
    std::exception_ptr failure;
    std::mutex failure_lock;
    auto work = [&] {
        for (unsigned i; (i = next++) < count;) {
            try {
                f(i);
            } catch (...) {
                std::lock_guard lock(failure_lock);
                failure = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

PackedRows::PackedRows(const std::vector<const core::SparseRow*>& rows, std::uint32_t dim, bool compact) {
    std::vector<std::uint32_t> packed_of(dim, UINT32_MAX);
    if (compact) {
        for (const auto* row : rows)
            for (const auto& f : *row)
                if (f.index < dim && packed_of[f.index] == UINT32_MAX) {
                    packed_of[f.index] = 0;
                    original_.push_back(f.index);
                }
        std::sort(original_.begin(), original_.end());
        for (std::uint32_t j = 0; j < original_.size(); ++j) packed_of[original_[j]] = j;
    } else {
        original_.resize(dim);
        for (std::uint32_t j = 0; j < dim; ++j) packed_of[j] = original_[j] = j;
    }
    dim_ = static_cast<std::uint32_t>(original_.size());

    row_start_.assign(1, 0);
    std::vector<std::size_t> count(dim_ + 1, 0);
    for (const auto* row : rows) {
        for (const auto& f : *row) {
            if (f.index >= dim) continue;
            col_.push_back(packed_of[f.index]);
            row_value_.push_back(f.value);
            ++count[packed_of[f.index] + 1];
        }
        row_start_.push_back(col_.size());
    }
    // By feature: rows in ascending order within each feature, so every gradient sum has one fixed order.
    col_start_.assign(dim_ + 1, 0);
    for (std::uint32_t j = 0; j < dim_; ++j) col_start_[j + 1] = col_start_[j] + count[j + 1];
    std::vector<std::size_t> fill(col_start_.begin(), col_start_.end() - 1);
    row_of_.resize(col_.size());
    col_value_.resize(col_.size());
    for (std::size_t r = 0; r + 1 < row_start_.size(); ++r)
        for (std::size_t p = row_start_[r]; p < row_start_[r + 1]; ++p) {
            const std::size_t q = fill[col_[p]]++;
            row_of_[q] = static_cast<std::uint32_t>(r);
            col_value_[q] = row_value_[p];
        }
}

void PackedRows::for_each_logits(const double* w, const double* bias, std::uint32_t outputs, unsigned threads,
                                 const std::function<void(unsigned, std::size_t, std::vector<double>&)>& f) const {
    const std::size_t n = rows();
    parallel_for(chunks, threads, [&](unsigned c) {
        std::vector<double> z(outputs);
        for (std::size_t r = n * c / chunks; r < n * (c + 1) / chunks; ++r) {
            std::copy(bias, bias + outputs, z.begin());
            for (std::size_t p = row_start_[r]; p < row_start_[r + 1]; ++p) {
                const double* wj = w + std::size_t(col_[p]) * outputs;
                const double v = row_value_[p];
                for (std::uint32_t k = 0; k < outputs; ++k) z[k] += wj[k] * v;
            }
            f(c, r, z);
        }
    });
}

void PackedRows::transpose_times(const std::vector<double>& r, std::uint32_t outputs, unsigned threads,
                                 double* grad) const {
    // Features in fixed blocks; each feature's sum runs over its rows in order, so threads change nothing.
    constexpr unsigned blocks = 64;
    parallel_for(blocks, threads, [&](unsigned b) {
        const std::uint32_t begin = static_cast<std::uint32_t>(std::uint64_t(dim_) * b / blocks);
        const std::uint32_t end = static_cast<std::uint32_t>(std::uint64_t(dim_) * (b + 1) / blocks);
        for (std::uint32_t j = begin; j < end; ++j) {
            double* g = grad + std::size_t(j) * outputs;
            std::fill(g, g + outputs, 0.0);
            for (std::size_t p = col_start_[j]; p < col_start_[j + 1]; ++p) {
                const double* rr = r.data() + std::size_t(row_of_[p]) * outputs;
                const double v = col_value_[p];
                for (std::uint32_t k = 0; k < outputs; ++k) g[k] += rr[k] * v;
            }
        }
    });
}

}  // namespace emo::train
