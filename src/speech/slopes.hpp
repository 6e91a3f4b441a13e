// eGeMAPS' rising and falling slopes of a contour (F0, loudness) and its peaks (loudnessPeaksPerSec). Eyben et al.
// (2016) define the slopes as the mean and standard deviation of the slopes of the rising parts (a local minimum to
// the following local maximum) and the falling parts (a maximum to the following minimum), in units per second.
// Plain local extrema are far too many on a frame-level contour (docs/speech.md), so an extremum only counts once
// the contour has moved away from it by at least a hysteresis: the turning points of "peak detection with
// hysteresis". A relative hysteresis of 10% of the contour's range gives openSMILE's loudness peak counts on its
// own frame-level output (docs/speech.md).
#pragma once

#include <cstddef>
#include <vector>

namespace emo::speech {

struct TurningPoint {
    std::size_t frame = 0;
    double value = 0;
    bool peak = false;  // a maximum; otherwise a minimum
};

struct Slopes {
    double mean_rising = 0, stddev_rising = 0;    // units per second, positive; 0 without a rising part
    double mean_falling = 0, stddev_falling = 0;  // magnitudes (positive), units per second
    std::size_t peaks = 0;                        // confirmed maxima
};

// The alternating minima and maxima of `values`: each is the extreme value reached before the contour moves at least
// `hysteresis` back from it (a maximum or minimum still unconfirmed at the end is left out). hysteresis >= 0.
std::vector<TurningPoint> turning_points(const std::vector<double>& values, double hysteresis);

// Mean and population standard deviation of the slopes between consecutive turning points of `values`, sampled at
// `frames_per_second`, and the number of peaks.
Slopes rising_falling_slopes(const std::vector<double>& values, double hysteresis, double frames_per_second);

// The same with the hysteresis a fraction of the range (maximum - minimum) of `values`.
Slopes rising_falling_slopes_relative(const std::vector<double>& values, double fraction_of_range,
                                      double frames_per_second);

}  // namespace emo::speech
