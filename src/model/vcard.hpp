// An organisation as a vCard 4.0 (RFC 6350) for address books: KIND:org, name, postal
// address, phone, e-mail, website and the profile page.
#pragma once

#include <string>
#include <string_view>

#include "model/organisation.hpp"

namespace verbund::model {

// CRLF line endings, text values escaped (§3.4), lines folded at 75 octets (§3.2)
// without splitting a UTF-8 character.
std::string vcard(const Organisation& o, std::string_view profile_url);

}  // namespace verbund::model
