// The readers under fuzzing take paths: each input is written to one temporary file per process.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace emo_fuzz {

inline void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
}

inline std::string write_input(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
    static const std::string path =
        (std::filesystem::temp_directory_path() / ("emo_fuzz_" + std::to_string(::getpid()) + suffix)).string();
    write_file(path, data, size);
    return path;
}

}  // namespace emo_fuzz
