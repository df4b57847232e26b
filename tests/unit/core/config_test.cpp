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

TEST(Config, TrustedProxiesFromFlagEnvironmentAndToml) {
  auto c = load_config("", {{"trusted_proxies", "127.0.0.1/32,::1/128, 10.0.0.0/8"}}, nullptr);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->trusted_proxies.size(), 3u);
  EXPECT_EQ(c->trusted_proxies[0].to_string(), "127.0.0.1/32");
  EXPECT_EQ(c->trusted_proxies[1].to_string(), "::1/128");
  EXPECT_EQ(c->trusted_proxies[2].to_string(), "10.0.0.0/8");

  std::string e = "VERBUND_TRUSTED_PROXIES=192.0.2.10";
  char* env[] = {e.data(), nullptr};
  c = load_config("", {}, env);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->trusted_proxies.size(), 1u);
  EXPECT_EQ(c->trusted_proxies[0].to_string(), "192.0.2.10/32");

  auto file = write_temp("trusted_proxies = [\"127.0.0.1/32\", \"fd00::/8\"]\n");
  c = load_config(file, {}, nullptr);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->trusted_proxies.size(), 2u);
  EXPECT_EQ(c->trusted_proxies[1].to_string(), "fd00::/8");
  std::remove(file.c_str());

  file = write_temp("trusted_proxies = \"10.0.0.0/8,10.1.0.0/16\"\n");
  c = load_config(file, {}, nullptr);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->trusted_proxies.size(), 2u);
  std::remove(file.c_str());
}

TEST(Config, InvalidTrustedProxiesStopStartUpNamingTheKey) {
  for (const char* bad : {"localhost", "10.0.0.0/33", "10.0.0.1/8", "127.0.0.1,", "::1/129",
                          "1.2.3.4 5.6.7.8", "nginx.internal/32"}) {
    auto c = load_config("", {{"trusted_proxies", bad}}, nullptr);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.error().message.find("'trusted_proxies'"), std::string::npos) << c.error().message;
    EXPECT_NE(c.error().message.find(bad), std::string::npos) << c.error().message;
  }
  auto c = load_config("", {{"trusted_proxies", "10.0.0.1/8"}}, nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("10.0.0.0/8"), std::string::npos) << c.error().message;

  std::string e = "VERBUND_TRUSTED_PROXIES=nope";
  char* env[] = {e.data(), nullptr};
  c = load_config("", {}, env);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("VERBUND_TRUSTED_PROXIES"), std::string::npos);

  auto file = write_temp("trusted_proxies = [\"127.0.0.1\", 8]\n");
  c = load_config(file, {}, nullptr);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("trusted_proxies"), std::string::npos) << c.error().message;
  std::remove(file.c_str());
}

TEST(Config, BehindProxyWithoutTrustedProxiesTrustsLoopbackOnly) {
  auto none = load_config("", {}, nullptr);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->client_proxies().empty());

  auto c = load_config("", {{"behind_proxy", "true"}}, nullptr);
  ASSERT_TRUE(c.ok());
  auto r = c->client_proxies();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].to_string(), "127.0.0.0/8");
  EXPECT_EQ(r[1].to_string(), "::1/128");

  auto explicit_list =
      load_config("", {{"behind_proxy", "true"}, {"trusted_proxies", "10.0.0.0/8"}}, nullptr);
  ASSERT_TRUE(explicit_list.ok());
  ASSERT_EQ(explicit_list->client_proxies().size(), 1u);
  EXPECT_EQ(explicit_list->client_proxies()[0].to_string(), "10.0.0.0/8");

  // trusted_proxies alone is enough for the client address (behind_proxy is about
  // X-Forwarded-Proto).
  auto alone = load_config("", {{"trusted_proxies", "127.0.0.1"}}, nullptr);
  ASSERT_TRUE(alone.ok());
  EXPECT_FALSE(alone->behind_proxy);
  EXPECT_EQ(alone->client_proxies().size(), 1u);
}
