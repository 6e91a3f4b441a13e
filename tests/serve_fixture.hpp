// An `emo serve` server in the test process: the built-in models loaded once per test program, a server on a free
// loopback port running on its own thread, and clients (cpp-httplib's, and raw sockets for misbehaving ones).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include "serve/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>

namespace emo_test {

inline const emo::serve::ServeModels& serve_models() {
    static const auto models = emo::serve::ServeModels::load_default();
    return models;
}

// A server that runs from construction to destruction (which stops it and waits for run() to return).
class RunningServer {
public:
    explicit RunningServer(emo::serve::ServerOptions options = {},
                           const emo::serve::ServeModels& models = serve_models())
        : server_(models, with_free_port(std::move(options))) {
        port_ = server_.bind();
        thread_ = std::thread([this] { server_.run(); });
        httplib::Client probe("127.0.0.1", port_);
        for (int i = 0; i < 200 && !probe.Get("/healthz"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ~RunningServer() { stop(); }
    RunningServer(const RunningServer&) = delete;
    RunningServer& operator=(const RunningServer&) = delete;

    void stop() {
        if (!thread_.joinable()) return;
        server_.stop();
        thread_.join();
    }
    int port() const { return port_; }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(60, 0);
        return c;
    }

private:
    static emo::serve::ServerOptions with_free_port(emo::serve::ServerOptions options) {
        options.port = 0;
        if (options.threads == 0) options.threads = 2;
        return options;
    }
    emo::serve::Server server_;
    int port_ = -1;
    std::thread thread_;
};

// A TCP connection to the server that the test writes to by hand; closed when it goes.
class RawConnection {
public:
    explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~RawConnection() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;
    bool connected() const { return connected_; }
    bool send(const std::string& bytes) {
        return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
    }

private:
    int fd_;
    bool connected_ = false;
};

}  // namespace emo_test
