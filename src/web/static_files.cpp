#include "web/static_files.hpp"

#include <map>
#include <stdexcept>

#include "core/random.hpp"
#include "core/resources.hpp"

namespace verbund::web::static_files {
namespace {

struct Asset {
  std::string_view data;
  std::string content_type;
  std::string etag;
};

std::map<std::string, Asset, std::less<>> g_by_hashed;
std::map<std::string, std::string, std::less<>> g_url;

std::string type_for(std::string_view path) {
  auto dot = path.rfind('.');
  auto ext = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

void load() {
  g_by_hashed.clear();
  g_url.clear();
  for (const auto& r : resources::under("static/")) {
    std::string path(r.path.substr(7));
    std::string hash = random::sha256_hex(r.data).substr(0, 12);
    auto dot = path.rfind('.');
    std::string hashed = dot == std::string::npos
                             ? path + "." + hash
                             : path.substr(0, dot) + "." + hash + path.substr(dot);
    g_by_hashed[hashed] = Asset{r.data, type_for(path), "\"" + hash + "\""};
    g_url[path] = "/static/" + hashed;
  }
}

std::string url_for(std::string_view path) {
  auto it = g_url.find(path);
  if (it == g_url.end()) throw std::invalid_argument("unknown static file " + std::string(path));
  return it->second;
}

http::Response serve(const http::Request& req, std::string_view hashed_path) {
  auto it = g_by_hashed.find(hashed_path);
  if (it == g_by_hashed.end()) return http::Response::text(404, "Not Found\n");
  const auto& a = it->second;
  http::Response r;
  r.set_header("ETag", a.etag);
  r.set_header("Cache-Control", "public, max-age=31536000, immutable");
  if (req.header("if-none-match") == a.etag) {
    r.status = 304;
    return r;
  }
  r.set_header("Content-Type", a.content_type);
  r.body = std::string(a.data);
  return r;
}

}  // namespace verbund::web::static_files
