// The service routes: GET /healthz, /metrics (Prometheus), /openapi.json and / (the web page).
#include "serve/assets.hpp"
#include "serve/server_impl.hpp"

namespace emo::serve {

namespace {

// The page with its style sheet and script inlined, so that it is one request and needs nothing from elsewhere.
std::string page() {
    std::string html(asset("index.html"));
    const auto inline_at = [&html](const std::string& marker, const std::string& content) {
        if (const auto at = html.find(marker); at != std::string::npos) html.replace(at, marker.size(), content);
    };
    inline_at("<!-- page.css -->", "<style>\n" + std::string(asset("page.css")) + "</style>");
    inline_at("<!-- page.js -->", "<script>\n" + std::string(asset("page.js")) + "</script>");
    return html;
}

}  // namespace

void add_service_routes(Server::Impl& s) {
    s.http.Get("/healthz", [&s](const httplib::Request&, httplib::Response& response) {
        const nlohmann::json j = {{"status", "ok"}, {"models", s.models.loaded()}};
        response.set_content(j.dump(), "application/json");
    });
    s.http.Get("/metrics", [&s](const httplib::Request&, httplib::Response& response) {
        std::vector<std::string> gauges = {
            "# HELP emo_queue_waiting Requests waiting for an analysis worker.",
            "# TYPE emo_queue_waiting gauge",
            "emo_queue_waiting " + std::to_string(s.queue.waiting()),
            "# HELP emo_queue_running Requests being analysed now.",
            "# TYPE emo_queue_running gauge",
            "emo_queue_running " + std::to_string(s.queue.running()),
            "# HELP emo_workers Analysis worker threads.",
            "# TYPE emo_workers gauge",
            "emo_workers " + std::to_string(s.queue.workers()),
            "# HELP emo_model_loaded 1 for each model the server has loaded.",
            "# TYPE emo_model_loaded gauge",
        };
        for (const auto& name : s.models.loaded()) gauges.push_back("emo_model_loaded{model=\"" + name + "\"} 1");
        response.set_content(s.metrics.exposition(gauges), "text/plain; version=0.0.4");
    });
    s.http.Get("/openapi.json", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(std::string(asset("openapi.json")), "application/json");
    });
    // Other methods on known paths, and unknown paths, answer in JSON like every other error.
    const auto no_route = [](const httplib::Request& request, httplib::Response&) {
        bool known = false;
        for (const auto& route : Server::routes()) known |= route.substr(route.find(' ') + 1) == request.path;
        throw HttpError(known ? 405 : 404,
                        (known ? "method " + request.method + " not allowed on " : "no route " + request.method + " ") +
                            request.path.substr(0, 200));
    };
    s.http.Post(".*", no_route);
    s.http.Put(".*", no_route);
    s.http.Delete(".*", no_route);
    s.http.Patch(".*", no_route);
    s.http.Get("/", [html = page()](const httplib::Request&, httplib::Response& response) {
        response.set_content(html, "text/html; charset=utf-8");
    });
}

}  // namespace emo::serve
