// Where re-encoded images live: DATA/media/KEY-VARIANT (e.g. 9f…c2-320.webp). Keys are
// random (server-generated, never the uploader's file name), so a file name is never
// reused and can be cached forever. Files are written completely (fsync, then rename)
// before the database refers to them.
// Thread-safety: all methods may be called from several threads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "media/image.hpp"

namespace verbund::media {

class Files {
 public:
  explicit Files(std::filesystem::path dir);

  // Writes every variant under a new key and returns the key.
  Result<std::string> save(const Processed& image);
  // Removes the files of `key` (best effort; a missing file is fine).
  void remove(std::string_view key, Purpose purpose);

  // The bytes of a file named KEY-VARIANT, or nullopt if the name is not one of ours or
  // the file does not exist. Never reads outside the media folder.
  std::optional<std::string> read(std::string_view name) const;
  static bool valid_name(std::string_view name);
  static std::string_view content_type(std::string_view name);

 private:
  std::filesystem::path dir_;
};

}  // namespace verbund::media
