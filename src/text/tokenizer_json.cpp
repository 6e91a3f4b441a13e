#include "text/tokenizer_json.hpp"

#include <emo/emo.hpp>

namespace emo::text {

const nlohmann::json& json_field(const nlohmann::json& j, const char* key, const std::string& where) {
    if (!j.is_object() || !j.contains(key)) throw Error(where + ": no \"" + key + "\"");
    return j.at(key);
}

std::string json_type(const nlohmann::json& j, const std::string& where) {
    const auto& t = json_field(j, "type", where);
    if (!t.is_string()) throw Error(where + ".type: not a string");
    return t.get<std::string>();
}

bool is_unicode_white_space(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

}  // namespace emo::text
