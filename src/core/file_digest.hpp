// Digests of whole files (OpenSSL), as lowercase hex: to check a download against the hub's metadata, and to know
// that a checkpoint on disk is the one a model was trained on.
#pragma once

#include <string>

namespace emo::core {

// SHA-256 of the file's bytes; emo::Error when it cannot be read.
std::string file_sha256(const std::string& path);
// git's blob id: SHA-1 of "blob <size>\0" followed by the file's bytes.
std::string git_blob_sha1(const std::string& path);

}  // namespace emo::core
