// `emo serve`: the C++ API over HTTP/1.1 (cpp-httplib), with a bounded work queue, body limits, timeouts, an API key
// for addresses beyond loopback, Prometheus metrics, an OpenAPI document and the web page.
#pragma once

#include <emo/emo.hpp>
#include <emo/faces.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace emo::serve {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                       // 0: any free port (Server::port() tells which)
    unsigned threads = 0;                  // analysis workers; 0: the machine's cores
    std::size_t connection_threads = 512;  // threads reading and writing connections (idle ones wait there)
    std::size_t queue_capacity = 256;      // requests waiting for a worker beyond those running; more get 503
    std::size_t max_body_bytes = 32u << 20;
    std::chrono::seconds read_timeout{5}, write_timeout{5}, keep_alive_timeout{5};
    std::chrono::milliseconds processing_timeout{30000};  // a request's wait for its result; past it, 504
    std::string api_key;                                  // empty: no key; needed to bind any address but loopback
    std::ostream* access_log = nullptr;                   // one line per request; nullptr: none
};

// The models the routes use, loaded once at start and shared by every worker. Any may be absent: its routes
// answer 503 naming what is missing.
struct ServeModels {
    std::optional<Model> conversation;
    std::optional<CauseModel> causes;
    std::optional<TextModel> text;
    std::optional<SpeechModel> speech;
    std::optional<FaceModel> faces;

    // The built-in models (or those the EMO_*_MODEL_DIR variables name); `face_threads` sizes the face models'
    // kernels. Throws Error naming the model that failed to load.
    static ServeModels load_default(unsigned face_threads = 1);
    std::vector<std::string> loaded() const;  // "conversation", "causes", "text", "speech", "faces"
};

// True for addresses that only this machine reaches (127.0.0.0/8, ::1, localhost).
bool is_loopback(const std::string& host);

// Compares two secrets in time that depends only on their lengths, not on where they first differ.
bool constant_time_equal(const std::string& a, const std::string& b);

class Server {
public:
    // Checks the options (an address beyond loopback needs an API key) and sets up the routes; throws Error.
    Server(const ServeModels& models, ServerOptions options);
    ~Server();

    // Binds the address; throws Error naming it when that fails. Returns the port bound.
    int bind();
    // Serves until stop(); then finishes the requests in flight and returns.
    void run();
    // Stops accepting connections; safe from another thread (a signal-handling one).
    void stop();
    int port() const;

    // Every route the server answers, as "METHOD path" (the OpenAPI test checks them all).
    static std::vector<std::string> routes();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace emo::serve
