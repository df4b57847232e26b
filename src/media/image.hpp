// Uploaded images: accepted only when they are JPEG, PNG, WebP or GIF by their bytes
// (not their name or the browser's Content-Type) and libvips decodes them; re-encoded
// to WebP and JPEG in fixed sizes with all metadata (EXIF, GPS, XMP, ICC) removed, so
// nothing a camera wrote leaves the server and nothing a crafted file holds reaches a
// visitor's browser. SVG is refused (it can carry script).
// Thread-safety: process_image may run on several worker threads at once after init().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace verbund::media {

// Starts libvips once per process: one thread per operation, no operation cache,
// untrusted loaders blocked. Safe to call more than once.
void init();

enum class Purpose { logo, cover, gallery };

struct Variant {
  std::string name;  // "160.webp", "320.jpg", …: appended to the image key
  std::string bytes;
};

struct Processed {
  int source_width = 0;
  int source_height = 0;
  std::vector<Variant> variants;
};

constexpr std::size_t kMaxImageBytes = 10 * 1024 * 1024;
// Larger pictures than this are refused before decoding: a small file can declare a
// huge canvas (a decompression bomb), and decoding it would take seconds and gigabytes.
constexpr long kMaxPixels = 40'000'000;
constexpr int kMaxSide = 12'000;

// The format the bytes are in ("jpeg", "png", "webp", "gif", "svg") or "" if unknown.
std::string sniff_format(std::string_view bytes);

// Error codes: "empty", "too_large" (bytes), "svg", "format" (not an accepted image
// type), "dimensions" (too many pixels), "corrupt" (does not decode).
Result<Processed> process_image(std::string_view bytes, Purpose purpose);

// The variant names a purpose produces, the first being the default <img src>.
const std::vector<std::string>& variant_names(Purpose purpose);

}  // namespace verbund::media
