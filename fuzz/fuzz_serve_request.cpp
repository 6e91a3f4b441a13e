// libFuzzer target: arbitrary bytes as an HTTP request to `emo serve` (the whole path: cpp-httplib's parsing, the
// routes' checks, the readers and the models), sent over loopback to a server in this process. Every input must get
// an answer or a closed connection, never a crash, an out-of-bounds read or a hang; after each input the server must
// still answer /healthz.
#include "serve/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

namespace {

struct FuzzServer {
    emo::serve::ServeModels models = emo::serve::ServeModels::load_default();
    emo::serve::Server server{models, [] {
                                  emo::serve::ServerOptions o;
                                  o.port = 0;
                                  o.threads = 1;
                                  o.max_body_bytes = 1 << 20;
                                  return o;
                              }()};
    int port = server.bind();
    std::thread thread{[this] { server.run(); }};
};

// Sends `request` and reads the answer until the server closes the connection; the answer's bytes. With
// `end_input`, the sending side is closed after the request, so that a partial request ends at once instead of
// waiting for the server's read timeout (httplib then may close without answering: only the input's own round trip
// does this).
std::string round_trip(int port, const std::string& request, bool end_input) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) __builtin_trap();
    timeval timeout{30, 0};  // a hang shows as a failed /healthz below
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    if (end_input) ::shutdown(fd, SHUT_WR);
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    return answer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static FuzzServer* fuzz = new FuzzServer;  // lives for the whole run
    round_trip(fuzz->port, std::string(reinterpret_cast<const char*>(data), size), true);
    const std::string health =
        round_trip(fuzz->port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false);
    if (health.rfind("HTTP/1.1 200", 0) != 0) {
        std::fprintf(stderr, "no answer to /healthz after the input: \"%s\"\n", health.substr(0, 200).c_str());
        __builtin_trap();
    }
    return 0;
}
