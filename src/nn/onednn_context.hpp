// The one oneDNN CPU engine of the process, and a stream per thread, shared by every primitive of src/nn (the
// transformer encoders' dense layers and the TF.js executor's convolutions): one runtime, not one per model kind.
#pragma once

#include <dnnl.hpp>

namespace emo::nn {

const dnnl::engine& cpu_engine();
// The calling thread's stream on cpu_engine() (a stream must not be shared between threads that execute at once).
dnnl::stream& thread_stream();

}  // namespace emo::nn
