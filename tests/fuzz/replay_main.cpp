// Runs the fuzz target without libFuzzer: every file given (the feed corpus) in every
// mode, then a fixed number of deterministic mutations of them (splicing in markup,
// entities, control bytes and truncations), so that `make test` exercises the target on
// every build. Usage: verbund_fuzz_replay ITERATIONS FILE...
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

namespace {

void run(std::string_view mode_and_input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(mode_and_input.data()),
                         mode_and_input.size());
}

const char* kSplices[] = {"<script>alert(1)</script>",
                          "&lt;script&gt;",
                          "<img src=x onerror=alert(1)>",
                          "<a href=\"javascript:alert(1)\">x</a>",
                          "&#x3c;script&#x3e;",
                          "JaVaScRiPt:",
                          "<![CDATA[",
                          "]]>",
                          "<!ENTITY a \"b\">",
                          "&amp;lt;b&amp;gt;",
                          "\xff\xfe",
                          "\xc3",
                          "\0",
                          "<",
                          "&",
                          "#",
                          "<svg onload=alert(1)>",
                          "java\nscript:",
                          "<p>",
                          "</item>",
                          "<item>",
                          "<entry>",
                          "\"",
                          "'",
                          "&nbsp;",
                          "&#0;",
                          "&#xD800;",
                          "xml:base=\"javascript:x/\"",
                          "href=\"//evil.example/\""};

}  // namespace

// Seeds of every format for when no corpus is given.
const char* kBuiltinSeeds[] = {
    "<rss version=\"2.0\"><channel><title>T</title><item><title>A &amp; B</title>"
    "<link>/a</link><description>&lt;p&gt;Hallo #Ehrenamt&lt;/p&gt;</description></item></channel></rss>",
    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://x.example/\"><entry><id>1</id>"
    "<link href=\"e\"/><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
    "<p>x<img src=\"i.png\"/></p></div></content></entry></feed>",
    "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"1\","
    "\"content_html\":\"<b>x</b>\",\"url\":\"/p\"}]}",
    "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed/\"></head></html>",
    "Mon, 30 Nov 2026 09:15:00 +0100"};

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s ITERATIONS [FILE...]\n", argv[0]);
    return 2;
  }
  long iterations = std::strtol(argv[1], nullptr, 10);
  std::vector<std::string> seeds;
  for (const char* seed : kBuiltinSeeds) seeds.emplace_back(seed);
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    seeds.push_back(s.str());
  }
  for (const auto& seed : seeds) {
    for (char mode = 0; mode < 5; ++mode) run(std::string(1, mode) + seed);
  }
  std::mt19937 rng(20261202);
  for (long i = 0; i < iterations; ++i) {
    std::string s = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      std::size_t at = rng() % s.size();
      switch (rng() % 5) {
        case 0:
          s.insert(at, kSplices[rng() % (sizeof kSplices / sizeof *kSplices)]);
          break;
        case 1:
          s.erase(at, rng() % 64);
          break;
        case 2:
          s[at] = static_cast<char>(rng());
          break;
        case 3:
          s.resize(at);
          break;
        default:
          s.insert(at, s.substr(rng() % s.size(), rng() % 256));
      }
    }
    run(std::string(1, static_cast<char>(rng() % 5)) + s);
  }
  std::printf("replayed %zu seeds in 5 modes and %ld mutations: no crash, no markup in text\n",
              seeds.size(), iterations);
  return 0;
}
