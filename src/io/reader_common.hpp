// Shared by the conversation readers: text helpers, UTF-8 and field checks, and the Reader that turns records into
// conversations under an error policy.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "emo/emo.hpp"

namespace emo::io {

// `s` without leading and trailing ASCII whitespace (space, \t, \r, \n, \f, \v).
std::string_view trim(std::string_view s);

// `s` with ASCII letters lower-cased; other bytes unchanged.
std::string lower(std::string_view s);

// "name:line", the position that starts a record's error message.
std::string place(const std::string& name, std::size_t line);

// Throws emo::Error("source: what"). Every record error carries "file:line: what", the same text under both error
// policies.
[[noreturn]] void fail(const std::string& source, const std::string& what);

// Length of the longest valid UTF-8 prefix (no overlongs, surrogates or code points past U+10FFFF), so that errors
// can name the line of the first bad byte.
std::size_t valid_utf8_prefix(std::string_view s);

// True when all of `s` is valid UTF-8.
bool valid_utf8(std::string_view s);

// A field's value, trimmed, after checking that it is UTF-8 (else fails naming `column`).
std::string field_text(std::string_view value, const std::string& source, const std::string& column);

// field_text, which must also not be empty ("empty utterance").
std::string checked_text(std::string_view value, const std::string& source, const std::string& column);

// All of a stream; a read error throws emo::Error naming `name`.
std::string slurp(std::istream& in, const std::string& name);

// All of a file; a missing file or a directory throws emo::Error naming `path`.
std::string read_file(const std::string& path);

// "invalid JSON: <what nlohmann says>", without nlohmann's position (callers name the record's line) and kept short.
std::string json_error_text(std::string_view what);

// `s` cut to at most `max` bytes on a character boundary, with "..." appended when cut.
std::string shorten(std::string_view s, std::size_t max);

// utterance_id as a number; empty means the record has none. A non-number (or non-finite value) fails.
std::optional<double> parse_order(std::string_view value, const std::string& source, const std::string& column);

// Groups records into conversations in order of first appearance, then orders each by utterance_id.
class ConversationBuilder {
    struct Dialogue {
        std::string id;
        std::vector<Utterance> utterances;
        std::vector<double> keys;  // utterance_id, or the key of the record before it when the record has none
        bool unsorted = false;
    };

public:
    // Adds an utterance to dialogue `id`; an empty id (unreadable) gives the record a conversation "" of its own.
    void add(const std::string& id, std::optional<double> order, Utterance utterance);

    // Creates dialogue `id` when new, so that a dialogue without utterances still appears; returns its index.
    std::size_t touch(const std::string& id);

    // The conversations, each sorted (stably) by utterance_id where it was out of order.
    std::vector<Conversation> finish();

private:
    std::vector<Dialogue> dialogues_;
    std::unordered_map<std::string, std::size_t> index_;
};

// What one record yields; parsers fill fields only once they are valid, so a failed record keeps what was readable.
struct Parsed {
    std::string dialogue_id;
    std::optional<double> order;
    Utterance utterance;
};

// One input being read: its name (for messages), the error policy, and the conversations built so far.
struct Reader {
    std::string name;
    ErrorPolicy policy;
    ConversationBuilder builder;

    // Runs `parse` on one record. A bad record throws under fail; under skip it stays as an utterance with `error`.
    template <class Parse>
    void record(std::string source, Parse&& parse) {
        Parsed p;
        p.utterance.source = std::move(source);
        try {
            parse(p);
        } catch (const Error& e) {
            if (policy == ErrorPolicy::fail) throw;
            Utterance u;
            u.speaker = std::move(p.utterance.speaker);
            u.text = std::move(p.utterance.text);
            u.source = std::move(p.utterance.source);
            u.error = e.what();
            builder.add(p.dialogue_id, p.order, std::move(u));
            return;
        }
        builder.add(p.dialogue_id, p.order, std::move(p.utterance));
    }

    // Keeps an unreadable record (dialogue `id`, "" when unknown) under skip; throws under fail.
    void add_error(const std::string& id, const std::string& source, const std::string& message);
};

}  // namespace emo::io
