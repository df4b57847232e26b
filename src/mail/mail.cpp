#include "mail/mail.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "core/log.hpp"
#include "core/random.hpp"
#include "core/time.hpp"

namespace verbund::mail {
namespace {

std::string b64(std::string_view s) {
  std::string out(sodium_base64_ENCODED_LEN(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()),
                    s.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// RFC 2047 encoded-word when the header has anything outside printable ASCII.
std::string encode_header(std::string_view s) {
  bool ascii = true;
  for (unsigned char c : s)
    if (c >= 0x80 || c < 0x20) ascii = false;
  if (ascii) return std::string(s);
  return "=?UTF-8?B?" + b64(s) + "?=";
}

// Header values must not carry CR/LF (header injection).
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

std::string address_of(const std::string& from) {
  auto lt = from.find('<');
  auto gt = from.find('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt)
    return from.substr(lt + 1, gt - lt - 1);
  return from;
}

class FileTransport final : public Transport {
 public:
  explicit FileTransport(std::string dir, std::string from)
      : dir_(std::move(dir)), from_(std::move(from)) {}
  Status send(const store::OutgoingMail& m) override {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return make_error("mail", "cannot create " + dir_ + ": " + ec.message());
    std::string path = dir_ + "/" + std::to_string(m.id) + ".eml";
    std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << compose(m, from_, std::time(nullptr));
      if (!out) return make_error("mail", "cannot write " + tmp);
    }
    std::filesystem::rename(tmp, path, ec);  // readers never see half a message
    if (ec) return make_error("mail", "cannot rename " + tmp + ": " + ec.message());
    return Ok{};
  }

 private:
  std::string dir_, from_;
};

struct Upload {
  std::string data;
  std::size_t pos = 0;
};

size_t read_cb(char* buf, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t len = std::min(size * n, u->data.size() - u->pos);
  std::memcpy(buf, u->data.data() + u->pos, len);
  u->pos += len;
  return len;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

class SmtpTransport final : public Transport {
 public:
  explicit SmtpTransport(core::SmtpConfig c) : cfg_(std::move(c)) {}
  Status send(const store::OutgoingMail& m) override {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return make_error("mail", "curl_easy_init failed");
    std::string scheme = cfg_.security == "tls" ? "smtps://" : "smtp://";
    std::string url = scheme + cfg_.host + ":" + std::to_string(cfg_.port);
    Upload up{compose(m, cfg_.from, std::time(nullptr))};
    std::unique_ptr<curl_slist, SlistDeleter> rcpt(
        curl_slist_append(nullptr, ("<" + m.recipient + ">").c_str()));
    std::string mail_from = "<" + address_of(cfg_.from) + ">";
    char err[CURL_ERROR_SIZE] = {0};
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(cfg_.timeout_seconds));
    if (cfg_.security == "starttls") curl_easy_setopt(h, CURLOPT_USE_SSL, CURLUSESSL_ALL);
    if (!cfg_.username.empty()) {
      curl_easy_setopt(h, CURLOPT_USERNAME, cfg_.username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, cfg_.password.c_str());
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK)
      return make_error("mail", std::string("smtp ") + cfg_.host + ": " +
                                    (err[0] ? err : curl_easy_strerror(rc)));
    return Ok{};
  }

 private:
  core::SmtpConfig cfg_;
};

}  // namespace

std::string new_message_id(const std::string& public_url) {
  std::string host = public_url;
  auto p = host.find("://");
  if (p != std::string::npos) host = host.substr(p + 3);
  host = host.substr(0, host.find_first_of(":/"));
  if (host.empty() || host.find('.') == std::string::npos) host = "verbund.localhost";
  return "<" + random::hex(16) + "@" + host + ">";
}

std::string compose(const store::OutgoingMail& m, const std::string& from, int64_t date) {
  std::string out;
  out += "From: " + one_line(from) + "\r\n";
  out += "To: " + one_line(m.recipient) + "\r\n";
  out += "Subject: " + encode_header(one_line(m.subject)) + "\r\n";
  out += "Date: " + timefmt::utc(date, "%a, %d %b %Y %H:%M:%S +0000") + "\r\n";
  out += "Message-ID: " + one_line(m.message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  std::string boundary;
  if (!m.calendar.empty()) {
    // The text, and the calendar entry as a file that mail programs offer to import.
    boundary = "=_verbund_" + random::hex(12);
    out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n";
    out += "Auto-Submitted: auto-generated\r\n\r\n";
    out += "--" + boundary + "\r\n";
  }
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: 8bit\r\n";
  if (boundary.empty()) out += "Auto-Submitted: auto-generated\r\n";
  out += "\r\n";
  // Body: CRLF line ends; a line starting with "." is doubled by curl (dot-stuffing).
  for (std::size_t i = 0; i < m.body.size(); ++i) {
    if (m.body[i] == '\n' && (i == 0 || m.body[i - 1] != '\r')) out += '\r';
    out += m.body[i];
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  if (!boundary.empty()) {
    std::string method = "PUBLISH";
    if (auto at = m.calendar.find("\r\nMETHOD:"); at != std::string::npos)
      method = m.calendar.substr(at + 9, m.calendar.find("\r\n", at + 2) - at - 9);
    out += "--" + boundary + "\r\n";
    out += "Content-Type: text/calendar; charset=utf-8; method=" + one_line(method) + "\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Content-Disposition: attachment; filename=\"termin.ics\"\r\n\r\n";
    std::string encoded = b64(m.calendar);
    for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
    out += "--" + boundary + "--\r\n";
  }
  return out;
}

std::unique_ptr<Transport> make_transport(const core::Config& config) {
  if (config.smtp.host.empty())
    return std::make_unique<FileTransport>(config.data_dir + "/mail", config.smtp.from);
  return std::make_unique<SmtpTransport>(config.smtp);
}

}  // namespace verbund::mail
