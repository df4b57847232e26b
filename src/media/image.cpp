#include "media/image.hpp"

#include <vips/vips.h>

#include <cstdint>
#include <memory>
#include <mutex>

namespace verbund::media {

namespace {

struct ImageUnref {
  void operator()(VipsImage* image) const {
    if (image) g_object_unref(image);
  }
};
using ImagePtr = std::unique_ptr<VipsImage, ImageUnref>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};

struct Size {
  int width;
  int height;
};

// Fixed output sizes (the first is the largest; smaller ones are derived from it).
// Logos fit into a square without cropping; covers are cropped to 8:3 around the centre.
const std::vector<Size>& sizes(Purpose purpose) {
  static const std::vector<Size> logo{{320, 320}, {160, 160}};
  static const std::vector<Size> cover{{1600, 600}, {800, 300}};
  static const std::vector<Size> gallery{{1200, 1200}, {400, 400}};
  if (purpose == Purpose::gallery) return gallery;
  return purpose == Purpose::logo ? logo : cover;
}

Error fail(std::string code, std::string message) {
  vips_error_clear();
  return make_error(std::move(code), std::move(message));
}

uint32_t le32(std::string_view b, std::size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

void put_le32(std::string& b, std::size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// libvips 8.14 writes an EXIF chunk into every WebP, even with "strip" and with every
// metadata item removed (it always records the resolution). Drop EXIF, XMP and ICC
// chunks from the RIFF container and clear their flags in the VP8X header.
std::string without_webp_metadata(const std::string& webp) {
  if (webp.size() < 12) return webp;
  std::string out = webp.substr(0, 12);
  std::size_t pos = 12;
  std::size_t vp8x = std::string::npos;
  while (pos + 8 <= webp.size()) {
    std::string_view fourcc(webp.data() + pos, 4);
    std::size_t size = le32(webp, pos + 4);
    std::size_t padded = size + (size & 1);
    if (pos + 8 + padded > webp.size()) return webp;  // not what libvips writes: keep as is
    if (fourcc != "EXIF" && fourcc != "XMP " && fourcc != "ICCP") {
      if (fourcc == "VP8X") vp8x = out.size();
      out.append(webp, pos, 8 + padded);
    }
    pos += 8 + padded;
  }
  if (vp8x != std::string::npos)  // flags byte: ICC 0x20, EXIF 0x08, XMP 0x04
    out[vp8x + 8] = static_cast<char>(static_cast<unsigned char>(out[vp8x + 8]) & ~0x2C);
  put_le32(out, 4, static_cast<uint32_t>(out.size() - 8));
  return out;
}

Result<std::string> save(VipsImage* image, bool webp) {
  void* buf = nullptr;
  size_t len = 0;
  int rc;
  if (webp) {
    rc = vips_webpsave_buffer(image, &buf, &len, "Q", 80, "strip", TRUE, nullptr);
  } else {
    // JPEG has no alpha: flatten transparent logos onto white, as they sit on the page.
    ImagePtr flat;
    if (vips_image_hasalpha(image)) {
      VipsArrayDouble* white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
      VipsImage* out = nullptr;
      int frc = vips_flatten(image, &out, "background", white, nullptr);
      vips_area_unref(VIPS_AREA(white));
      if (frc) return fail("corrupt", "flatten failed");
      flat.reset(out);
      image = out;
    }
    rc = vips_jpegsave_buffer(image, &buf, &len, "Q", 82, "strip", TRUE, "interlace", TRUE,
                              "optimize_coding", TRUE, nullptr);
  }
  std::unique_ptr<void, GFree> owned(buf);
  if (rc) return fail("corrupt", "encoding failed");
  std::string bytes(static_cast<const char*>(buf), len);
  return webp ? without_webp_metadata(bytes) : bytes;
}

// Drops every metadata item (EXIF with GPS, XMP, IPTC, ICC, comments). The savers'
// "strip" option alone is not enough: libvips 8.14 still writes EXIF into WebP.
void remove_metadata(VipsImage* image) {
  gchar** fields = vips_image_get_fields(image);
  for (gchar** f = fields; f && *f; ++f) {
    std::string_view name(*f);
    if (name.starts_with("exif-") || name.starts_with("xmp-") || name.starts_with("iptc-") ||
        name.starts_with("icc-") || name.starts_with("jpeg-") || name.starts_with("png-") ||
        name.starts_with("gif-") || name.starts_with("webp-") || name == "orientation")
      vips_image_remove(image, *f);
  }
  g_strfreev(fields);
}

}  // namespace

void init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("verbund")) throw std::runtime_error("libvips failed to start");
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    // Only the loaders we accept matter, but a sniffing loader must never reach
    // ImageMagick, MATLAB or other large, less audited decoders.
    vips_block_untrusted_set(TRUE);
    // libvips reports every broken upload as a GLib warning on stderr; the handler
    // logs the refusal itself, in the structured log.
    g_log_set_handler(
        "VIPS", G_LOG_LEVEL_WARNING, [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {},
        nullptr);
  });
}

std::string sniff_format(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("\xFF\xD8\xFF")) return "jpeg";
  if (starts("\x89PNG\r\n\x1A\n")) return "png";
  if (starts("GIF87a") || starts("GIF89a")) return "gif";
  if (starts("RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") return "webp";
  std::string_view head = b.substr(0, 1024);
  if (head.find("<svg") != std::string_view::npos || head.find("<SVG") != std::string_view::npos)
    return "svg";
  return "";
}

const std::vector<std::string>& variant_names(Purpose purpose) {
  static const auto names = [](Purpose p) {
    std::vector<std::string> out;
    for (const auto& s : sizes(p)) {
      out.push_back(std::to_string(s.width) + ".jpg");
      out.push_back(std::to_string(s.width) + ".webp");
    }
    return out;
  };
  static const std::vector<std::string> logo = names(Purpose::logo);
  static const std::vector<std::string> cover = names(Purpose::cover);
  static const std::vector<std::string> gallery = names(Purpose::gallery);
  if (purpose == Purpose::gallery) return gallery;
  return purpose == Purpose::logo ? logo : cover;
}

Result<Processed> process_image(std::string_view bytes, Purpose purpose) {
  init();
  if (bytes.empty()) return make_error("empty", "no file");
  if (bytes.size() > kMaxImageBytes) return make_error("too_large", "file too large");
  std::string format = sniff_format(bytes);
  if (format == "svg") return make_error("svg", "SVG refused");
  if (format.empty()) return make_error("format", "not JPEG, PNG, WebP or GIF");

  // The header alone says how large the picture claims to be; nothing is decoded yet.
  ImagePtr header(vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access",
                                             VIPS_ACCESS_SEQUENTIAL, nullptr));
  if (!header) return fail("corrupt", "header does not decode");
  Processed result;
  result.source_width = vips_image_get_width(header.get());
  result.source_height = vips_image_get_height(header.get());
  header.reset();
  if (result.source_width <= 0 || result.source_height <= 0 || result.source_width > kMaxSide ||
      result.source_height > kMaxSide ||
      static_cast<long>(result.source_width) * result.source_height > kMaxPixels)
    return fail("dimensions", "too many pixels");

  const auto& wanted = sizes(purpose);
  const VipsInteresting crop =
      purpose == Purpose::cover ? VIPS_INTERESTING_CENTRE : VIPS_INTERESTING_NONE;
  // Decode once, shrinking while loading where the format allows (JPEG, WebP), and fail
  // on truncated or broken data instead of padding it with grey.
  VipsImage* out = nullptr;
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &out, wanted[0].width,
                            "height", wanted[0].height, "size", VIPS_SIZE_DOWN, "crop", crop,
                            "option_string", "fail_on=error", nullptr))
    return fail("corrupt", "does not decode");
  ImagePtr largest(out);
  // Materialise it: every variant reads from it.
  ImagePtr memory(vips_image_copy_memory(largest.get()));
  if (!memory) return fail("corrupt", "does not decode");
  largest.reset();
  remove_metadata(memory.get());

  for (std::size_t i = 0; i < wanted.size(); ++i) {
    ImagePtr scaled;
    VipsImage* image = memory.get();
    if (i > 0) {
      VipsImage* small = nullptr;
      if (vips_thumbnail_image(memory.get(), &small, wanted[i].width, "height", wanted[i].height,
                               "size", VIPS_SIZE_DOWN, "crop", crop, nullptr))
        return fail("corrupt", "resize failed");
      scaled.reset(small);
      image = small;
    }
    for (bool webp : {false, true}) {
      auto encoded = save(image, webp);
      if (!encoded) return encoded.error();
      result.variants.push_back(
          {std::to_string(wanted[i].width) + (webp ? ".webp" : ".jpg"), std::move(*encoded)});
    }
  }
  return result;
}

}  // namespace verbund::media
