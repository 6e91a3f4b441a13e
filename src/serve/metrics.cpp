#include "serve/metrics.hpp"

#include <algorithm>
#include <cstdio>

namespace emo::serve {

namespace {

const std::string other_route = "other";

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", value);
    return buffer;
}

}  // namespace

Metrics::Metrics(std::vector<std::string> routes) : routes_(std::move(routes)) {
    for (const auto& r : routes_) table_[r];
    table_[other_route];
}

const std::string& Metrics::route_of(const std::string& path) const {
    const auto it = std::find(routes_.begin(), routes_.end(), path);
    return it == routes_.end() ? other_route : *it;
}

void Metrics::record(const std::string& path, int status, double seconds) {
    const std::size_t bucket =
        static_cast<std::size_t>(std::lower_bound(buckets.begin(), buckets.end(), seconds) - buckets.begin());
    std::lock_guard lock(mutex_);
    Route& route = table_[route_of(path)];
    ++route.by_status[status];
    if (bucket < buckets.size()) ++route.in_bucket[bucket];
    ++route.count;
    route.seconds += seconds;
}

std::string Metrics::exposition(const std::vector<std::string>& gauge_lines) const {
    std::string out;
    out += "# HELP emo_http_requests_total HTTP requests answered, by route and status code.\n";
    out += "# TYPE emo_http_requests_total counter\n";
    std::lock_guard lock(mutex_);
    for (const auto& [name, route] : table_)
        for (const auto& [status, n] : route.by_status)
            out += "emo_http_requests_total{route=\"" + name + "\",code=\"" + std::to_string(status) + "\"} " +
                   std::to_string(n) + "\n";
    out += "# HELP emo_http_errors_total HTTP requests answered with a status of 400 or more, by route.\n";
    out += "# TYPE emo_http_errors_total counter\n";
    for (const auto& [name, route] : table_) {
        std::uint64_t errors = 0;
        for (const auto& [status, n] : route.by_status) errors += status >= 400 ? n : 0;
        out += "emo_http_errors_total{route=\"" + name + "\"} " + std::to_string(errors) + "\n";
    }
    out += "# HELP emo_http_request_duration_seconds Time from a request's routing to its response, by route.\n";
    out += "# TYPE emo_http_request_duration_seconds histogram\n";
    for (const auto& [name, route] : table_) {
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < buckets.size(); ++b) {
            cumulative += route.in_bucket[b];
            out += "emo_http_request_duration_seconds_bucket{route=\"" + name + "\",le=\"" + number(buckets[b]) +
                   "\"} " + std::to_string(cumulative) + "\n";
        }
        out += "emo_http_request_duration_seconds_bucket{route=\"" + name + "\",le=\"+Inf\"} " +
               std::to_string(route.count) + "\n";
        out += "emo_http_request_duration_seconds_sum{route=\"" + name + "\"} " + number(route.seconds) + "\n";
        out += "emo_http_request_duration_seconds_count{route=\"" + name + "\"} " + std::to_string(route.count) + "\n";
    }
    for (const auto& line : gauge_lines) out += line + "\n";
    return out;
}

}  // namespace emo::serve
