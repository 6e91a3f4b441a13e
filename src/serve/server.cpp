#include "serve/server_impl.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

namespace emo::serve {

namespace {

using Clock = std::chrono::steady_clock;

// When the request now on this thread was routed: httplib reads, routes, answers and logs one request on one thread.
thread_local std::optional<Clock::time_point> request_start;

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

bool wants_key(const std::string& path) { return path.rfind("/v1/", 0) == 0 || path == "/metrics"; }

}  // namespace

bool is_loopback(const std::string& host) {
    if (host == "localhost" || host == "::1") return true;
    in_addr address{};
    return inet_pton(AF_INET, host.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

bool constant_time_equal(const std::string& a, const std::string& b) {
    // Every byte of the longer string is visited, so the time says nothing about where they differ.
    const std::size_t n = std::max(a.size(), b.size());
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        difference |= static_cast<unsigned char>(x ^ y);
    }
    return difference == 0;
}

std::string error_body(int status, const std::string& message) {
    nlohmann::json j = {{"error", {{"status", status}, {"message", message}}}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Server::Impl::Impl(const ServeModels& models, ServerOptions options)
    : models(models),
      options(std::move(options)),
      queue(this->options.threads ? this->options.threads : std::max(1u, std::thread::hardware_concurrency()),
            this->options.queue_capacity),
      metrics([] {
          std::vector<std::string> paths;
          for (const auto& route : Server::routes()) paths.push_back(route.substr(route.find(' ') + 1));
          return paths;
      }()) {}

namespace {

[[noreturn]] void throw_busy(httplib::Response& response, std::size_t capacity) {
    response.set_header("Retry-After", "1");
    throw HttpError(503, "the server is busy (" + std::to_string(capacity) + " requests waiting); try again shortly");
}

}  // namespace

void Server::Impl::refuse_when_busy(httplib::Response& response) const {
    if (queue.waiting() >= options.queue_capacity) throw_busy(response, options.queue_capacity);
}

void Server::Impl::answer(httplib::Response& response, std::function<std::string()> job) {
    auto result = queue.submit(std::move(job));
    if (!result) throw_busy(response, options.queue_capacity);
    if (result->wait_for(options.processing_timeout) != std::future_status::ready)
        throw HttpError(504, "the analysis took longer than the server's processing timeout (" +
                                 std::to_string(options.processing_timeout.count()) + " ms)");
    response.set_content(result->get(), "application/json");  // rethrows the job's exception
}

Server::Server(const ServeModels& models, ServerOptions options) {
    if (!is_loopback(options.host) && options.api_key.empty())
        throw Error("emo serve: binding " + options.host +
                    " (beyond this machine) needs an API key (--api-key-file); without one, only loopback");
    impl_ = std::make_unique<Impl>(models, std::move(options));
    Impl& s = *impl_;
    const ServerOptions& o = s.options;
    const std::size_t connection_threads = o.connection_threads;
    s.http.new_task_queue = [connection_threads] { return new httplib::ThreadPool(connection_threads); };
    s.http.set_payload_max_length(o.max_body_bytes);
    s.http.set_read_timeout(o.read_timeout);
    s.http.set_write_timeout(o.write_timeout);
    s.http.set_keep_alive_timeout(o.keep_alive_timeout.count());
    s.http.set_tcp_nodelay(true);
    // SO_REUSEADDR for quick restarts, but not httplib's default SO_REUSEPORT, with which a second server on the
    // same port would start silently and take half the connections.
    s.http.set_socket_options([&s](int socket) {
        const int yes = 1;
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        s.listen_socket = socket;
    });

    s.http.set_pre_routing_handler([&s](const httplib::Request& request, httplib::Response& response) {
        request_start = Clock::now();
        if (s.options.api_key.empty() || !wants_key(request.path)) return httplib::Server::HandlerResponse::Unhandled;
        const std::string header = request.get_header_value("Authorization");
        const std::string prefix = "Bearer ";
        if (header.rfind(prefix, 0) == 0 && constant_time_equal(header.substr(prefix.size()), s.options.api_key))
            return httplib::Server::HandlerResponse::Unhandled;
        response.status = 401;
        response.set_header("WWW-Authenticate", "Bearer");
        response.set_content(error_body(401, "this server needs an API key: send 'Authorization: Bearer KEY'"),
                             "application/json");
        return httplib::Server::HandlerResponse::Handled;
    });
    s.http.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        int status = 500;
        std::string message = "internal error";
        try {
            std::rethrow_exception(error);
        } catch (const HttpError& e) {
            status = e.status;
            message = e.what();
        } catch (const Error& e) {
            status = 400;
            message = e.what();
        } catch (const std::exception& e) {
            message = std::string("internal error: ") + e.what();
        }
        response.status = status;
        response.set_content(error_body(status, message), "application/json");
    });
    // Statuses httplib sets itself (404, 413, 400 for a malformed request line) get the same JSON body.
    s.http.set_error_handler(httplib::Server::HandlerWithResponse([&s](const httplib::Request& request,
                                                                       httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string message = "the request could not be read (status " + std::to_string(response.status) + ")";
        if (response.status == 400 && !request.has_header("Content-Length") && !request.has_header("Transfer-Encoding"))
            message = "a " + request.method + " request needs a Content-Length (or a chunked body)";
        if (response.status == 404) message = "no route " + request.method + " " + request.path.substr(0, 200);
        if (response.status == 413)
            message = request.get_header_value("Content-Type") == "application/x-www-form-urlencoded"
                          ? "form-encoded bodies are limited to 8 KiB: send files with 'Content-Type: "
                            "application/octet-stream'"
                          : "the body is larger than this server's limit of " +
                                std::to_string(s.options.max_body_bytes) + " bytes";
        response.set_content(error_body(response.status, message), "application/json");
        return httplib::Server::HandlerResponse::Handled;
    }));
    s.http.set_logger([&s](const httplib::Request& request, const httplib::Response& response) {
        double seconds = 0;
        if (request_start) seconds = std::chrono::duration<double>(Clock::now() - *request_start).count();
        request_start.reset();
        s.metrics.record(request.path, response.status, seconds);
        if (!s.options.access_log) return;
        char line[160];
        std::snprintf(line, sizeof line, " %d %zu %.3fms\n", response.status, response.body.size(), seconds * 1e3);
        static std::mutex log_mutex;
        std::lock_guard lock(log_mutex);
        *s.options.access_log << utc_now() << ' ' << request.remote_addr << ' ' << request.method << ' '
                              << request.path.substr(0, 200) << line << std::flush;
    });
    add_analysis_routes(s);
    add_service_routes(s);
}

Server::~Server() = default;

int Server::bind() {
    Impl& s = *impl_;
    s.port = s.options.port == 0 ? s.http.bind_to_any_port(s.options.host)
                                 : (s.http.bind_to_port(s.options.host, s.options.port) ? s.options.port : -1);
    if (s.port < 0)
        throw Error("emo serve: cannot listen on " + s.options.host + ":" + std::to_string(s.options.port) +
                    " (in use, or not an address of this machine)");
    // httplib listens with a backlog of 5: a burst of new connections (64 clients starting at once) would overflow
    // it and wait a second for the SYN to be resent. Listening again on the bound socket widens it.
    if (s.listen_socket >= 0) ::listen(s.listen_socket, 1024);
    return s.port;
}

void Server::run() {
    if (impl_->port < 0) bind();
    impl_->http.listen_after_bind();
}

void Server::stop() { impl_->http.stop(); }

int Server::port() const { return impl_->port; }

std::vector<std::string> Server::routes() {
    return {"POST /v1/text", "POST /v1/conversation", "POST /v1/audio",    "POST /v1/face",
            "GET /healthz",  "GET /metrics",          "GET /openapi.json", "GET /"};
}

}  // namespace emo::serve
