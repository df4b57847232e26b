// Post HTML reduced to what the wall shows: plain text (paragraphs kept), the links
// and the first image. libxml2's HTML parser reads the markup as browsers would,
// broken or not; scripts, styles, frames and embedded objects contribute nothing. The
// text is defanged so that no consumer can mistake it for markup: it never contains
// "<script", a tag-like "<x", or "javascript:" (a zero-width space is put in).
// Thread-safety: pure functions (libxml2 is initialised once by feeds::init()).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace verbund::feeds {

struct Reduced {
  std::string text;  // whole plain text, paragraphs separated by "\n\n"
  std::vector<std::string> links;
  std::string image;
  std::string image_alt;
};

// `html` (UTF-8) reduced; relative links and images resolved against `base_url`.
Reduced reduce_html(std::string_view html, std::string_view base_url);

// Plain text tidied as reduce_html's output is: whitespace collapsed inside lines,
// at most one blank line, defanged.
std::string tidy_text(std::string_view text);

// At most `max_chars` characters (code points) of `text`, cut after a word and marked
// with "…" when shortened.
std::string excerpt(std::string_view text, std::size_t max_chars = 500);

// #hashtags in `text`: lower case, without '#', in order, without duplicates.
std::vector<std::string> hashtags(std::string_view text);

// A tag as stored: lower case (also Ä, Ö, Ü and other Latin letters), trimmed, '#' dropped.
std::string normalise_tag(std::string_view tag);

// Replaces invalid UTF-8 and control characters (except \n and \t) by U+FFFD or nothing.
std::string valid_utf8(std::string_view s);

}  // namespace verbund::feeds
