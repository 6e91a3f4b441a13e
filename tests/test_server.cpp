#include "serve_fixture.hpp"
#include "synthetic_voice.hpp"

#include <emo/dynamics.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <vector>

namespace {

using emo_test::RawConnection;
using emo_test::RunningServer;
using emo_test::serve_models;
using nlohmann::json;
namespace fs = std::filesystem;

const char* json_type = "application/json";

// One conversation as the `json` input format writes it, `n` utterances long.
json conversation_body(std::size_t n) {
    const char* lines[] = {"I got the tickets for the concert tonight!",
                           "Wait, tonight? I promised to help my brother.",
                           "Seriously? You said you'd keep this evening free.", "I'm sorry, I completely forgot."};
    json utterances = json::array();
    for (std::size_t i = 0; i < n; ++i)
        utterances.push_back({{"speaker", i % 2 ? "Leo" : "Maya"}, {"text", lines[i % 4]}});
    return {{"dialogue_id", "talk"}, {"utterances", utterances}};
}

emo::Conversation library_conversation(const json& body) {
    emo::Conversation c;
    c.id = body["dialogue_id"];
    for (const auto& u : body["utterances"]) {
        emo::Utterance utterance;
        utterance.speaker = u["speaker"];
        utterance.text = u["text"];
        c.utterances.push_back(utterance);
    }
    return c;
}

// The error answer's status and message, checked to be the documented JSON shape.
std::string error_message(const httplib::Result& r, int status) {
    EXPECT_TRUE(r) << "no answer";
    if (!r) return "";
    EXPECT_EQ(r->status, status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
    const json j = json::parse(r->body, nullptr, false);
    EXPECT_TRUE(j.is_object() && j.contains("error")) << r->body;
    if (!j.is_object() || !j.contains("error")) return "";
    EXPECT_EQ(j["error"]["status"], status);
    return j["error"].value("message", "");
}

TEST(ServerChecks, AddressesBeyondLoopbackNeedAnApiKey) {
    emo::serve::ServerOptions options;
    options.host = "0.0.0.0";
    EXPECT_THROW(emo::serve::Server(serve_models(), options), emo::Error);
    options.api_key = "a-long-enough-secret-key";
    EXPECT_NO_THROW(emo::serve::Server(serve_models(), options));
}

TEST(ServerChecks, LoopbackIsOnlyThisMachine) {
    EXPECT_TRUE(emo::serve::is_loopback("127.0.0.1"));
    EXPECT_TRUE(emo::serve::is_loopback("127.8.9.10"));
    EXPECT_TRUE(emo::serve::is_loopback("::1"));
    EXPECT_TRUE(emo::serve::is_loopback("localhost"));
    EXPECT_FALSE(emo::serve::is_loopback("0.0.0.0"));
    EXPECT_FALSE(emo::serve::is_loopback("192.168.1.2"));
    EXPECT_FALSE(emo::serve::is_loopback("::"));
}

TEST(ServerChecks, KeysCompareWholly) {
    EXPECT_TRUE(emo::serve::constant_time_equal("secret-key", "secret-key"));
    EXPECT_FALSE(emo::serve::constant_time_equal("secret-key", "secret-kez"));
    EXPECT_FALSE(emo::serve::constant_time_equal("secret-key", "secret-key2"));
    EXPECT_FALSE(emo::serve::constant_time_equal("secret", ""));
}

TEST(Server, HealthzListsTheLoadedModels) {
    RunningServer server;
    auto r = server.client().Get("/healthz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    const json j = json::parse(r->body);
    EXPECT_EQ(j["status"], "ok");
    EXPECT_EQ(j["models"].get<std::vector<std::string>>(), serve_models().loaded());
}

TEST(Server, TextAnswersTheLibrarysRecords) {
    RunningServer server;
    const std::string text = "Thank you so much, this made my day!";
    auto one = server.client().Post("/v1/text", json{{"text", text}}.dump(), json_type);
    ASSERT_TRUE(one);
    ASSERT_EQ(one->status, 200) << one->body;
    EXPECT_EQ(one->body, emo::to_json(serve_models().text->analyze(text)));

    const std::vector<std::string> texts = {"I hate this", "", "What a lovely surprise!"};
    auto many = server.client().Post("/v1/text", json{{"texts", texts}}.dump(), json_type);
    ASSERT_TRUE(many);
    ASSERT_EQ(many->status, 200) << many->body;
    const json results = json::parse(many->body)["results"];
    ASSERT_EQ(results.size(), texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
        EXPECT_EQ(results[i], json::parse(emo::to_json(serve_models().text->analyze(texts[i]))));
}

TEST(Server, ConversationAnswersUtterancesCausesAndDynamics) {
    RunningServer server;
    json body = conversation_body(4);
    body["causes"] = true;
    auto r = server.client().Post("/v1/conversation", body.dump(), json_type);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    const json answer = json::parse(r->body);

    const emo::Conversation conversation = library_conversation(body);
    auto expected = serve_models().conversation->analyze(conversation);
    serve_models().causes->find_causes(conversation, expected);
    EXPECT_EQ(answer["dialogue_id"], "talk");
    ASSERT_EQ(answer["utterances"].size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(answer["utterances"][i], json::parse(emo::to_json(expected[i]))) << "utterance " << i;
    EXPECT_EQ(answer["dynamics"], json::parse(emo::to_json(emo::conversation_dynamics(expected))));
}

TEST(Server, AudioAnswersTheSpeechModelsRecords) {
    const fs::path dir = fs::temp_directory_path() / ("emo-serve-audio-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string wav = (dir / "voice.wav").string();
    emo_test::write_wav(wav, emo_test::voiced_syllables(140, 6));
    std::ifstream in(wav, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});

    RunningServer server;
    auto r = server.client().Post("/v1/audio?segments=true", bytes, "audio/wav");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    emo::AudioOptions options;
    options.segments = true;
    emo::AudioInput input;
    input.path = wav;
    const auto expected = serve_models().speech->analyze({input}, options);
    const json results = json::parse(r->body)["results"];
    ASSERT_EQ(results.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        json e = json::parse(emo::to_json(expected[i]));
        e["file"] = "request body";
        EXPECT_EQ(results[i], e) << "segment " << i;
    }
    fs::remove_all(dir);
}

TEST(Server, FaceAnswersAnEmptyListForAnImageWithoutFaces) {
    RunningServer server;
    // A 1x1 gray PNG, written by hand: signature, IHDR, IDAT (zlib of one filter byte + one sample), IEND.
    const unsigned char png[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
                                 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
                                 0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
                                 0x9c, 0x63, 0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x77, 0xcd, 0x72, 0xb6, 0x00,
                                 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
    auto r = server.client().Post("/v1/face", std::string(reinterpret_cast<const char*>(png), sizeof png), "image/png");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    const json j = json::parse(r->body);
    EXPECT_EQ(j["width"], 1);
    EXPECT_TRUE(j["faces"].empty());
}

TEST(Server, BadRequestsGetAClearClientErrorInJson) {
    RunningServer server;
    auto c = server.client();
    struct Case {
        const char* path;
        std::string body;
        const char* type;
        int status;
        const char* needle;
    };
    const Case cases[] = {
        {"/v1/text", "{\"text\": ", json_type, 400, "not valid JSON"},
        {"/v1/text", "{\"text\": \"caf\xc3\"}", json_type, 400, "UTF-8"},
        {"/v1/text", "{\"text\": \"hello\"}", "text/plain", 415, "application/json"},
        {"/v1/text", "{}", json_type, 400, "\"text\""},
        {"/v1/text", "{\"text\": 3}", json_type, 400, "'text' must be a string"},
        {"/v1/text", "{\"text\": \"a\", \"evidence\": 6e666666}", json_type, 400, "number overflow"},
        {"/v1/text", "{\"texts\": [\"a\", null]}", json_type, 400, "texts[1]"},
        {"/v1/text", "[1, 2]", json_type, 400, "JSON object"},
        {"/v1/conversation", "{\"dialogue_id\": \"d\", \"utterances\": [{\"speaker\": \"A\"}]}", json_type, 400,
         "text"},
        {"/v1/conversation", "{\"utterances\": []}", json_type, 400, "'utterances' is empty"},
        {"/v1/conversation",
         "{\"dialogue_id\": \"d\", \"utterances\": [{\"speaker\": \"A\", \"text\": \"hi\"}], \"causes\": 1}", json_type,
         400, "'causes'"},
        {"/v1/audio", "this is not a recording", "application/octet-stream", 400, "request body"},
        {"/v1/audio", "", "application/octet-stream", 400, "empty"},
        {"/v1/face", "GIF89a not an image we read", "application/octet-stream", 400, "request body"},
        {"/v1/nowhere", "{}", json_type, 404, "no route POST /v1/nowhere"},
    };
    for (const Case& k : cases) {
        SCOPED_TRACE(std::string(k.path) + " " + k.body.substr(0, 60));
        const std::string message = error_message(c.Post(k.path, k.body, k.type), k.status);
        EXPECT_NE(message.find(k.needle), std::string::npos) << message;
        EXPECT_EQ(message.find("emo-serve-"), std::string::npos) << "a temporary file named: " << message;
    }
    EXPECT_NE(error_message(c.Put("/v1/text", "{}", json_type), 405).find("PUT"), std::string::npos);
    EXPECT_EQ(c.Get("/healthz")->status, 200) << "the server must still answer";
}

TEST(Server, BodiesOverTheLimitGet413) {
    emo::serve::ServerOptions options;
    options.max_body_bytes = 1000;
    RunningServer server(options);
    const std::string big = json{{"text", std::string(2000, 'a')}}.dump();
    EXPECT_NE(error_message(server.client().Post("/v1/text", big, json_type), 413).find("1000"), std::string::npos);
    EXPECT_EQ(server.client().Post("/v1/text", json{{"text", "fine"}}.dump(), json_type)->status, 200);
}

TEST(Server, ApiKeyGuardsTheRoutesButNotHealth) {
    emo::serve::ServerOptions options;
    options.api_key = "0123456789abcdef-key";
    RunningServer server(options);
    auto c = server.client();
    const std::string body = json{{"text", "hello"}}.dump();
    auto missing = c.Post("/v1/text", body, json_type);
    EXPECT_NE(error_message(missing, 401).find("Bearer"), std::string::npos);
    EXPECT_EQ(missing->get_header_value("WWW-Authenticate"), "Bearer");
    error_message(c.Post("/v1/text", {{"Authorization", "Bearer 0123456789abcdef-kez"}}, body, json_type), 401);
    error_message(c.Get("/metrics"), 401);
    auto right = c.Post("/v1/text", {{"Authorization", "Bearer 0123456789abcdef-key"}}, body, json_type);
    ASSERT_TRUE(right);
    EXPECT_EQ(right->status, 200);
    EXPECT_EQ(c.Get("/healthz")->status, 200);
}

TEST(Server, AFloodGets503WithRetryAfterAndServiceResumes) {
    emo::serve::ServerOptions options;
    options.threads = 1;
    options.queue_capacity = 1;
    RunningServer server(options);
    const std::string body = conversation_body(120).dump();
    std::vector<std::future<std::pair<int, std::string>>> answers;
    for (int i = 0; i < 12; ++i)
        answers.push_back(std::async(std::launch::async, [&server, &body] {
            auto r = server.client().Post("/v1/conversation", body, json_type);
            return r ? std::pair{r->status, r->get_header_value("Retry-After")} : std::pair{-1, std::string()};
        }));
    int ok = 0, busy = 0;
    for (auto& a : answers) {
        const auto [status, retry_after] = a.get();
        if (status == 200) ++ok;
        if (status == 503) {
            ++busy;
            EXPECT_EQ(retry_after, "1");
        }
        EXPECT_TRUE(status == 200 || status == 503) << status;
    }
    EXPECT_GE(ok, 1);
    EXPECT_GE(busy, 1) << "12 requests at once with one worker and one place in the queue";
    EXPECT_EQ(server.client().Post("/v1/conversation", body, json_type)->status, 200);
}

TEST(Server, AnalysisPastTheTimeoutGets504) {
    emo::serve::ServerOptions options;
    options.processing_timeout = std::chrono::milliseconds(1);
    RunningServer server(options);
    const std::string message =
        error_message(server.client().Post("/v1/conversation", conversation_body(2000).dump(), json_type), 504);
    EXPECT_NE(message.find("timeout"), std::string::npos);
}

TEST(Server, MetricsCountRequestsByRouteAndStatus) {
    RunningServer server;
    auto c = server.client();
    auto first = c.Post("/v1/text", json{{"text", "hi"}}.dump(), json_type);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200) << first->body;
    c.Post("/v1/text", "nope", json_type);
    c.Get("/no/such/page");
    // A request is counted as its answer is logged, just after it is sent (on a busy machine, a while after): wait
    // up to 5 s for every count to show.
    const std::vector<std::string> lines = {
        "emo_http_requests_total{route=\"/v1/text\",code=\"200\"} 1",
        "emo_http_requests_total{route=\"/v1/text\",code=\"400\"} 1",
        "emo_http_requests_total{route=\"other\",code=\"404\"} 1",
        "emo_http_errors_total{route=\"/v1/text\"} 1",
        "emo_http_request_duration_seconds_count{route=\"/v1/text\"} 2",
        "emo_http_request_duration_seconds_bucket{route=\"/v1/text\",le=\"+Inf\"} 2",
        "emo_queue_waiting 0",
        "emo_model_loaded{model=\"text\"} 1"};
    const auto missing = [&lines](const std::string& body) {
        for (const auto& line : lines)
            if (body.find(line) == std::string::npos) return line;
        return std::string();
    };
    std::string body;
    for (int i = 0; i < 500; ++i) {
        auto r = c.Get("/metrics");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
        body = r->body;
        if (missing(body).empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(missing(body), "") << body.substr(0, 900);
}

TEST(Server, TricklingAndIdleClientsDoNotBlockOthers) {
    RunningServer server;
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 100; ++i) idle.push_back(std::make_unique<RawConnection>(server.port()));
    RawConnection trickler(server.port());
    ASSERT_TRUE(trickler.connected());
    std::atomic<bool> done = false;
    std::thread trickle([&] {
        const std::string head = "POST /v1/text HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
        for (std::size_t i = 0; i < head.size() && !done; ++i) {
            trickler.send(head.substr(i, 1));
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) {
        auto r = server.client().Post("/v1/text", json{{"text", "still here?"}}.dump(), json_type);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    done = true;
    trickle.join();
    EXPECT_LT(seconds, 3.0) << "other clients waited behind idle or trickling connections";
}

TEST(Server, StopFinishesTheRequestsInFlight) {
    auto server = std::make_unique<RunningServer>();
    const std::string body = conversation_body(1500).dump();
    auto in_flight = std::async(std::launch::async, [&server, &body] {
        auto r = server->client().Post("/v1/conversation", body, json_type);
        return r ? std::pair{r->status, r->body} : std::pair{-1, std::string()};
    });
    // Wait until the analysis runs (up to about 10 s on a slow, sanitized build), then stop.
    for (int i = 0; i < 5000; ++i) {
        auto m = server->client().Get("/metrics");
        if (m && m->body.find("emo_queue_running 1") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    server->stop();
    const auto [status, answer] = in_flight.get();
    EXPECT_EQ(status, 200);
    EXPECT_EQ(json::parse(answer)["utterances"].size(), 1500u);
    EXPECT_FALSE(httplib::Client("127.0.0.1", server->port()).Get("/healthz")) << "stopped servers must not answer";
}

}  // namespace
