// Pixel work between decoded images and the face models' input tensors: a region of an image (which may reach past
// its edges) resampled to a fixed size, as float RGB or gray. Shrinking averages every source pixel under an output
// pixel (a triangle filter as wide as the scale), so a 4000-pixel photo resized to 256 does not alias.
#pragma once

#include "io/image.hpp"

#include <vector>

namespace emo::vision {

// A rectangle in pixels: x, y its top-left corner; it may extend past the image.
struct Rect {
    float x = 0, y = 0, width = 0, height = 0;
};

// Channels of a resampled region.
enum class Pixels { rgb, gray };

// `region` of `image` resampled to out_width x out_height, row-major, channels interleaved (3 for rgb, 1 for gray:
// ITU-R BT.601 luma), values 0..255. Parts of the region outside the image count as black. The region must have a
// positive size.
std::vector<float> resample(const io::Image& image, const Rect& region, int out_width, int out_height, Pixels pixels);

// The square of side max(width, height) centred on the image: the region whose resampling keeps the aspect ratio
// (letterbox) for a square model input.
Rect letterbox_square(int width, int height);

}  // namespace emo::vision
