#include "speech/real_fft.hpp"

#include <algorithm>
#include <mutex>

namespace emo::speech {

namespace {

std::mutex& planner_lock() {
    static std::mutex lock;
    return lock;
}

}  // namespace

RealFft::RealFft(std::size_t size)
    : size_(size), signal_(fftwf_alloc_real(size)), spectrum_(fftwf_alloc_complex(size / 2 + 1)) {
    std::lock_guard lock(planner_lock());
    const int n = static_cast<int>(size);
    forward_ = fftwf_plan_dft_r2c_1d(n, signal_, spectrum_, FFTW_ESTIMATE);
    backward_ = fftwf_plan_dft_c2r_1d(n, spectrum_, signal_, FFTW_ESTIMATE);
}

RealFft::~RealFft() {
    {
        std::lock_guard lock(planner_lock());
        fftwf_destroy_plan(forward_);
        fftwf_destroy_plan(backward_);
    }
    fftwf_free(signal_);
    fftwf_free(spectrum_);
}

void RealFft::forward_windowed(const std::vector<float>& samples, std::size_t start, const std::vector<double>& window) {
    std::fill(signal_, signal_ + size_, 0.0f);
    for (std::size_t i = 0; i < window.size() && start + i < samples.size(); ++i)
        signal_[i] = static_cast<float>(samples[start + i] * window[i]);
    forward();
}

}  // namespace emo::speech
