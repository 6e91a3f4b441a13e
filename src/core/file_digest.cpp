#include "core/file_digest.hpp"

#include <emo/emo.hpp>

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

namespace emo::core {

namespace {

std::string hex_digest(const std::string& path, const EVP_MD* kind, const std::string& prefix) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open");
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), kind, nullptr) != 1) throw Error("cannot initialise a digest");
    EVP_DigestUpdate(ctx.get(), prefix.data(), prefix.size());
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) throw Error(path + ": read error");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

}  // namespace

std::string file_sha256(const std::string& path) { return hex_digest(path, EVP_sha256(), ""); }

std::string git_blob_sha1(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(path + ": cannot read its size");
    return hex_digest(path, EVP_sha1(), "blob " + std::to_string(size) + std::string(1, '\0'));
}

}  // namespace emo::core
