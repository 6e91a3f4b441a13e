// pytorch_model.bin: the weights of checkpoints saved by torch.save (a zip archive: data.pkl naming the tensors,
// data/<key> holding each storage's raw little-endian values), read without executing the pickle.
#pragma once

#include "core/safetensors.hpp"

#include <string>

namespace emo::core {

// The float tensors of the checkpoint (float32, float16 and bfloat16 storages, converted to float32; integer buffers
// such as position_ids are left out). A file that is not such a zip archive (the pre-1.6 legacy format included), a
// pickle holding anything but tensors, storages that are missing, too small for their tensors' shapes and strides, or
// hold NaN or infinity, throw emo::Error naming the file and the tensor; nothing is read beyond an entry.
TensorFile read_pytorch_checkpoint(const std::string& path);

}  // namespace emo::core
