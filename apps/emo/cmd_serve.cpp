// emo serve: the library over HTTP (src/serve), until SIGTERM or SIGINT, which finish the requests in flight.
#include "commands.hpp"

#include "serve/server.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

namespace emo::cli {

namespace {

struct ServeArgs {
    serve::ServerOptions server;
    std::string api_key_file;
    std::string access_log = "-";
    double max_body_mb = 32;
    double timeout_seconds = 30;
};

std::string read_api_key(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot read the API key file");
    std::string key;
    std::getline(in, key);
    while (!key.empty() && (key.back() == '\r' || key.back() == ' ' || key.back() == '\t')) key.pop_back();
    if (key.size() < 16) throw Error(path + ": the API key (its first line) must have at least 16 characters");
    return key;
}

// SIGTERM and SIGINT only write their number to this pipe (all a signal handler may safely do, whichever thread it
// lands on); a thread reading it stops the server, so that a signal never cuts a request short.
int stop_pipe[2] = {-1, -1};

extern "C" void on_stop_signal(int signal) {
    const unsigned char byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] const auto written = ::write(stop_pipe[1], &byte, 1);
}

void run_serve(ServeArgs& args) {
    serve::ServerOptions& options = args.server;
    if (!args.api_key_file.empty()) options.api_key = read_api_key(args.api_key_file);
    if (args.max_body_mb <= 0) throw Error("--max-body-mb must be positive");
    if (args.timeout_seconds <= 0) throw Error("--timeout must be positive");
    options.max_body_bytes = static_cast<std::size_t>(args.max_body_mb * (1 << 20));
    options.processing_timeout = std::chrono::milliseconds(static_cast<long>(args.timeout_seconds * 1000));
    std::unique_ptr<std::ofstream> log_file;
    if (args.access_log == "-") {
        options.access_log = &std::cerr;
    } else if (args.access_log != "off") {
        log_file = std::make_unique<std::ofstream>(args.access_log, std::ios::app);
        if (!*log_file) throw Error(args.access_log + ": cannot open the access log");
        options.access_log = log_file.get();
    }

    // Bind first, so that a port in use fails at once rather than after the models load; nothing is served before
    // run(), so the routes never see the models missing.
    serve::ServeModels models;
    serve::Server server(models, options);
    const int port = server.bind();
    std::cerr << "emo serve: loading models\n";
    models = serve::ServeModels::load_default();
    if (pipe(stop_pipe) != 0) throw Error("emo serve: cannot create the signal pipe");
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    std::thread stopper([&server] {
        unsigned char signal = 0;
        while (::read(stop_pipe[0], &signal, 1) < 0 && errno == EINTR) {
        }
        std::cerr << "emo serve: " << (signal == SIGTERM ? "SIGTERM" : "SIGINT") << ": finishing the requests in flight"
                  << std::endl;
        server.stop();
    });

    std::string loaded;
    for (const auto& name : models.loaded()) loaded += (loaded.empty() ? "" : ", ") + name;
    std::cerr << "emo serve: listening on http://" << options.host << ':' << port << "/ (models: " << loaded << ")"
              << std::endl;
    server.run();
    stopper.join();
    std::cerr << "emo serve: stopped" << std::endl;
}

}  // namespace

void add_serve_command(CLI::App& app) {
    auto args = std::make_shared<ServeArgs>();
    auto* cmd = app.add_subcommand("serve", "Serve the models over HTTP: JSON routes under /v1/, a web page at /");
    cmd->add_option("--host", args->server.host, "address to bind; beyond loopback needs --api-key-file")
        ->capture_default_str();
    cmd->add_option("--port", args->server.port, "port (0: any free one, printed at start)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    cmd->add_option("--threads", args->server.threads, "analysis workers (default: the machine's cores)");
    cmd->add_option("--api-key-file", args->api_key_file,
                    "file whose first line is the key clients send as 'Authorization: Bearer KEY'");
    cmd->add_option("--queue", args->server.queue_capacity,
                    "requests that may wait for a worker; beyond them the server answers 503")
        ->capture_default_str();
    cmd->add_option("--max-body-mb", args->max_body_mb, "largest request body, MiB (beyond: 413)")
        ->capture_default_str();
    cmd->add_option("--timeout", args->timeout_seconds, "seconds a request may wait for its analysis (beyond: 504)")
        ->capture_default_str();
    cmd->add_option("--access-log", args->access_log, "file for one line per request; '-' standard error, 'off' none")
        ->capture_default_str();
    cmd->callback([args] { run_serve(*args); });
}

}  // namespace emo::cli
