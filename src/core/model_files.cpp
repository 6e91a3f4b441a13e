#include "core/model_files.hpp"

#include <emo/emo.hpp>

#include <filesystem>
#include <fstream>

namespace emo::core {

namespace fs = std::filesystem;

nlohmann::json read_manifest(const std::string& dir) {
    const fs::path root(dir);
    if (!fs::is_directory(root)) throw Error(dir + ": not a model directory");
    const std::string path = (root / "manifest.json").string();
    std::ifstream in(path);
    if (!in) throw Error(path + ": missing");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": corrupt JSON: " + e.what());
    }
}

nlohmann::json read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": not valid JSON: " + e.what());
    }
}

void write_manifest(const std::string& dir, const nlohmann::ordered_json& manifest) {
    const std::string path = (fs::path(dir) / "manifest.json").string();
    std::ofstream out(path);
    out << manifest.dump(2) << '\n';
    if (!out) throw Error(path + ": write failed");
}

std::vector<std::string> string_list(const nlohmann::json& j, const char* key, const std::string& origin) {
    if (!j.contains(key) || !j[key].is_array()) throw Error(origin + ": missing list '" + key + "'");
    std::vector<std::string> out;
    for (auto& v : j[key]) {
        if (!v.is_string()) throw Error(origin + ": '" + key + "' must hold strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

void put_linear(TensorFile& file, const std::string& name, const LinearModel& model) {
    if (model.classes == 0) return;
    file.tensors[name + ".weight"] = {{model.dim, model.classes}, model.weights};
    file.tensors[name + ".bias"] = {{model.classes}, model.bias};
}

LinearModel get_linear(const TensorFile& file, const std::string& name, std::uint32_t dim, std::uint32_t classes,
                       const std::string& origin) {
    LinearModel m;
    m.dim = dim;
    m.classes = classes;
    m.weights = file.get(name + ".weight", {dim, classes}, origin).data;
    m.bias = file.get(name + ".bias", {classes}, origin).data;
    return m;
}

}  // namespace emo::core
