// One colour per emotion, the same in every chart, the page and the report, keyed by the canonical emotion name
// (labels::canonical_emotion: "happy", "happiness" and "joy" share joy's colour).
#pragma once

#include "report/canvas.hpp"

#include <cstddef>
#include <string_view>

namespace emo::report {

// The colour of `label`'s emotion; labels outside the table get a colour of a spare set, chosen by the name's hash
// so that a label always gets the same one.
Rgb emotion_colour(std::string_view label);
// Dark grey or white, whichever reads better on `background`.
Rgb text_colour_on(Rgb background);
// A dark colour for the `n`th speaker (speakers' paths), distinct from the emotion colours' hues where possible.
Rgb speaker_colour(std::size_t n);

}  // namespace emo::report
