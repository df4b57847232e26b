// Markdown written by organisations (cmark-gfm, safe mode) to HTML that is safe to put
// into a page as is: raw HTML is dropped, only http, https and mailto links survive,
// and links carry rel="nofollow ugc" (user-generated content).
#pragma once

#include <string>
#include <string_view>

namespace verbund::markdown {

std::string to_safe_html(std::string_view markdown);

}  // namespace verbund::markdown
