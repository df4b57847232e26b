// Pictures for the demo content: a coloured title graphic with a caption, drawn by
// libvips (no files, no network), so that the demo wall looks alive on `make run`.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace verbund::media {

// A 1200×675 PNG: a gradient in one of eight palettes (by `motif`), a few circles and
// `caption` in large white type (left out when no font is available).
Result<std::string> demo_picture(int motif, std::string_view caption);

}  // namespace verbund::media
