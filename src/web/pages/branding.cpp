// The federation's own look: its accent colour as a small stylesheet (the CSP allows no
// inline styles) and its logo file, both from the configuration.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "web/app.hpp"

namespace verbund::web::pages {

namespace {
constexpr std::size_t kLogoMaxBytes = 1 << 20;

// The colour with each channel scaled (the darker shade for hover and the header).
std::string scaled(const std::string& hex, double f) {
  char out[8];
  int c[3];
  for (int i = 0; i < 3; ++i)
    c[i] = static_cast<int>(std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16) * f);
  std::snprintf(out, sizeof out, "#%02x%02x%02x", c[0], c[1], c[2]);
  return out;
}
}  // namespace

http::Response theme_css(Context& ctx) {
  const auto& accent = ctx.app.config().accent_color;
  if (accent.empty()) return http::Response::text(404, "Not Found\n");
  http::Response r;
  r.set_header("Content-Type", "text/css; charset=utf-8");
  // The URL carries the colour: a new colour is a new URL.
  r.set_header("Cache-Control", "public, max-age=31536000, immutable");
  r.body = ":root { --brand: " + accent + "; --brand-dark: " + scaled(accent, 0.7) + "; }\n";
  return r;
}

http::Response logo(Context& ctx) {
  const auto& file = ctx.app.config().logo_file;
  if (file.empty()) return http::Response::text(404, "Not Found\n");
  std::ifstream in(file, std::ios::binary);
  std::ostringstream data;
  if (in) data << in.rdbuf();
  std::string body = data.str();
  if (!in || body.empty() || body.size() > kLogoMaxBytes)
    return http::Response::text(404, "Not Found\n");
  http::Response r;
  std::string ext = file.substr(file.rfind('.') + 1);
  r.set_header("Content-Type", ext == "png"    ? "image/png"
                               : ext == "webp" ? "image/webp"
                                               : "image/jpeg");
  r.set_header("Cache-Control", "public, max-age=3600");
  r.body = std::move(body);
  return r;
}

}  // namespace verbund::web::pages
