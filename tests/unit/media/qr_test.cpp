#include "media/qr.hpp"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "media/image.hpp"

// The code must scan: render the SVG with libvips and read it back with zbarimg
// (Debian zbar-tools, installed by scripts/install-deps).
TEST(Qr, ScansBackToTheProfileAddress) {
  const std::string url = "https://verbund.example/organisationen/familienzentrum-loewenzahn-e-v";
  auto svg = verbund::media::qr_svg(url);
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->find("organisationen"), std::string::npos);  // only numbers in the SVG
  verbund::media::init();
  VipsImage* image = nullptr;
  // The server blocks libvips' untrusted loaders (SVG among them); the test needs one.
  vips_block_untrusted_set(FALSE);
  int rc_load = vips_svgload_buffer(svg->data(), svg->size(), &image, "scale", 6.0, nullptr);
  vips_block_untrusted_set(TRUE);
  ASSERT_EQ(rc_load, 0) << vips_error_buffer();
  std::string path = ::testing::TempDir() + "verbund-qr-test.png";
  ASSERT_EQ(vips_pngsave(image, path.c_str(), nullptr), 0);
  g_object_unref(image);
  FILE* p = ::popen(("zbarimg -q --raw " + path + " 2>/dev/null").c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  int rc = ::pclose(p);
  EXPECT_EQ(rc, 0) << "zbarimg missing or could not read the code";
  EXPECT_EQ(out, url + "\n");
  std::remove(path.c_str());
}

TEST(Qr, RefusesTextThatDoesNotFit) {
  EXPECT_EQ(verbund::media::qr_svg(std::string(5000, 'x')).error().code, "too_long");
}
