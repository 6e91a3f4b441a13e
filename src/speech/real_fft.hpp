// A real-input FFT of one size through FFTW, owning its buffers and plans. Every speech descriptor that needs a
// spectrum goes through it, so that FFTW's planner, which is not thread-safe, is guarded by one lock for the whole
// library (a lock per file would not stop two files planning at once).
#pragma once

#include <fftw3.h>

#include <cmath>
#include <cstddef>
#include <vector>

namespace emo::speech {

class RealFft {
public:
    explicit RealFft(std::size_t size);  // size: even
    RealFft(const RealFft&) = delete;
    RealFft& operator=(const RealFft&) = delete;
    ~RealFft();

    std::size_t size() const { return size_; }
    std::size_t bins() const { return size_ / 2 + 1; }
    float* signal() { return signal_; }              // size() samples
    fftwf_complex* spectrum() { return spectrum_; }  // bins() complex values

    // |spectrum[k]|, in double from the power: std::hypot's care against overflow, which audio's spectra cannot
    // reach, took a tenth of the eGeMAPS pass.
    double magnitude(std::size_t k) const {
        return std::sqrt(double(spectrum_[k][0]) * spectrum_[k][0] + double(spectrum_[k][1]) * spectrum_[k][1]);
    }

    // signal -> spectrum.
    void forward() { fftwf_execute(forward_); }
    // The analysis step of every descriptor: samples[start, start + window.size()) times `window` (samples past the
    // end count as zero), zero-padded to size(), -> spectrum.
    void forward_windowed(const std::vector<float>& samples, std::size_t start, const std::vector<double>& window);
    // spectrum -> signal, unnormalised (FFTW's convention: scaled by size()).
    void backward() { fftwf_execute(backward_); }

private:
    std::size_t size_;
    float* signal_;
    fftwf_complex* spectrum_;
    fftwf_plan forward_, backward_;
};

}  // namespace emo::speech
