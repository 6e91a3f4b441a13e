// The pickle inside a PyTorch checkpoint (pytorch_model.bin, torch.save's zip layout), read by a restricted pickle
// machine that knows only what a state dict holds: dicts (OrderedDict), strings, numbers, tuples, and tensors rebuilt
// by torch._utils._rebuild_tensor_v2 / _rebuild_parameter from storages named by persistent id. Any other global or
// call is refused with an error naming it: nothing in the file is ever executed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace emo::core {

struct PickledTensor {
    std::string name;          // the state dict's key
    std::string storage_key;   // data/<key> in the archive
    std::string storage_type;  // "FloatStorage", "HalfStorage", "BFloat16Storage", "LongStorage", ...
    std::uint64_t storage_elements = 0;
    std::uint64_t offset = 0;  // in elements
    std::vector<std::uint64_t> shape, stride;
};

// The tensors of a pickled state dict, in the order they appear; `origin` names the file in errors. A pickle that
// is truncated, malformed, deeper than a state dict, or that names any global other than the few a state dict needs
// throws emo::Error.
std::vector<PickledTensor> read_state_dict_pickle(std::string_view pickle, const std::string& origin);

}  // namespace emo::core
