// The optional cause annotation of the generic formats: CSV cells and the JSON causes field.
#include "io/cause_fields.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>

#include "io/reader_common.hpp"

namespace emo::io {
namespace {

using nlohmann::json;

constexpr const char* index_kinds = "an utterance index (an integer from 0) or \"b\"";

// A cause index from a JSON value: a non-negative integer that fits CauseAnnotation::index, or "b". Negative
// numbers are refused rather than kept because -1 is how `latent` is stored.
std::optional<long> json_index(const json& v) {
    if (v.is_string() && v.get_ref<const std::string&>() == "b") return CauseAnnotation::latent;
    if (v.is_number_unsigned() && v.get<std::uint64_t>() <= std::numeric_limits<long>::max())
        return static_cast<long>(v.get<std::uint64_t>());
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<long>(v.get<std::int64_t>());
    return std::nullopt;
}

// The pieces of `cell` between separators, each trimmed.
std::vector<std::string_view> split(std::string_view cell, char separator) {
    std::vector<std::string_view> pieces;
    for (std::size_t pos = 0;;) {
        const std::size_t end = cell.find(separator, pos);
        pieces.push_back(trim(cell.substr(pos, end == std::string_view::npos ? end : end - pos)));
        if (end == std::string_view::npos) return pieces;
        pos = end + 1;
    }
}

}  // namespace

void csv_causes(std::string_view causes, std::string_view spans, const std::string& source,
                const std::string& causes_column, const std::string& spans_column, Utterance& u) {
    const std::string cell = field_text(causes, source, causes_column);
    const std::string spans_cell = field_text(spans, source, spans_column);
    if (cell.empty()) {
        // Spans without causes are most likely a shifted or forgotten cell; dropping them would hide that.
        if (!spans_cell.empty()) fail(source, spans_column + " given without " + causes_column);
        return;
    }
    std::vector<CauseAnnotation> out;
    if (cell != "-") {
        for (std::string_view item : split(cell, ';')) {
            long index = CauseAnnotation::latent;
            if (item != "b") {
                const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), index);
                if (item.empty() || ec != std::errc() || end != item.data() + item.size() || index < 0)
                    fail(source, causes_column + ": \"" + shorten(item, 40) + "\" is not " + index_kinds);
            }
            out.push_back({index, {}});
        }
    }
    if (!spans_cell.empty()) {
        const std::vector<std::string_view> pieces = split(spans_cell, '|');
        if (pieces.size() > out.size())
            fail(source, spans_column + " has " + std::to_string(pieces.size()) + " spans but " + causes_column +
                             " has " + std::to_string(out.size()) + " causes");
        for (std::size_t i = 0; i < pieces.size(); ++i) out[i].span = pieces[i];
    }
    u.causes = std::move(out);
    u.causes_annotated = true;
}

std::vector<CauseAnnotation> json_causes(const json& value, const std::string& source) {
    if (!value.is_array()) fail(source, "causes must be an array");
    std::vector<CauseAnnotation> out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        const json& item = value[i];
        const std::string name = "causes[" + std::to_string(i) + "]";
        if (!item.is_object()) {
            const std::optional<long> index = json_index(item);
            if (!index) fail(source, name + " must be " + index_kinds + " or an object with index and span");
            out.push_back({*index, {}});
            continue;
        }
        const auto index_it = item.find("index");
        const std::optional<long> index = index_it == item.end() ? std::nullopt : json_index(*index_it);
        if (!index) fail(source, name + ".index must be " + index_kinds);
        CauseAnnotation cause{*index, {}};
        if (const auto span = item.find("span"); span != item.end() && !span->is_null()) {
            if (!span->is_string()) fail(source, name + ".span must be a string");
            cause.span = std::string(trim(span->get_ref<const std::string&>()));
        }
        out.push_back(std::move(cause));
    }
    return out;
}

}  // namespace emo::io
