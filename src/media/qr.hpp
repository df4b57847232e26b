// QR codes (libqrencode) as small SVG images, so a printed profile page or a poster
// at an event leads people's phones to the organisation's page.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace verbund::media {

// An SVG of the QR code for `text` (error correction level M, a quiet zone of four
// modules), one path of unit squares. Error "too_long" if it does not fit a QR code.
Result<std::string> qr_svg(std::string_view text);

}  // namespace verbund::media
