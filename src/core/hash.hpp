// FNV-1a: the hash behind every hashed feature and model fingerprint (cheap, stable across platforms and runs).
#pragma once

#include <cstdint>
#include <string_view>

namespace emo::core {

constexpr std::uint64_t fnv1a_offset = 14695981039346656037ULL;

// FNV-1a of `s` continued from `h`; a different start `h` seeds a different family (one per feature kind).
inline std::uint64_t fnv1a(std::string_view s, std::uint64_t h = fnv1a_offset) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

}  // namespace emo::core
