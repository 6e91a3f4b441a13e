// The OpenAPI document (GET /openapi.json) against the server itself: every route it serves is documented with its
// method, every documented route is served, and real answers of each route (successes and errors) satisfy the
// response schemas the document gives for their status codes.
#include "serve_fixture.hpp"
#include "synthetic_voice.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

namespace {

using emo_test::RunningServer;
using nlohmann::json;

// Checks `value` against the part of JSON Schema the document uses (type, required, properties,
// additionalProperties, items, oneOf, minimum, $ref into components); returns what is wrong, "" when nothing.
std::string violation(const json& doc, const json& schema, const json& value, const std::string& where) {
    if (schema.contains("$ref")) {
        const std::string ref = schema["$ref"];
        return violation(doc, doc.at(json::json_pointer(ref.substr(1))), value, where);
    }
    if (schema.contains("oneOf")) {
        int matches = 0;
        for (const auto& option : schema["oneOf"]) matches += violation(doc, option, value, where).empty();
        return matches == 1 ? "" : where + ": matches " + std::to_string(matches) + " of oneOf's schemas";
    }
    const std::string type = schema.value("type", "");
    const bool type_ok = type.empty() || (type == "object" && value.is_object()) ||
                         (type == "array" && value.is_array()) || (type == "string" && value.is_string()) ||
                         (type == "number" && value.is_number()) || (type == "boolean" && value.is_boolean()) ||
                         (type == "integer" && value.is_number_integer());
    if (!type_ok) return where + ": expected " + type + ", got " + value.dump().substr(0, 80);
    if (schema.contains("minimum") && value.is_number() && value.get<double>() < schema["minimum"].get<double>())
        return where + ": below the minimum";
    if (value.is_object()) {
        for (const auto& name : schema.value("required", json::array()))
            if (!value.contains(name.get<std::string>())) return where + ": lacks required " + name.get<std::string>();
        const json properties = schema.value("properties", json::object());
        for (const auto& [key, item] : value.items()) {
            std::string problem;
            if (properties.contains(key))
                problem = violation(doc, properties[key], item, where + "." + key);
            else if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object())
                problem = violation(doc, schema["additionalProperties"], item, where + "." + key);
            else if (schema.contains("properties") && !schema.contains("additionalProperties"))
                problem = where + ": undocumented field " + key;
            if (!problem.empty()) return problem;
        }
    }
    if (value.is_array() && schema.contains("items"))
        for (std::size_t i = 0; i < value.size(); ++i)
            if (auto problem = violation(doc, schema["items"], value[i], where + "[" + std::to_string(i) + "]");
                !problem.empty())
                return problem;
    return "";
}

class OpenApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new RunningServer(); }
    static void TearDownTestSuite() { delete server_; }

    json document() const {
        auto r = server_->client().Get("/openapi.json");
        EXPECT_TRUE(r && r->status == 200);
        return json::parse(r->body);
    }

    // Sends the request and checks the answer against the document's schema for its path, method and status.
    void expect_documented(const std::string& method, const std::string& path, const std::string& query,
                           const std::string& body, const std::string& type, int status) {
        SCOPED_TRACE(method + " " + path + query);
        auto c = server_->client();
        auto r = method == "GET" ? c.Get(path + query) : c.Post(path + query, body, type);
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, status) << r->body;
        const json doc = document();
        std::string lower = method;
        for (auto& ch : lower) ch = static_cast<char>(std::tolower(ch));
        const json& responses = doc["paths"][path][lower]["responses"];
        ASSERT_TRUE(responses.contains(std::to_string(status))) << "status " << status << " undocumented";
        const json& content = responses[std::to_string(status)]["content"];
        const std::string answer_type = r->get_header_value("Content-Type");
        const std::string documented_type = content.begin().key();
        EXPECT_EQ(answer_type.substr(0, documented_type.size()), documented_type);
        if (documented_type != "application/json") return;
        EXPECT_EQ(violation(doc, content["application/json"]["schema"], json::parse(r->body), "body"), "");
    }

    static inline RunningServer* server_ = nullptr;
};

TEST_F(OpenApi, DocumentsExactlyTheRoutesTheServerServes) {
    const json doc = document();
    EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
    std::set<std::string> documented;
    for (const auto& [path, methods] : doc["paths"].items())
        for (const auto& [method, operation] : methods.items()) {
            std::string upper = method;
            for (auto& ch : upper) ch = static_cast<char>(std::toupper(ch));
            documented.insert(upper + " " + path);
            EXPECT_TRUE(operation.contains("responses") && operation["responses"].contains("200")) << path;
        }
    const auto served = emo::serve::Server::routes();
    EXPECT_EQ(documented, std::set<std::string>(served.begin(), served.end()));
    for (const auto& route : served) {
        const std::string method = route.substr(0, route.find(' ')), path = route.substr(route.find(' ') + 1);
        auto c = server_->client();
        auto r = method == "GET" ? c.Get(path) : c.Post(path, "", "application/octet-stream");
        ASSERT_TRUE(r) << route;
        EXPECT_NE(r->status, 404) << route << " is documented but not served";
    }
}

TEST_F(OpenApi, AnswersOfEveryRouteMatchTheirSchemas) {
    const json utterances = json::array({{{"speaker", "Maya"}, {"text", "I got the tickets for tonight!"}},
                                         {{"speaker", "Leo"}, {"text", "Wait, tonight? I promised my brother."}}});
    const std::string conversation = json{{"dialogue_id", "d"}, {"utterances", utterances}, {"causes", true}}.dump();
    expect_documented("POST", "/v1/text", "", R"({"text": "What a lovely day"})", "application/json", 200);
    expect_documented("POST", "/v1/text", "", R"({"texts": ["a", "b"]})", "application/json", 200);
    expect_documented("POST", "/v1/text", "", R"({"text": 1})", "application/json", 400);
    expect_documented("POST", "/v1/text", "", R"({"text": "x"})", "text/plain", 415);
    expect_documented("POST", "/v1/conversation", "?charts=true", conversation, "application/json", 200);
    expect_documented("POST", "/v1/conversation", "", "{", "application/json", 400);

    const std::string wav = (std::filesystem::temp_directory_path() / "emo-openapi-voice.wav").string();
    emo_test::write_wav(wav, emo_test::voiced_syllables(150, 5));
    std::ifstream in(wav, std::ios::binary);
    const std::string audio((std::istreambuf_iterator<char>(in)), {});
    std::filesystem::remove(wav);
    expect_documented("POST", "/v1/audio", "?segments=true&charts=true", audio, "audio/wav", 200);
    expect_documented("POST", "/v1/audio", "", "not audio", "application/octet-stream", 400);
    expect_documented("POST", "/v1/face", "", "not an image", "application/octet-stream", 400);
    expect_documented("GET", "/healthz", "", "", "", 200);
    expect_documented("GET", "/metrics", "", "", "", 200);
    expect_documented("GET", "/openapi.json", "", "", "", 200);
    expect_documented("GET", "/", "", "", "", 200);
}

TEST(OpenApiValidator, CatchesWhatItChecks) {
    const json doc = {
        {"components",
         {{"schemas",
           {{"T", {{"type", "object"}, {"required", {"a"}}, {"properties", {{"a", {{"type", "integer"}}}}}}}}}}}};
    const json ref = {{"$ref", "#/components/schemas/T"}};
    EXPECT_EQ(violation(doc, ref, json{{"a", 1}}, "x"), "");
    EXPECT_NE(violation(doc, ref, json{{"b", 1}}, "x"), "");
    EXPECT_NE(violation(doc, ref, json{{"a", "1"}}, "x"), "");
    EXPECT_NE(violation(doc, ref, json{{"a", 1}, {"c", 2}}, "x"), "") << "undocumented fields are caught";
    EXPECT_NE(violation(doc, {{"type", "array"}, {"items", ref}}, json::array({json{{"a", 1}}, 2}), "x"), "");
}

}  // namespace
