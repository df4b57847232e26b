// Outgoing mail: composing RFC 5322 messages, and the transports that deliver them:
// SMTP through libcurl, or (without SMTP configuration) .eml files in DATA/mail/.
#pragma once

#include <memory>
#include <string>

#include "core/config.hpp"
#include "core/result.hpp"
#include "store/outbox_store.hpp"

namespace verbund::mail {

// The full message text (CRLF line ends, UTF-8 body, RFC 2047 subject).
std::string compose(const store::OutgoingMail& m, const std::string& from, int64_t date);

// A fresh Message-ID for a message sent from `public_url`'s host.
std::string new_message_id(const std::string& public_url);

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Status send(const store::OutgoingMail& m) = 0;
};

std::unique_ptr<Transport> make_transport(const core::Config& config);

}  // namespace verbund::mail
