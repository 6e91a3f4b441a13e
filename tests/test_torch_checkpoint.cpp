// pytorch_model.bin reading (core/torch_checkpoint): hostile and broken archives, crafted by Python's standard
// library, are refused with errors naming the file, and a pickle is never executed. (Well-formed checkpoints of
// every architecture are compared with PyTorch in test_transformer_reference.cpp.)
#include "core/torch_checkpoint.hpp"
#include "scratch_dir.hpp"

#include <emo/emo.hpp>

#include <cstdlib>
#include <filesystem>

namespace {

class TorchCheckpoint : public emo_test::ScratchDirTest {
protected:
    TorchCheckpoint() : ScratchDirTest("emo_torch_checkpoint_") {}

    // Runs a Python snippet with `out` bound to the path of the file it should write.
    std::string craft(const std::string& name, const std::string& code) {
        const auto path = (dir_ / name).string();
        write("craft.py", "import io, os, pickle, struct, zipfile\nout = " + quoted(path) + "\n" + code);
        const auto command = std::string(EMO_REFERENCE_PYTHON) + " " + (dir_ / "craft.py").string();
        if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
        return path;
    }
    static std::string quoted(const std::string& s) { return "'" + s + "'"; }

    std::string error_of(const std::string& path) {
        try {
            emo::core::read_pytorch_checkpoint(path);
        } catch (const emo::Error& e) {
            return e.what();
        }
        return "";
    }
};

// A zip in torch.save's layout whose data.pkl is `pickle_expr` (Python) and whose storage "0" holds `floats` values.
std::string archive_code(const std::string& pickle_bytes_expr, int floats) {
    return "with zipfile.ZipFile(out, 'w') as z:\n"
           "    z.writestr('archive/data.pkl', " +
           pickle_bytes_expr +
           ")\n"
           "    z.writestr('archive/data/0', struct.pack('<" +
           std::to_string(floats) + "f', *range(" + std::to_string(floats) +
           ")))\n"
           "    z.writestr('archive/version', '3')\n";
}

// Protocol-2 pickle text of {'w': _rebuild_tensor_v2(storage '0' of `elements` floats, offset, size, stride, ...)}.
std::string state_dict_pickle(int elements, const std::string& size, const std::string& stride) {
    return "(b'\\x80\\x02}q\\x00X\\x01\\x00\\x00\\x00wq\\x01ctorch._utils\\n_rebuild_tensor_v2\\nq\\x02((X\\x07\\x00"
           "\\x00\\x00storageq\\x03ctorch\\nFloatStorage\\nq\\x04X\\x01\\x00\\x00\\x000q\\x05X\\x03\\x00\\x00\\x00cpu"
           "q\\x06K' + bytes([" +
           std::to_string(elements) + "]) + b'tq\\x07QK\\x00' + " + size + " + " + stride +
           " + b'\\x89ccollections\\nOrderedDict\\nq\\x0a)Rq\\x0btq\\x0cRq\\x0ds.')";
}

TEST_F(TorchCheckpoint, AWellFormedArchiveGivesItsTensorsThroughTheirStrides) {
    // w = storage[0:6] as [2, 3] read with strides (1, 2): a transposed view.
    const auto path =
        craft("ok.bin", archive_code(state_dict_pickle(6, "b'K\\x02K\\x03\\x86'", "b'K\\x01K\\x02\\x86'"), 6));
    const auto file = emo::core::read_pytorch_checkpoint(path);
    const auto& w = file.get("w", {2, 3}, path);
    EXPECT_EQ(w.data, (std::vector<float>{0, 2, 4, 1, 3, 5}));
}

TEST_F(TorchCheckpoint, APickleThatCallsAnythingButTensorsIsRefusedAndNeverRun) {
    const auto marker = dir_ / "executed";
    const auto path =
        craft("evil.bin",
              "class Evil:\n"
              "    def __reduce__(self):\n"
              "        return (os.system, ('touch " +
                  marker.string() + "',))\n" + archive_code("pickle.dumps({'w': Evil()}, protocol=2)", 1));
    const auto error = error_of(path);
    EXPECT_NE(error.find("refusing global 'posix.system'"), std::string::npos) << error;
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_FALSE(std::filesystem::exists(marker));
    // Protocol 2 names it by its Python 2 module.
    const auto eval_path = craft("eval.bin", archive_code("pickle.dumps({'w': eval}, protocol=2)", 1));
    EXPECT_NE(error_of(eval_path).find("refusing global '__builtin__.eval'"), std::string::npos) << error_of(eval_path);
}

TEST_F(TorchCheckpoint, BrokenArchivesAreClearErrors) {
    // Shape [4, 3] needs 12 values where the storage has 6.
    const auto beyond =
        craft("beyond.bin", archive_code(state_dict_pickle(6, "b'K\\x04K\\x03\\x86'", "b'K\\x03K\\x01\\x86'"), 6));
    EXPECT_NE(error_of(beyond).find("reaches beyond its storage"), std::string::npos) << error_of(beyond);
    // The pickle says the storage has 9 values where the entry holds 6.
    const auto short_storage =
        craft("short.bin", archive_code(state_dict_pickle(9, "b'K\\x03\\x85'", "b'K\\x01\\x85'"), 6));
    EXPECT_NE(error_of(short_storage).find("holds 24 bytes, not the 36"), std::string::npos) << error_of(short_storage);
    const auto truncated_pickle = craft("cut.bin", archive_code("pickle.dumps({'w': 1}, protocol=2)[:-3]", 1));
    EXPECT_NE(error_of(truncated_pickle).find("truncated"), std::string::npos) << error_of(truncated_pickle);
    const auto not_zip = write("plain.bin", "definitely not a zip archive");
    EXPECT_NE(error_of(not_zip).find("not a torch.save zip archive"), std::string::npos) << error_of(not_zip);
    const auto cut_zip = craft("cutzip.bin", archive_code(state_dict_pickle(6, "b'K\\x06\\x85'", "b'K\\x01\\x85'"), 6) +
                                                 "data = open(out, 'rb').read()\nopen(out, 'wb').write(data[:100])\n");
    EXPECT_FALSE(error_of(cut_zip).empty());
    const auto no_pickle =
        craft("nopkl.bin", "with zipfile.ZipFile(out, 'w') as z:\n    z.writestr('a/version', '3')\n");
    EXPECT_NE(error_of(no_pickle).find("no data.pkl"), std::string::npos) << error_of(no_pickle);
}

// fuzz_torch_checkpoint's finding: a storage named again by a later tensor with a larger size was read past its
// bytes. The input must now be an error (or a well-formed result), never an out-of-bounds read under ASan.
TEST_F(TorchCheckpoint, FuzzFindingsStayFixed) {
    const std::string path = EMO_SOURCE_DIR "/fuzz/regressions/torch_shared_storage.bin";
    ASSERT_TRUE(std::filesystem::exists(path));
    try {
        emo::core::read_pytorch_checkpoint(path);
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

}  // namespace
