// The analysis routes: POST /v1/text, /v1/conversation, /v1/audio and /v1/face. Each reads and checks its request on
// the connection's thread, runs the models on an analysis worker (Server::Impl::answer), and answers the records of
// docs/schema.md.
#include "serve/server_impl.hpp"

#include <emo/dynamics.hpp>

#include "io/image.hpp"
#include "report/charts.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

namespace emo::serve {

namespace {

using nlohmann::json;

// The body of a JSON request: a Content-Type other than application/json is a 415, a syntax error (invalid UTF-8
// included; nlohmann's message says where) or a number out of range a 400.
json json_body(const httplib::Request& request) {
    const std::string type = request.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) != 0)
        throw HttpError(415, "the body must be JSON, sent with 'Content-Type: application/json' (got '" +
                                 type.substr(0, 100) + "')");
    try {
        return json::parse(request.body);
    } catch (const json::exception& e) {
        throw HttpError(400, "the body is not valid JSON: " + std::string(e.what()).substr(0, 300));
    }
}

// `"<field>":[record, ...]`, the records as to_json writes them.
template <typename R>
std::string records_field(const char* field, const std::vector<R>& results) {
    std::string out = std::string("\"") + field + "\":[";
    for (std::size_t i = 0; i < results.size(); ++i) out += (i ? "," : "") + to_json(results[i]);
    return out + "]";
}

template <typename T>
const T& need(const std::optional<T>& model, const char* what) {
    if (!model) throw HttpError(503, std::string("this server has no ") + what + " model loaded");
    return *model;
}

bool flag(const json& body, const char* name) {
    if (!body.contains(name)) return false;
    if (!body[name].is_boolean()) throw HttpError(400, std::string("field '") + name + "' must be true or false");
    return body[name].get<bool>();
}

std::size_t count_field(const json& body, const char* name, std::size_t fallback, std::size_t most) {
    if (!body.contains(name)) return fallback;
    if (!body[name].is_number_unsigned() || body[name].get<std::size_t>() > most)
        throw HttpError(400, std::string("field '") + name + "' must be an integer from 0 to " + std::to_string(most));
    return body[name].get<std::size_t>();
}

// A query parameter that is true when given as "true" or "1", false when absent, "false" or "0".
bool query_flag(const httplib::Request& request, const char* name) {
    if (!request.has_param(name)) return false;
    const std::string value = request.get_param_value(name);
    if (value == "true" || value == "1") return true;
    if (value == "false" || value == "0") return false;
    throw HttpError(400, std::string("query parameter '") + name + "' must be true or false");
}

// A request body written to a private temporary file, removed when this goes (the speech model reads files).
class TemporaryFile {
public:
    explicit TemporaryFile(const std::string& bytes) {
        std::string pattern = (std::filesystem::temp_directory_path() / "emo-serve-XXXXXX").string();
        const int fd = mkstemp(pattern.data());
        if (fd < 0) throw std::runtime_error("cannot create a temporary file for the request body");
        path_ = pattern;
        std::size_t written = 0;
        while (written < bytes.size()) {
            const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
            if (n <= 0) break;
            written += static_cast<std::size_t>(n);
        }
        ::close(fd);
        if (written != bytes.size()) throw std::runtime_error("cannot write the request body to a temporary file");
    }
    ~TemporaryFile() { std::remove(path_.c_str()); }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Messages about a temporary file name the request body instead.
std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// `,"charts":[{"id", "title", "svg"}, ...]`: the charts of the page and of `emo report` (src/report).
std::string charts_field(const std::vector<report::Chart>& charts) {
    json list = json::array();
    for (const auto& c : charts) list.push_back({{"id", c.id}, {"title", c.title}, {"svg", c.svg}});
    return ",\"charts\":" + list.dump(-1, ' ', false, json::error_handler_t::replace);
}

void text_route(Server::Impl& s, const httplib::Request& request, httplib::Response& response) {
    const json body = json_body(request);
    if (!body.is_object() || body.contains("text") == body.contains("texts"))
        throw HttpError(400, "the body must be a JSON object with either \"text\" (a string) or \"texts\" (a list)");
    const TextModel& model = need(s.models.text, "text");
    TextOptions options;
    options.max_evidence = count_field(body, "evidence", options.max_evidence, 100);
    if (body.contains("text")) {
        if (!body["text"].is_string()) throw HttpError(400, "field 'text' must be a string");
        s.answer(response, [&model, text = body["text"].get<std::string>(), options] {
            return to_json(model.analyze(text, options));
        });
        return;
    }
    const json& texts = body["texts"];
    if (!texts.is_array()) throw HttpError(400, "field 'texts' must be a list of strings");
    std::vector<std::string> items;
    items.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (!texts[i].is_string()) throw HttpError(400, "texts[" + std::to_string(i) + "] must be a string");
        items.push_back(texts[i].get<std::string>());
    }
    s.answer(response, [&model, items = std::move(items), options] {
        std::vector<TextResult> results;
        results.reserve(items.size());
        for (const auto& item : items) results.push_back(model.analyze(item, options));
        return "{" + records_field("results", results) + "}";
    });
}

// The conversation of a request: JSON (the `json` input format, options as fields), or a CSV or JSON Lines file as
// `emo conv` reads them (text/csv, application/jsonl; options as query parameters), holding one dialogue.
Conversation request_conversation(const httplib::Request& request, bool& causes, ConvOptions& options) {
    const std::string type = request.get_header_value("Content-Type");
    ReadOptions read;
    std::string text;
    if (type.rfind("text/csv", 0) == 0 || type.rfind("application/jsonl", 0) == 0 ||
        type.rfind("application/x-ndjson", 0) == 0) {
        read.format = type[0] == 't' ? InputFormat::csv : InputFormat::jsonl;
        causes = query_flag(request, "causes");
        options.online = query_flag(request, "online");
        text = request.body;
    } else {
        json body = json_body(request);
        if (!body.is_object())
            throw HttpError(400, "the body must be one conversation: {\"dialogue_id\": ..., \"utterances\": [...]}");
        causes = flag(body, "causes") || query_flag(request, "causes");
        options.online = flag(body, "online") || query_flag(request, "online");
        options.max_evidence = count_field(body, "evidence", options.max_evidence, 100);
        for (const char* option : {"causes", "online", "evidence"}) body.erase(option);
        read.format = InputFormat::json;
        text = body.dump();
    }
    std::istringstream in(text);
    auto conversations = read_conversations(in, "request body", read);  // its Error (a 400) names the line or field
    if (conversations.size() != 1)
        throw HttpError(
            400, "the body must hold exactly one conversation (it holds " + std::to_string(conversations.size()) + ")");
    if (conversations[0].utterances.empty()) throw HttpError(400, "field 'utterances' is empty");
    return std::move(conversations[0]);
}

void conversation_route(Server::Impl& s, const httplib::Request& request, httplib::Response& response) {
    const Model& model = need(s.models.conversation, "conversation");
    bool causes = false;
    ConvOptions options;
    Conversation conversation = request_conversation(request, causes, options);
    const CauseModel* cause_model = causes ? &need(s.models.causes, "cause") : nullptr;
    const bool charts = query_flag(request, "charts");
    s.answer(response, [&model, cause_model, conversation = std::move(conversation), options, charts] {
        auto results = model.analyze(conversation, options);
        if (cause_model) cause_model->find_causes(conversation, results);
        const ConversationDynamics dynamics = conversation_dynamics(results);
        std::string out = "{\"dialogue_id\":" + json(conversation.id).dump() + "," +
                          records_field("utterances", results) + ",\"dynamics\":" + to_json(dynamics);
        if (charts) out += charts_field(report::conversation_charts(results, dynamics));
        return out + "}";
    });
}

void audio_route(Server::Impl& s, const httplib::Request& request, httplib::Response& response) {
    if (request.body.empty()) throw HttpError(400, "the body must be a recording (WAV, FLAC, OGG or MP3); it is empty");
    const SpeechModel& model = need(s.models.speech, "speech");
    AudioOptions options;
    options.segments = query_flag(request, "segments");
    options.threads = 1;  // the workers are the parallelism
    const bool charts = query_flag(request, "charts");
    s.answer(response, [&model, body = request.body, options, charts] {
        const TemporaryFile file(body);
        AudioInput input;
        input.path = file.path();
        input.source = "request body";
        auto results = model.analyze({input}, options);
        for (auto& r : results) {
            r.file = "request body";
            r.error = replace_all(r.error, file.path(), "request body");
        }
        if (results.size() == 1 && !results[0].error.empty()) throw HttpError(400, results[0].error);
        std::string out = "{" + records_field("results", results);
        if (charts) out += charts_field(report::audio_charts(file.path(), results));
        return out + "}";
    });
}

void face_route(Server::Impl& s, const httplib::Request& request, httplib::Response& response) {
    if (request.body.empty()) throw HttpError(400, "the body must be an image (JPEG, PNG, WebP or BMP); it is empty");
    const FaceModel& model = need(s.models.faces, "face");
    FaceOptions options;
    options.detect = !request.has_param("detect") || query_flag(request, "detect");
    options.evidence = query_flag(request, "evidence");
    options.threads = 1;
    s.answer(response, [&model, body = request.body, options] {
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(body.data());
        const io::Image image = io::decode_image(bytes, body.size(), "request body", {options.max_pixels});
        return to_json(model.analyze_rgb(image.rgb.data(), image.width, image.height, "request body", options));
    });
}

}  // namespace

void add_analysis_routes(Server::Impl& s) {
    using Handler = void (*)(Server::Impl&, const httplib::Request&, httplib::Response&);
    const std::pair<const char*, Handler> routes[] = {{"/v1/text", text_route},
                                                      {"/v1/conversation", conversation_route},
                                                      {"/v1/audio", audio_route},
                                                      {"/v1/face", face_route}};
    for (const auto& route : routes)
        s.http.Post(route.first,
                    [&s, handler = route.second](const httplib::Request& request, httplib::Response& response) {
                        s.refuse_when_busy(response);
                        handler(s, request, response);
                    });
}

}  // namespace emo::serve
