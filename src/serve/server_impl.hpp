// What the server's parts share: the httplib server, the work queue, the metrics, and the way routes answer.
#pragma once

#include "serve/metrics.hpp"
#include "serve/server.hpp"
#include "serve/work_queue.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <stdexcept>
#include <string>

namespace emo::serve {

// A request the server refuses, with the HTTP status to answer (4xx, 503).
class HttpError : public std::runtime_error {
public:
    HttpError(int status, const std::string& message) : std::runtime_error(message), status(status) {}
    int status;
};

// `{"error": {"status": ..., "message": ...}}`, the body of every error answer.
std::string error_body(int status, const std::string& message);

struct Server::Impl {
    Impl(const ServeModels& models, ServerOptions options);

    // Runs `job` on an analysis worker and answers 200 with the JSON it returns; a full queue answers 503 with
    // Retry-After, a job past the processing timeout 504, and the job's Error 400 (its message names the input).
    void answer(httplib::Response& response, std::function<std::string()> job);
    // Throws the 503 answer when the queue is already full, before a request's body is parsed: under a flood,
    // refusals must cost little, or they starve the workers of the CPU.
    void refuse_when_busy(httplib::Response& response) const;

    const ServeModels& models;
    const ServerOptions options;
    httplib::Server http;
    WorkQueue queue;
    Metrics metrics;
    int port = -1;
    int listen_socket = -1;  // captured as httplib creates it, to widen its accept backlog
};

// The routes, by kind (routes_analysis.cpp: /v1/...; routes_service.cpp: health, metrics, OpenAPI, the page).
void add_analysis_routes(Server::Impl& server);
void add_service_routes(Server::Impl& server);

}  // namespace emo::serve
