#include "core/markdown.hpp"

#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>

namespace verbund::markdown {
namespace {

struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

bool allowed_url(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:");
}

}  // namespace

std::string to_safe_html(std::string_view markdown) {
  // CMARK_OPT_DEFAULT is safe in cmark-gfm: raw HTML becomes a comment, and
  // javascript:/vbscript:/file:/data: URLs are emptied; images become links.
  std::unique_ptr<cmark_node, NodeDeleter> doc(
      cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
  cmark_iter* iter = cmark_iter_new(doc.get());
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (ev != CMARK_EVENT_ENTER) continue;
    auto type = cmark_node_get_type(node);
    if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
      const char* url = cmark_node_get_url(node);
      // Relative and other schemes are stricter than cmark's own list: no surprises.
      if (!url || !allowed_url(url)) cmark_node_set_url(node, "");
      if (type == CMARK_NODE_IMAGE) {
        // No remote images in profiles (they would call third parties): show a link.
        cmark_node* link = cmark_node_new(CMARK_NODE_LINK);
        cmark_node_set_url(link, cmark_node_get_url(node));
        while (cmark_node* child = cmark_node_first_child(node))
          cmark_node_append_child(link, child);
        cmark_node_replace(node, link);
        cmark_iter_reset(iter, link, CMARK_EVENT_ENTER);
        cmark_node_free(node);
      }
    } else if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
      cmark_node_set_literal(node, "");
    }
  }
  cmark_iter_free(iter);
  char* html = cmark_render_html(doc.get(), CMARK_OPT_DEFAULT, nullptr);
  std::string out(html);
  std::free(html);
  // cmark writes every link as `<a href="`; text is escaped, so this finds links only.
  const std::string from = "<a href=\"";
  const std::string to = "<a rel=\"nofollow ugc\" href=\"";
  for (auto pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + to.size()))
    out.replace(pos, from.size(), to);
  return out;
}

}  // namespace verbund::markdown
