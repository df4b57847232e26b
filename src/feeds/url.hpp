// URLs as feeds contain them: relative references resolved per RFC 3986 §5.2 against
// the feed's address or an xml:base, sloppy characters (spaces, umlauts) percent-encoded
// first. Only http and https survive: everything else (javascript:, data:, file:,
// mailto:) is not a link the wall shows or fetches.
#pragma once

#include <string>
#include <string_view>

namespace verbund::feeds {

// `ref` resolved against `base`; "" when the result is not an absolute http(s) URL.
std::string resolve_url(std::string_view base, std::string_view ref);

// `url` when it is an absolute http(s) URL with a host, normalised (scheme and host
// lower case); else "".
std::string http_url(std::string_view url);

// The link that identifies a post across its sources: `url` without fragment and
// without tracking parameters (utm_*, fbclid, gclid, mc_cid, mc_eid); "" for "".
std::string canonical_url(std::string_view url);

// The host of an absolute URL, lower case, without brackets; "" when none.
std::string url_host(std::string_view url);

}  // namespace verbund::feeds
