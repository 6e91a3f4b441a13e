// Progress lines of long training runs on stderr: "[  12.3s] what happened".
#pragma once

#include <chrono>
#include <cstdio>

namespace emo::train {

using Clock = std::chrono::steady_clock;

inline void progress(bool verbose, Clock::time_point start, const char* fmt, auto... args) {
    if (!verbose) return;
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::fprintf(stderr, "[%6.1fs] ", s);
    std::fprintf(stderr, fmt, args...);
    std::fputc('\n', stderr);
}

}  // namespace emo::train
