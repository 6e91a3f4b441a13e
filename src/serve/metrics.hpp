// The counters behind `GET /metrics`, in Prometheus' text exposition format: requests and errors per route and
// status, latency histograms per route, the work queue, and which models are loaded.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace emo::serve {

class Metrics {
public:
    // `routes`: the paths counted by name; any other path counts as "other" (so clients cannot grow the table).
    explicit Metrics(std::vector<std::string> routes);

    // One finished request.
    void record(const std::string& path, int status, double seconds);
    // The exposition text; `gauges` adds lines computed at scrape time (queue length, models loaded).
    std::string exposition(const std::vector<std::string>& gauge_lines) const;

    // Latency histogram bucket bounds, seconds.
    static constexpr std::array<double, 12> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                       0.1,   0.25,   0.5,   1,    2.5,   10};

private:
    struct Route {
        std::map<int, std::uint64_t> by_status;
        std::array<std::uint64_t, buckets.size()> in_bucket{};  // not cumulative; summed when written
        std::uint64_t count = 0;
        double seconds = 0;
    };
    const std::string& route_of(const std::string& path) const;

    std::vector<std::string> routes_;
    mutable std::mutex mutex_;
    std::map<std::string, Route> table_;
};

}  // namespace emo::serve
