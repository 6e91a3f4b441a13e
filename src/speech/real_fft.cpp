#include "speech/real_fft.hpp"

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

}  // namespace emo::speech
