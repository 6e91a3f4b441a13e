// JSON parsing that remembers where each object starts: a SAX builder fed through an iterator that reports progress.
#include "io/json_lines.hpp"

#include <algorithm>
#include <iterator>

#include "io/reader_common.hpp"

namespace emo::io {
namespace {

using nlohmann::json;

// Iterator over the input that publishes how far the JSON parser has read, so that LineTrackingBuilder can tell on
// which line each object starts.
struct TrackingIterator {
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    const char* at = nullptr;
    const char** mark = nullptr;

    reference operator*() const { return *at; }
    TrackingIterator& operator++() {
        *mark = ++at;
        return *this;
    }
    TrackingIterator operator++(int) {
        TrackingIterator old = *this;
        ++*this;
        return old;
    }
    bool operator==(const TrackingIterator& other) const { return at == other.at; }
};

// Where each object starts is stored under this key; a control character keeps it apart from real field names.
const std::string line_key = "\x01line";

// Builds a json value as json::parse does, storing in every object the line it starts on (nlohmann::json keeps no
// positions). nlohmann's own callback parser rescans the parent at every object end, which is quadratic in a long
// utterance array; this builder is linear.
class LineTrackingBuilder : public nlohmann::json_sax<json> {
public:
    // `mark` is the end of what the parser has read so far; `base` and `base_line` are a position and its line.
    LineTrackingBuilder(std::string_view data, const char* const& mark, std::size_t base, std::size_t base_line,
                        LinedJson& out)
        : data_(data), mark_(mark), counted_to_(base), line_(base_line), out_(out) {}

    std::size_t error_at = 0;  // 1-based offset of a syntax error from the start of the parsed piece
    std::string error;

    bool null() override { return add(nullptr); }
    bool boolean(bool v) override { return add(v); }
    bool number_integer(number_integer_t v) override { return add(v); }
    bool number_unsigned(number_unsigned_t v) override { return add(v); }
    bool number_float(number_float_t v, const string_t&) override { return add(v); }
    bool string(string_t& v) override { return add(std::move(v)); }
    bool binary(binary_t& v) override { return add(json::binary(std::move(v))); }
    bool key(string_t& k) override {
        if (open_.size() == 1) out_.root_keys.emplace_back(k, current_line());
        key_ = std::move(k);
        return true;
    }
    bool start_object(std::size_t) override {
        json* object = slot();
        *object = json::object();
        (*object)[line_key] = current_line();
        open_.push_back(object);
        return true;
    }
    bool start_array(std::size_t) override {
        json* array = slot();
        *array = json::array();
        open_.push_back(array);
        return true;
    }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string&, const json::exception& e) override {
        error_at = position;
        error = e.what();
        return false;
    }

private:
    // Where the next value goes: the root, the end of the open array, or the open object's current key.
    json* slot() {
        if (open_.empty()) return &out_.value;
        json& parent = *open_.back();
        if (parent.is_array()) {
            parent.push_back(nullptr);
            return &parent.back();
        }
        return &parent[key_];
    }
    template <class T>
    bool add(T&& value) {
        *slot() = std::forward<T>(value);
        return true;
    }
    bool close() {
        open_.pop_back();
        return true;
    }
    // Objects start in increasing order, so lines are counted incrementally.
    std::size_t current_line() {
        const auto at = static_cast<std::size_t>(mark_ - data_.data());
        if (at > counted_to_) {
            line_ += static_cast<std::size_t>(std::count(data_.begin() + counted_to_, data_.begin() + at, '\n'));
            counted_to_ = at;
        }
        return line_;
    }

    std::string_view data_;
    const char* const& mark_;
    std::size_t counted_to_;
    std::size_t line_;
    LinedJson& out_;
    std::vector<json*> open_;
    std::string key_;
};

}  // namespace

LinedJson parse_with_lines(std::string_view data, std::size_t begin, std::size_t end, std::size_t line,
                           const std::string& name) {
    LinedJson out;
    const char* mark = data.data() + begin;
    LineTrackingBuilder builder(data, mark, begin, line, out);
    if (!json::sax_parse(TrackingIterator{data.data() + begin, &mark}, TrackingIterator{data.data() + end, &mark},
                         &builder)) {
        const std::size_t at = begin + (builder.error_at > 0 ? builder.error_at - 1 : 0);
        fail(place(name, line_at(data, at)), json_error_text(builder.error));
    }
    return out;
}

std::size_t object_line(const json& value, std::size_t fallback) {
    if (!value.is_object()) return fallback;
    const auto it = value.find(line_key);
    // Input may spell the key itself ("\u0001line") and overwrite the line with anything.
    return it == value.end() || !it->is_number_unsigned() ? fallback : it->get<std::size_t>();
}

std::size_t line_at(std::string_view data, std::size_t pos) {
    return 1 + static_cast<std::size_t>(std::count(data.begin(), data.begin() + std::min(pos, data.size()), '\n'));
}

}  // namespace emo::io
