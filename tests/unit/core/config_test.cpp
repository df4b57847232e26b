#include "core/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using verbund::core::load_config;

namespace {

std::string write_temp(const std::string& text) {
  char name[] = "/tmp/verbund-config-XXXXXX";
  int fd = mkstemp(name);
  close(fd);
  std::ofstream(name) << text;
  return name;
}

}  // namespace

TEST(Config, DefaultsServeLoopbackAndDataFolder) {
  auto c = load_config("", {}, nullptr);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen_host, "127.0.0.1");
  EXPECT_EQ(c->listen_port, 8080);
  EXPECT_EQ(c->database_path(), "./data/verbund.db");
  EXPECT_EQ(c->header_limit_bytes, 8192);
  EXPECT_EQ(c->body_limit_bytes, 1024 * 1024);
}

TEST(Config, EnvironmentOverridesFileAndFlagsOverrideEnvironment) {
  auto file =
      write_temp("listen = \"127.0.0.1:9000\"\nworkers = 3\n[smtp]\nhost = \"mail.example\"\n");
  std::string e1 = "VERBUND_WORKERS=5", e2 = "VERBUND_DATA_DIR=/tmp/x";
  char* env[] = {e1.data(), e2.data(), nullptr};
  auto c = load_config(file, {{"workers", "7"}}, env);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->listen_port, 9000);
  EXPECT_EQ(c->workers, 7);
  EXPECT_EQ(c->data_dir, "/tmp/x");
  EXPECT_EQ(c->smtp.host, "mail.example");
  EXPECT_EQ(c->database_path(), "/tmp/x/verbund.db");
  std::remove(file.c_str());
}

TEST(Config, InvalidValueNamesKeyAndProblem) {
  auto file = write_temp("[limits]\nbody_bytes = \"lots\"\n");
  auto c = load_config(file, {}, nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("limits.body_bytes"), std::string::npos);
  EXPECT_NE(c.error().message.find("whole number"), std::string::npos);
  std::remove(file.c_str());
}

TEST(Config, UnknownKeyIsRefused) {
  auto c = load_config("", {{"listn", "127.0.0.1:1"}}, nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("unknown configuration key 'listn'"), std::string::npos);
}

TEST(Config, UnknownEnvironmentVariableIsRefused) {
  std::string e = "VERBUND_LISTN=1";
  char* env[] = {e.data(), nullptr};
  auto c = load_config("", {}, env);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("VERBUND_LISTN"), std::string::npos);
}

TEST(Config, ListenNeedsHostAndPort) {
  EXPECT_FALSE(load_config("", {{"listen", "8080"}}, nullptr).ok());
  EXPECT_FALSE(load_config("", {{"listen", "127.0.0.1:99999"}}, nullptr).ok());
  auto c = load_config("", {{"listen", "[::1]:0"}}, nullptr);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen_host, "::1");
  EXPECT_EQ(c->listen_port, 0);
}

TEST(Config, TomlSyntaxErrorNamesLine) {
  auto file = write_temp("workers = 2\nlisten = \n");
  auto c = load_config(file, {}, nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("line 2"), std::string::npos) << c.error().message;
  std::remove(file.c_str());
}

TEST(Config, UploadLimitMustNotBeBelowBodyLimit) {
  auto c = load_config("", {{"limits.body_bytes", "2000000"}, {"limits.upload_bytes", "1048576"}},
                       nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("limits.upload_bytes"), std::string::npos);
}
