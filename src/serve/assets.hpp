// The files of src/serve/assets (the web page, the OpenAPI document), compiled into the binary by
// scripts/embed_assets.cmake so that the server needs nothing beside it.
#pragma once

#include <string_view>

namespace emo::serve {

// The content of src/serve/assets/<name>; empty when there is no such file.
std::string_view asset(std::string_view name);

}  // namespace emo::serve
