#include "http/server.hpp"

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/log.hpp"
#include "core/random.hpp"
#include "http/client_addr.hpp"

namespace verbund::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

Method to_method(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get:
      return Method::get;
    case bhttp::verb::head:
      return Method::head;
    case bhttp::verb::post:
      return Method::post;
    case bhttp::verb::put:
      return Method::put;
    case bhttp::verb::patch:
      return Method::patch;
    case bhttp::verb::delete_:
      return Method::del;
    case bhttp::verb::options:
      return Method::options;
    default:
      return Method::other;
  }
}

// accept() failing (EMFILE, ENFILE, ENOBUFS) fails again at once while the pending
// connection waits in the backlog: without a pause the loop spins a core and logs
// without end. Wait, doubling from the first to the last delay, and warn at most once
// per interval with the number of failures in between.
constexpr std::chrono::milliseconds kAcceptBackoffFirst{50};
constexpr std::chrono::milliseconds kAcceptBackoffLast{1000};
constexpr std::chrono::seconds kAcceptWarnEvery{10};

// The client address of a request: the peer, or what a trusted proxy forwarded.
std::string client_of(const Request& req, std::string_view peer,
                      const std::vector<core::IpRange>& trusted) {
  std::vector<std::string_view> xff, forwarded;
  if (!trusted.empty()) {
    for (const auto& [k, v] : req.headers) {
      if (k == "x-forwarded-for")
        xff.push_back(v);
      else if (k == "forwarded")
        forwarded.push_back(v);
    }
  }
  return client_address(peer, xff, forwarded, trusted);
}

// One connection's state that the drain needs to see from outside its coroutine.
struct Connection {
  asio::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;
  std::atomic<bool> idle{true};
};

}  // namespace

// Runs `fn` on the worker pool and completes on `home` (the connection's executor).
// The completion is posted there directly: left to co_spawn, it queued behind the pool's
// other work, so a quick answer waited until every queued handler had run.
template <typename Token>
auto run_on_pool(asio::thread_pool& pool, asio::any_io_executor home, std::function<Response()> fn,
                 Token&& token) {
  return asio::async_initiate<Token, void(std::exception_ptr, Response)>(
      [&pool, home](auto handler, std::function<Response()> fn) {
        auto work = asio::make_work_guard(home);  // the I/O loop waits for us
        asio::post(pool, [handler = std::move(handler), fn = std::move(fn), home,
                          work = std::move(work)]() mutable {
          std::exception_ptr error;
          Response res;
          try {
            res = fn();
          } catch (...) {
            error = std::current_exception();
          }
          asio::post(home, [handler = std::move(handler), error, res = std::move(res),
                            work = std::move(work)]() mutable {
            std::move(handler)(error, std::move(res));
          });
        });
      },
      token, std::move(fn));
}

// RFC 9112 §6.3: a Transfer-Encoding other than a final "chunked" cannot be framed and
// invites request smuggling; §3.2: HTTP/1.1 requests carry exactly one Host.
bool well_framed(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& h = parser.get();
  auto te = h.find(bhttp::field::transfer_encoding);
  if (te != h.end()) {
    std::string v(te->value());
    for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (v != "chunked" || h.count(bhttp::field::transfer_encoding) > 1) return false;
  }
  if (h.version() >= 11 && h.count(bhttp::field::host) != 1) return false;
  // §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
  if (h.version() < 11 && te != h.end()) return false;
  return true;
}

enum class RawHeader { complete, folded, too_large, timeout, closed };

// Reads until the buffer holds a whole request header (or a bare-LF end, left to the
// parser to refuse) and looks at it for obsolete line folding: a line break followed by
// a space or tab. The parser then reads the header from the buffer without waiting.
awaitable<RawHeader> read_raw_header(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                     std::size_t limit) {
  for (;;) {
    std::string_view bytes(static_cast<const char*>(buffer.data().data()), buffer.size());
    auto end = std::min(bytes.find("\r\n\r\n"), bytes.find("\n\n"));
    std::string_view head = bytes.substr(0, end);
    if (head.find("\n ") != std::string_view::npos || head.find("\n\t") != std::string_view::npos)
      co_return RawHeader::folded;
    if (end != std::string_view::npos) co_return RawHeader::complete;
    if (bytes.size() > limit) co_return RawHeader::too_large;
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), tuple_awaitable);
    if (ec == beast::error::timeout) co_return RawHeader::timeout;
    if (ec) co_return RawHeader::closed;
    buffer.commit(n);
  }
}

struct Server::Impl {
  ServerOptions opt;
  Dispatch dispatch;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  asio::steady_timer drain_timer;
  asio::steady_timer accept_backoff;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::unordered_map<uint64_t, std::shared_ptr<Connection>> connections;
  uint64_t next_id = 0;

  Impl(ServerOptions o, Dispatch d)
      : opt(std::move(o)),
        dispatch(std::move(d)),
        ioc(opt.io_threads),
        workers(static_cast<std::size_t>(opt.workers)),
        acceptor(ioc),
        drain_timer(ioc),
        accept_backoff(ioc) {}

  awaitable<void> accept_loop() {
    auto delay = kAcceptBackoffFirst;
    std::optional<std::chrono::steady_clock::time_point> last_warning;
    uint64_t failures = 0;    // since the last success
    uint64_t suppressed = 0;  // since the last warning
    bool warned = false;      // a warning went out since the last accept_recovered
    while (!stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), tuple_awaitable);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) break;
        ++failures;
        auto now = std::chrono::steady_clock::now();
        if (!last_warning || now - *last_warning >= kAcceptWarnEvery) {
          log::warn("accept_failed", {{"error", ec.message()},
                                      {"suppressed", std::to_string(suppressed)},
                                      {"retry_ms", std::to_string(delay.count())}});
          last_warning = now;
          suppressed = 0;
          warned = true;
        } else {
          ++suppressed;
        }
        // Keep serving the connections we have; try again after a pause.
        accept_backoff.expires_after(delay);
        co_await accept_backoff.async_wait(tuple_awaitable);
        delay = std::min(delay * 2, kAcceptBackoffLast);
        continue;
      }
      if (failures > 0) {
        // The warning clock keeps running: at the edge of the limit accept() may fail
        // and succeed by turns, and each turn must not cost two log lines.
        if (warned) log::info("accept_recovered", {{"failures", std::to_string(failures)}});
        warned = false;
        failures = 0;
        delay = kAcceptBackoffFirst;
      }
      auto ex = socket.get_executor();
      asio::co_spawn(ex, session(std::move(socket)), asio::detached);
    }
  }

  std::shared_ptr<Connection> enroll(beast::tcp_stream& stream, uint64_t& id) {
    auto c = std::make_shared<Connection>();
    c->executor = stream.get_executor();
    c->stream = &stream;
    std::lock_guard lock(mu);
    id = ++next_id;
    connections.emplace(id, c);
    return c;
  }

  void withdraw(uint64_t id) {
    std::lock_guard lock(mu);
    connections.erase(id);
    if (stopping && connections.empty()) asio::post(ioc, [this] { drain_timer.cancel(); });
  }

  static Response plain_error(int status) {
    auto r = Response::text(status, std::string(status_reason(status)) + "\n");
    return r;
  }

  // Writes `res` for a request that cannot be read further, then closes gracefully:
  // the rest of what the client sends is read and dropped for a moment so that the
  // kernel does not reset the connection before the client has read our answer.
  awaitable<void> reject(beast::tcp_stream& stream, beast::flat_buffer& buffer, int status,
                         std::string_view why, std::string_view remote) {
    co_await write_response(stream, plain_error(status), false, false);
    log::info("request_rejected",
              {{"status", std::to_string(status)}, {"why", why}, {"remote", remote}});
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(1));
    std::size_t drained = 0;
    while (drained < (64u << 20)) {
      buffer.clear();
      auto [rec, n] = co_await stream.async_read_some(buffer.prepare(64 * 1024), tuple_awaitable);
      if (rec) break;
      drained += n;
    }
  }

  // Writes the response head and body with one gather write. The head is assembled
  // here rather than through Beast's message and serializer: a header block costs no
  // per-field allocations, and the security headers are one constant string.
  awaitable<std::size_t> write_response(beast::tcp_stream& stream, Response res, bool keep_alive,
                                        bool head) {
    std::string out;
    out.reserve(768 + res.headers.size() * 48);
    out += "HTTP/1.1 ";
    out += std::to_string(res.status);
    out += ' ';
    out += status_reason(res.status);
    out += "\r\n";
    for (const auto& [k, v] : res.headers) {
      if (is_security_header(k)) continue;  // the constant block below has them
      out += k;
      out += ": ";
      // A value never ends the line: CR and LF would let input forge headers.
      for (char ch : v) out += (ch == '\r' || ch == '\n') ? ' ' : ch;
      out += "\r\n";
    }
    out += security_header_block();
    if (res.status != 204 && res.status != 304) {  // these have no body at all
      out += "Content-Length: ";
      out += std::to_string(res.body.size());
      out += "\r\n";
    } else {
      res.body.clear();
    }
    out += keep_alive ? "\r\n" : "Connection: close\r\n\r\n";
    std::size_t bytes = res.body.size();
    std::array<asio::const_buffer, 2> buffers{asio::buffer(out),
                                              asio::buffer(res.body.data(), head ? 0 : bytes)};
    stream.expires_after(opt.write_timeout);
    auto [ec, n] = co_await asio::async_write(stream, buffers, tuple_awaitable);
    if (ec) co_return 0;
    co_return bytes;
  }

  awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    std::string remote;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) {
        auto a = ep.address();
        // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d: log them as a.b.c.d.
        if (a.is_v6() && a.to_v6().is_v4_mapped())
          a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
        remote = a.to_string();
      }
    }
    stream.socket().set_option(tcp::no_delay(true));
    uint64_t id = 0;
    auto conn = enroll(stream, id);
    beast::flat_buffer buffer;
    bool first = true;
    try {
      for (;;) {
        // Between requests: wait for the first byte under the idle timeout. The drain
        // cancels connections that sit here.
        if (buffer.size() == 0) {
          conn->idle = true;
          if (stopping) break;
          stream.expires_after(first ? opt.read_header_timeout : opt.idle_timeout);
          auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), tuple_awaitable);
          if (ec) break;
          buffer.commit(n);
        }
        conn->idle = false;
        first = false;
        auto started = std::chrono::steady_clock::now();

        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(opt.header_limit));
        parser.body_limit(boost::none);
        stream.expires_after(opt.read_header_timeout);
        // Obsolete line folding (RFC 9112 §5.2) is refused, not joined as the parser would
        // join it: "Transfer-Encoding:\r\n chunked" may read differently to a proxy in
        // front. Only the raw bytes show it, so the header is read here until complete.
        auto head = co_await read_raw_header(stream, buffer, opt.header_limit);
        if (head == RawHeader::folded) {
          co_await reject(stream, buffer, 400, "obs_fold", remote);
          break;
        }
        if (head == RawHeader::too_large) {
          co_await reject(stream, buffer, 431, "header_limit", remote);
          break;
        }
        if (head == RawHeader::timeout) {
          log::info("request_timeout", {{"remote", remote}, {"phase", "header"}});
          break;
        }
        if (head == RawHeader::closed) break;
        auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, tuple_awaitable);
        if (hec == bhttp::error::header_limit) {
          co_await reject(stream, buffer, 431, "header_limit", remote);
          break;
        }
        if (hec == beast::error::timeout) {
          log::info("request_timeout", {{"remote", remote}, {"phase", "header"}});
          break;
        }
        if (hec == bhttp::error::end_of_stream || hec == asio::error::eof ||
            hec == asio::error::connection_reset || hec == asio::error::operation_aborted)
          break;
        if (hec) {
          co_await reject(stream, buffer, 400, hec.message(), remote);
          break;
        }

        if (!well_framed(parser)) {
          co_await reject(stream, buffer, 400, "bad_framing_or_host", remote);
          break;
        }
        auto& hdr = parser.get();
        Request req;
        req.method = to_method(hdr.method());
        req.target = std::string(hdr.target());
        auto q = req.target.find('?');
        req.path = url_decode(std::string_view(req.target).substr(0, q), false);
        if (q != std::string::npos) req.query = req.target.substr(q + 1);
        if (req.path.empty() || req.path.front() != '/' ||
            req.path.find('\0') != std::string::npos) {
          co_await reject(stream, buffer, 400, "bad_target", remote);
          break;
        }
        RoutePlan plan = dispatch.plan(req.method, req.path);
        if (hdr.has_content_length() || hdr.chunked()) {
          auto len = parser.content_length();
          if (len && *len > plan.body_limit) {
            co_await reject(stream, buffer, 413, "body_limit", remote);
            break;
          }
          parser.body_limit(plan.body_limit);
          stream.expires_after(opt.body_timeout);
          auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, tuple_awaitable);
          if (bec == bhttp::error::body_limit) {
            co_await reject(stream, buffer, 413, "body_limit", remote);
            break;
          }
          if (bec == beast::error::timeout) {
            log::info("request_timeout", {{"remote", remote}, {"phase", "body"}});
            break;
          }
          if (bec) {
            co_await reject(stream, buffer, 400, bec.message(), remote);
            break;
          }
        }
        auto msg = parser.release();
        req.headers.reserve(16);
        for (const auto& f : msg) {
          std::string name(f.name_string());
          for (auto& ch : name)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          req.headers.emplace_back(std::move(name), std::string(f.value()));
        }
        req.body = std::move(msg.body());
        req.peer_addr = remote;
        req.remote_addr = client_of(req, remote, opt.trusted_proxies);
        req.request_id = random::request_id();
        req.keep_alive = msg.keep_alive();

        Response res;
        if (dispatch.cached && dispatch.cached(req, res)) {
          // answered from the cache
        } else if (plan.run_inline) {
          res = dispatch.handle(req);
        } else {
          res = co_await run_on_pool(
              workers, stream.get_executor(), [&]() { return dispatch.handle(req); },
              use_awaitable);
        }
        bool keep = req.keep_alive && !stopping;
        int status = res.status;
        auto bytes =
            co_await write_response(stream, std::move(res), keep, req.method == Method::head);
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        char dur[32];
        std::snprintf(dur, sizeof dur, "%.6f", seconds);
        // remote: the client; peer: the proxy that forwarded it, when there was one.
        if (req.remote_addr == remote) {
          log::info("request", {{"method", method_name(req.method)},
                                {"path", req.path},
                                {"status", std::to_string(status)},
                                {"bytes", std::to_string(bytes)},
                                {"duration", dur},
                                {"id", req.request_id},
                                {"remote", remote}});
        } else {
          log::info("request", {{"method", method_name(req.method)},
                                {"path", req.path},
                                {"status", std::to_string(status)},
                                {"bytes", std::to_string(bytes)},
                                {"duration", dur},
                                {"id", req.request_id},
                                {"remote", req.remote_addr},
                                {"peer", remote}});
        }
        if (dispatch.done) dispatch.done(req, status, seconds);
        if (!keep) break;
      }
    } catch (const std::exception& e) {
      log::error("connection_failed", {{"error", e.what()}, {"remote", remote}});
    }
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.close();
    withdraw(id);
  }

  void begin_drain() {
    if (stopping.exchange(true)) return;
    log::info("shutdown_started", {{"grace_seconds", std::to_string(opt.shutdown_grace.count())}});
    beast::error_code ec;
    acceptor.close(ec);
    accept_backoff.cancel();
    std::vector<std::shared_ptr<Connection>> snapshot;
    {
      std::lock_guard lock(mu);
      for (auto& [_, c] : connections) snapshot.push_back(c);
    }
    for (auto& c : snapshot) {
      asio::post(c->executor, [c] {
        if (c->idle) c->stream->cancel();
      });
    }
    drain_timer.expires_after(opt.shutdown_grace);
    drain_timer.async_wait([this](beast::error_code) {
      // Grace period over (or everything drained): close what is left and stop.
      std::vector<std::shared_ptr<Connection>> rest;
      {
        std::lock_guard lock(mu);
        for (auto& [_, c] : connections) rest.push_back(c);
      }
      if (!rest.empty())
        log::warn("shutdown_forced", {{"connections", std::to_string(rest.size())}});
      for (auto& c : rest) asio::post(c->executor, [c] { c->stream->cancel(); });
      asio::post(ioc, [this] { ioc.stop(); });
    });
    {
      std::lock_guard lock(mu);
      if (connections.empty()) drain_timer.cancel();
    }
  }
};

Server::Server(ServerOptions options, Dispatch dispatch)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(dispatch))) {}

Server::~Server() { impl_->workers.join(); }

void Server::bind() {
  auto& a = impl_->acceptor;
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->opt.host, ec);
  if (ec) throw std::runtime_error("cannot listen on '" + impl_->opt.host + "': not an IP address");
  tcp::endpoint ep(address, impl_->opt.port);
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + impl_->opt.host + ":" +
                             std::to_string(impl_->opt.port) + ": " + ec.message());
}

uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run(bool handle_signals) {
  auto& im = *impl_;
  asio::signal_set signals(im.ioc);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](beast::error_code ec, int sig) {
      if (!ec) impl_->begin_drain();
    });
  }
  asio::co_spawn(im.ioc, im.accept_loop(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < im.opt.io_threads; ++i) threads.emplace_back([&] { im.ioc.run(); });
  im.ioc.run();
  for (auto& t : threads) t.join();
  im.workers.join();
  log::info("shutdown_complete");
}

void Server::request_stop() {
  asio::post(impl_->ioc, [this] { impl_->begin_drain(); });
}

}  // namespace verbund::http
