#include "media/image.hpp"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <memory>

using verbund::media::process_image;
using verbund::media::Purpose;
using verbund::media::sniff_format;

namespace {

// A test picture made by libvips itself: width × height, three bands (four with alpha),
// saved as `format` ("png", "jpeg", "webp", "gif"). `exif` adds camera metadata.
std::string make_image(int width, int height, const std::string& format, bool alpha = false,
                       bool exif = false) {
  verbund::media::init();
  VipsImage* black = nullptr;
  EXPECT_EQ(vips_black(&black, width, height, "bands", alpha ? 4 : 3, nullptr), 0);
  VipsImage* img = nullptr;
  EXPECT_EQ(vips_linear1(black, &img, 1.0, 120.0, "uchar", TRUE, nullptr), 0);
  g_object_unref(black);
  if (exif) {
    vips_image_set_string(img, "exif-ifd0-Make", "Secret Camera Maker");
    vips_image_set_string(img, "exif-ifd0-ImageDescription", "Home address 52.5200 13.4050");
  }
  void* buf = nullptr;
  size_t len = 0;
  int rc = -1;
  if (format == "png") rc = vips_pngsave_buffer(img, &buf, &len, nullptr);
  if (format == "jpeg") rc = vips_jpegsave_buffer(img, &buf, &len, nullptr);
  if (format == "webp") rc = vips_webpsave_buffer(img, &buf, &len, nullptr);
  if (format == "gif") rc = vips_gifsave_buffer(img, &buf, &len, nullptr);
  g_object_unref(img);
  EXPECT_EQ(rc, 0) << vips_error_buffer();
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

int decoded_width(const std::string& bytes) {
  VipsImage* img = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
  if (!img) return -1;
  int w = vips_image_get_width(img);
  g_object_unref(img);
  return w;
}

}  // namespace

TEST(Image, SniffsByBytesNotName) {
  EXPECT_EQ(sniff_format(make_image(4, 4, "png")), "png");
  EXPECT_EQ(sniff_format(make_image(4, 4, "jpeg")), "jpeg");
  EXPECT_EQ(sniff_format(make_image(4, 4, "webp")), "webp");
  EXPECT_EQ(sniff_format(make_image(4, 4, "gif")), "gif");
  EXPECT_EQ(sniff_format("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            "svg");
  EXPECT_EQ(sniff_format("%PDF-1.7\n"), "");
}

TEST(Image, EveryAcceptedFormatBecomesJpegAndWebpInFixedSizes) {
  for (const char* format : {"png", "jpeg", "webp", "gif"}) {
    auto done = process_image(make_image(900, 600, format), Purpose::logo);
    ASSERT_TRUE(done.ok()) << format << ": " << done.error().message;
    EXPECT_EQ(done->source_width, 900);
    ASSERT_EQ(done->variants.size(), 4u);
    for (const auto& v : done->variants) {
      bool webp = v.name.ends_with(".webp");
      EXPECT_EQ(sniff_format(v.bytes), webp ? "webp" : "jpeg") << v.name;
      EXPECT_EQ(decoded_width(v.bytes), v.name.starts_with("320") ? 320 : 160) << v.name;
    }
  }
}

TEST(Image, SmallImagesAreNotEnlargedAndCoversAreCropped) {
  auto small = process_image(make_image(100, 50, "png"), Purpose::logo);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(decoded_width(small->variants[0].bytes), 100);
  auto cover = process_image(make_image(2000, 2000, "jpeg"), Purpose::cover);
  ASSERT_TRUE(cover.ok());
  VipsImage* img = vips_image_new_from_buffer(cover->variants[0].bytes.data(),
                                              cover->variants[0].bytes.size(), "", nullptr);
  ASSERT_NE(img, nullptr);
  EXPECT_EQ(vips_image_get_width(img), 1600);
  EXPECT_EQ(vips_image_get_height(img), 600);
  g_object_unref(img);
}

TEST(Image, CameraMetadataIsRemoved) {
  std::string input = make_image(400, 300, "jpeg", false, true);
  ASSERT_NE(input.find("Secret Camera Maker"), std::string::npos) << "test input lacks EXIF";
  auto done = process_image(input, Purpose::logo);
  ASSERT_TRUE(done.ok());
  for (const auto& v : done->variants) {
    EXPECT_EQ(v.bytes.find("Secret Camera Maker"), std::string::npos) << v.name;
    EXPECT_EQ(v.bytes.find("Exif"), std::string::npos) << v.name;
  }
}

TEST(Image, TransparentLogoIsFlattenedForJpeg) {
  auto done = process_image(make_image(200, 200, "png", true), Purpose::logo);
  ASSERT_TRUE(done.ok()) << done.error().message;
}

TEST(Image, RefusesWhatIsNotAnAcceptedImage) {
  EXPECT_EQ(process_image("", Purpose::logo).error().code, "empty");
  EXPECT_EQ(process_image("%PDF-1.4 renamed to logo.png", Purpose::logo).error().code, "format");
  EXPECT_EQ(
      process_image("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>", Purpose::logo)
          .error()
          .code,
      "svg");
  EXPECT_EQ(process_image(std::string(verbund::media::kMaxImageBytes + 1, 'x'), Purpose::logo)
                .error()
                .code,
            "too_large");
  std::string png = make_image(300, 300, "png");
  EXPECT_EQ(process_image(png.substr(0, png.size() / 2), Purpose::logo).error().code, "corrupt");
  std::string jpeg = make_image(300, 300, "jpeg");
  EXPECT_EQ(process_image(jpeg.substr(0, 40), Purpose::logo).error().code, "corrupt");
}

TEST(Image, HugeCanvasIsRefusedBeforeDecoding) {
  // 13,000 × 13,000 grey pixels compress to a small file: a decompression bomb.
  std::string bomb = make_image(13000, 4, "png");
  EXPECT_EQ(process_image(bomb, Purpose::logo).error().code, "dimensions");
}
