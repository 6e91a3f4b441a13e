// Builds sentencepiece precompiled_charsmap blobs for the tests, from the format's definition: a little-endian uint32
// byte size of the trie, a darts-clone double array, then the pool of NUL-terminated replacements. The double array
// is placed by a plain first-fit search (no attempt at compactness), which is all a few keys need. Written here
// rather than generated with python3-sentencepiece so that the tests need no extra package and show each byte's
// meaning.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace emo_test {

// darts-clone's unit layout: label in bits 0-7, has_leaf in bit 8, the offset to the children in bits 10-31 (bit 9
// clear: not shifted); a value unit has bit 31 set so that no byte label ever matches it.
inline std::string build_charsmap(const std::map<std::string, std::string>& rules) {
    struct TrieNode {
        std::map<unsigned char, std::unique_ptr<TrieNode>> children;
        int value = -1;  // offset of the replacement in the pool
    };
    TrieNode root;
    std::string pool;
    for (const auto& [key, replacement] : rules) {
        TrieNode* node = &root;
        for (const char c : key) {
            auto& next = node->children[static_cast<unsigned char>(c)];
            if (!next) next = std::make_unique<TrieNode>();
            node = next.get();
        }
        node->value = static_cast<int>(pool.size());
        pool += replacement;
        pool += '\0';
    }
    std::vector<std::uint32_t> units(1, 0);
    std::vector<bool> used(1, true);
    const auto ensure = [&](std::size_t n) {
        if (units.size() < n) {
            units.resize(n, 0);
            used.resize(n, false);
        }
    };
    std::vector<std::pair<const TrieNode*, std::size_t>> queue{{&root, 0}};
    for (std::size_t q = 0; q < queue.size(); ++q) {
        const auto [node, pos] = queue[q];
        if (node->children.empty() && node->value < 0) continue;
        // The first base whose slots (base ^ label, and base ^ 0 for the value) are all free.
        std::size_t base = 1;
        for (;; ++base) {
            ensure(base + 257);
            bool free = !used[base];  // slot 0 (base ^ 0) takes the value, or stays reserved
            for (const auto& [label, child] : node->children) free = free && !used[base ^ label];
            if (free) break;
        }
        used[base] = true;
        if (node->value >= 0) units[base] = 0x80000000u | static_cast<std::uint32_t>(node->value);
        units[pos] |= static_cast<std::uint32_t>((pos ^ base) << 10) | (node->value >= 0 ? 1u << 8 : 0u);
        for (const auto& [label, child] : node->children) {
            used[base ^ label] = true;
            units[base ^ label] = label;
            queue.emplace_back(child.get(), base ^ label);
        }
    }
    std::string out;
    const auto put32 = [&](std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
    };
    put32(static_cast<std::uint32_t>(units.size() * 4));
    for (const auto u : units) put32(u);
    return out + pool;
}

inline std::string base64(const std::string& bytes) {
    static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16 |
                                static_cast<unsigned char>(bytes[i + 1]) << 8 |
                                static_cast<unsigned char>(bytes[i + 2]);
        for (int k = 3; k >= 0; --k) out += digits[(v >> (6 * k)) & 63];
    }
    if (i + 1 == bytes.size()) {
        const std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
        out += digits[(v >> 18) & 63];
        out += digits[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        const std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1])
                                                                                 << 8;
        out += digits[(v >> 18) & 63];
        out += digits[(v >> 12) & 63];
        out += digits[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

}  // namespace emo_test
