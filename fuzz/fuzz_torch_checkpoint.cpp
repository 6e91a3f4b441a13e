// libFuzzer target: core::read_pytorch_checkpoint (zip archive + restricted pickle) on arbitrary bytes. The corpus
// seeds should include a real torch.save file (scripts/fuzz makes one) so the fuzzer reaches the pickle machine.
#include "core/state_dict_pickle.hpp"
#include "core/torch_checkpoint.hpp"
#include "fuzz_file.hpp"

#include <emo/emo.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = emo_fuzz::write_input(data, size, ".bin");
    try {
        emo::core::read_pytorch_checkpoint(path);
    } catch (const emo::Error&) {
    }
    // The pickle machine alone too, so that mutations reach it without surviving the zip layer.
    try {
        emo::core::read_state_dict_pickle({reinterpret_cast<const char*>(data), size}, "fuzz");
    } catch (const emo::Error&) {
    }
    return 0;
}
