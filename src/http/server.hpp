// The HTTP/1.1 server: Beast + Asio coroutines, one coroutine per connection that
// reads, hands the request to a worker thread, and writes, in a visible loop.
//
// Limits: header bytes (431), body bytes per route (413), a deadline for receiving a
// request's header (slow clients are cut off without holding a worker), an idle
// timeout between keep-alive requests, a write timeout. Malformed requests get 400.
// request_stop() drains: the listener closes, idle connections close, in-flight
// requests finish within the grace period, then run() returns. When accept() fails
// (EMFILE: out of file descriptors) the listener backs off from 50 ms up to 1 s and
// warns at most every 10 s, while the open connections go on being served.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/ip_address.hpp"
#include "http/message.hpp"

namespace verbund::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  int io_threads = 1;
  int workers = 4;
  std::size_t header_limit = 8 * 1024;
  std::chrono::seconds read_header_timeout{10};
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds body_timeout{60};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds shutdown_grace{10};
  // Peers whose X-Forwarded-For / Forwarded name the client (Request::remote_addr).
  std::vector<core::IpRange> trusted_proxies;
};

// What the transport asks the application once a request's header has arrived.
struct RoutePlan {
  std::size_t body_limit = 1024 * 1024;
  bool run_inline = false;  // true only for handlers that never block (static files)
};

struct Dispatch {
  std::function<RoutePlan(Method, std::string_view path)> plan;
  // Optional, on the I/O thread: answers from a cache without the hop to a worker.
  // Returns true when `out` holds the response. Must not block.
  std::function<bool(Request&, Response& out)> cached;
  // Must not throw; runs on a worker thread unless the plan says inline.
  std::function<Response(Request&)> handle;
  // Called after the response was written (for metrics).
  std::function<void(const Request&, int status, double seconds)> done;
};

class Server {
 public:
  Server(ServerOptions options, Dispatch dispatch);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; throws std::runtime_error with the reason on failure.
  void bind();
  uint16_t port() const;
  // Serves until request_stop() (or SIGTERM/SIGINT when handle_signals) and the drain end.
  void run(bool handle_signals = true);
  // Thread-safe; begins the graceful drain.
  void request_stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace verbund::http
