#include "media/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/random.hpp"

namespace verbund::media {

namespace {

constexpr std::size_t kKeyHexChars = 32;

Status write_durably(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("io", "cannot create " + tmp.string());
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error("io", "cannot write " + tmp.string());
    }
    done += static_cast<std::size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  std::error_code ec;
  if (synced) std::filesystem::rename(tmp, path, ec);
  if (!synced || ec) {
    ::unlink(tmp.c_str());
    return make_error("io", "cannot store " + path.string());
  }
  return Ok{};
}

}  // namespace

Files::Files(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

Result<std::string> Files::save(const Processed& image) {
  std::string key = random::hex(kKeyHexChars / 2);
  for (const auto& v : image.variants) {
    auto st = write_durably(dir_ / (key + "-" + v.name), v.bytes);
    if (!st) {
      for (const auto& w : image.variants) std::filesystem::remove(dir_ / (key + "-" + w.name));
      return st.error();
    }
  }
  return key;
}

void Files::remove(std::string_view key, Purpose purpose) {
  if (key.empty()) return;
  std::error_code ec;
  for (const auto& name : variant_names(purpose))
    std::filesystem::remove(dir_ / (std::string(key) + "-" + name), ec);
}

bool Files::valid_name(std::string_view name) {
  if (name.size() < kKeyHexChars + 2 || name[kKeyHexChars] != '-') return false;
  for (std::size_t i = 0; i < kKeyHexChars; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(name[i])) || std::isupper(name[i])) return false;
  std::string_view variant = name.substr(kKeyHexChars + 1);
  for (Purpose p : {Purpose::logo, Purpose::cover, Purpose::gallery})
    for (const auto& v : variant_names(p))
      if (variant == v) return true;
  return false;
}

std::string_view Files::content_type(std::string_view name) {
  return name.ends_with(".webp") ? "image/webp" : "image/jpeg";
}

std::optional<std::string> Files::read(std::string_view name) const {
  if (!valid_name(name)) return std::nullopt;
  std::ifstream in(dir_ / std::string(name), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

}  // namespace verbund::media
