#include "media/demo_pictures.hpp"

#include <vips/vips.h>

#include <memory>
#include <vector>

#include "media/image.hpp"

namespace verbund::media {

namespace {

struct Unref {
  void operator()(VipsImage* i) const { g_object_unref(i); }
};
using Image = std::unique_ptr<VipsImage, Unref>;

struct Palette {
  double from[3], to[3], circle[3];
};
// Dark enough behind white text (contrast above 4.5:1 at the text's place).
constexpr Palette kPalettes[] = {
    {{20, 83, 45}, {21, 128, 61}, {134, 239, 172}},
    {{30, 58, 138}, {37, 99, 235}, {147, 197, 253}},
    {{127, 29, 29}, {185, 28, 28}, {252, 165, 165}},
    {{88, 28, 135}, {126, 34, 206}, {216, 180, 254}},
    {{124, 45, 18}, {194, 65, 12}, {253, 186, 116}},
    {{19, 78, 74}, {15, 118, 110}, {94, 234, 212}},
    {{49, 46, 129}, {67, 56, 202}, {165, 180, 252}},
    {{113, 63, 18}, {161, 98, 7}, {253, 224, 71}},
};

Error fail(const char* what) {
  vips_error_clear();
  return make_error("demo_picture", what);
}

}  // namespace

Result<std::string> demo_picture(int motif, std::string_view caption) {
  init();
  const int w = 1200, h = 675;
  const Palette& p =
      kPalettes[static_cast<unsigned>(motif) % (sizeof kPalettes / sizeof *kPalettes)];
  // A diagonal gradient: t = (x + y) / (w + h), each band from + t * (to - from).
  VipsImage* xyz = nullptr;
  if (vips_xyz(&xyz, w, h, nullptr)) return fail("xyz");
  Image coords(xyz);
  VipsImage* sum = nullptr;
  {
    VipsImage* x = nullptr;
    VipsImage* y = nullptr;
    if (vips_extract_band(coords.get(), &x, 0, nullptr)) return fail("band");
    Image xi(x);
    if (vips_extract_band(coords.get(), &y, 1, nullptr)) return fail("band");
    Image yi(y);
    if (vips_add(xi.get(), yi.get(), &sum, nullptr)) return fail("add");
  }
  Image t(sum);
  std::vector<Image> bands;
  for (int b = 0; b < 3; ++b) {
    VipsImage* band = nullptr;
    double scale = (p.to[b] - p.from[b]) / (w + h);
    if (vips_linear1(t.get(), &band, scale, p.from[b], nullptr)) return fail("linear");
    bands.emplace_back(band);
  }
  VipsImage* joined = nullptr;
  VipsImage* in[3] = {bands[0].get(), bands[1].get(), bands[2].get()};
  if (vips_bandjoin(in, &joined, 3, nullptr)) return fail("join");
  Image rgb_float(joined);
  VipsImage* cast = nullptr;
  if (vips_cast_uchar(rgb_float.get(), &cast, nullptr)) return fail("cast");
  Image rgb(cast);
  Image canvas(vips_image_copy_memory(rgb.get()));
  if (!canvas) return fail("memory");
  vips_image_set_int(canvas.get(), "interpretation", VIPS_INTERPRETATION_sRGB);
  // Circles in the lighter colour, placed by the motif.
  double ink[3] = {p.circle[0], p.circle[1], p.circle[2]};
  for (int i = 0; i < 4; ++i) {
    int cx = (motif * 173 + i * 311) % w;
    int cy = (motif * 97 + i * 157) % (h / 2);
    int r = 40 + (motif * 31 + i * 53) % 110;
    if (vips_draw_circle(canvas.get(), ink, 3, cx, cy, r, "fill", TRUE, nullptr))
      return fail("circle");
  }
  Image result(canvas.release());
  // The caption, where Pango finds a font.
  if (!caption.empty()) {
    VipsImage* text = nullptr;
    gchar* escaped = g_markup_escape_text(caption.data(), static_cast<gssize>(caption.size()));
    std::string markup(escaped);
    g_free(escaped);
    if (vips_text(&text, markup.c_str(), "font", "DejaVu Sans Bold 64", "width", 1040, "dpi", 72,
                  nullptr) == 0) {
      Image mask(text);
      VipsImage* placed = nullptr;
      int tw = vips_image_get_width(mask.get());
      int th = vips_image_get_height(mask.get());
      if (tw > 0 && th > 0 && th < h &&
          vips_embed(mask.get(), &placed, 80, h - th - 80, w, h, nullptr) == 0) {
        Image alpha(placed);
        double white[3] = {255, 255, 255};
        VipsImage* white_img = nullptr;
        VipsImage* blended = nullptr;
        if (vips_black(&white_img, w, h, "bands", 3, nullptr) == 0) {
          Image black(white_img);
          VipsImage* lit = nullptr;
          double zero[3] = {0, 0, 0};
          if (vips_linear(black.get(), &lit, zero, white, 3, nullptr) == 0) {
            Image whites(lit);
            if (vips_ifthenelse(alpha.get(), whites.get(), result.get(), &blended, "blend", TRUE,
                                nullptr) == 0) {
              Image b(blended);
              VipsImage* c8 = nullptr;
              if (vips_cast_uchar(b.get(), &c8, nullptr) == 0) result.reset(c8);
            }
          }
        }
      }
    }
    vips_error_clear();  // no font: the picture without its caption
  }
  void* buf = nullptr;
  size_t len = 0;
  if (vips_pngsave_buffer(result.get(), &buf, &len, "compression", 6, nullptr)) return fail("png");
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

}  // namespace verbund::media
