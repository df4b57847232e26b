#include "media/qr.hpp"

#include <qrencode.h>

#include <memory>

namespace verbund::media {

namespace {
struct QrFree {
  void operator()(QRcode* q) const { QRcode_free(q); }
};
constexpr int kQuietZone = 4;
}  // namespace

Result<std::string> qr_svg(std::string_view text) {
  std::string input(text);
  std::unique_ptr<QRcode, QrFree> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) return make_error("too_long", "text does not fit a QR code");
  const int n = code->width;
  const int size = n + 2 * kQuietZone;
  // Only numbers go into this document: the encoded text appears nowhere in it.
  std::string path;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (!(code->data[y * n + x] & 1)) continue;
      int run = 1;  // merge dark modules in a row into one rectangle
      while (x + run < n && (code->data[y * n + x + run] & 1)) ++run;
      path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run - 1;
    }
  }
  std::string s = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + s + "\" height=\"" + s +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
}

}  // namespace verbund::media
