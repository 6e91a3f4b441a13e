// A feature row as (index, value) pairs: hashed n-grams and dense features share one index space.
#pragma once

#include <cstdint>
#include <vector>

namespace emo::core {

struct Feature {
    std::uint32_t index;
    float value;
};

using SparseRow = std::vector<Feature>;

}  // namespace emo::core
