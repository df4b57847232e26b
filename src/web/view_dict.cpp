#include "web/view_dict.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace verbund::web {

namespace {

// Names are short and mostly differ in length or first letter: check those before
// comparing the rest.
bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         (a.empty() || (a[0] == b[0] &&
                        (a.data() == b.data() || std::memcmp(a.data(), b.data(), a.size()) == 0)));
}

bool same(std::string_view a, const ctemplate::TemplateString& b) {
  return same(a, std::string_view(b.data(), b.size()));
}

ctemplate::TemplateString as_template_string(std::string_view s) {
  return ctemplate::TemplateString(s.data(), s.size());
}

constexpr std::size_t kBlockSize = 16 * 1024;

// Arena blocks kept per thread between pages. A listing fills about 80 KB; handing that
// to malloc and back on every request made glibc trim its heap and fault the pages in
// again (five page faults per request).
constexpr std::size_t kKeptBlocks = 16;
struct BlockCache {
  std::vector<char*> blocks;
  BlockCache() { blocks.reserve(kKeptBlocks); }
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;
  ~BlockCache() {
    for (char* b : blocks) std::free(b);
  }
};
thread_local BlockCache t_block_cache;

// Each block starts with this header.
struct BlockHeader {
  char* previous;
  std::size_t capacity;
};

}  // namespace

ViewDict::Arena::~Arena() {
  auto& cache = t_block_cache.blocks;
  while (block_) {
    BlockHeader h;
    std::memcpy(&h, block_, sizeof h);
    if (h.capacity == kBlockSize && cache.size() < kKeptBlocks)
      cache.push_back(block_);
    else
      std::free(block_);
    block_ = h.previous;
  }
}

void* ViewDict::Arena::grow(std::size_t size, std::size_t align) {
  std::size_t header = (sizeof(BlockHeader) + align - 1) & ~(align - 1);
  std::size_t capacity = std::max(kBlockSize, header + size);
  auto& cache = t_block_cache.blocks;
  char* block;
  if (capacity == kBlockSize && !cache.empty()) {
    block = cache.back();
    cache.pop_back();
  } else {
    block = static_cast<char*>(std::malloc(capacity));
    if (!block) throw std::bad_alloc();
  }
  const BlockHeader h{block_, capacity};
  std::memcpy(block, &h, sizeof h);
  block_ = block;
  capacity_ = capacity;
  used_ = header + size;
  return block + header;
}

// Walks the expansions of one section (a list linked through next_).
class ViewDict::SectionIterator final : public ctemplate::TemplateDictionaryInterface::Iterator {
 public:
  explicit SectionIterator(const ViewDict* first) : next_(first) {}
  bool HasNext() const override { return next_ != nullptr; }
  const ctemplate::TemplateDictionaryInterface& Next() override {
    const ViewDict* d = next_;
    next_ = next_->next_;
    return *d;
  }

 private:
  const ViewDict* next_;
};

// Walks the dictionaries included under one name.
class ViewDict::IncludeIterator final : public ctemplate::TemplateDictionaryInterface::Iterator {
 public:
  IncludeIterator(const Include* first, const ctemplate::TemplateString& name)
      : next_(first), name_(name) {
    skip();
  }
  bool HasNext() const override { return next_ != nullptr; }
  const ctemplate::TemplateDictionaryInterface& Next() override {
    const auto* d = next_->dict;
    next_ = next_->next;
    skip();
    return *d;
  }

 private:
  void skip() {
    while (next_ && !same(next_->name, name_)) next_ = next_->next;
  }
  const Include* next_;
  const ctemplate::TemplateString name_;
};

ViewDict::ViewDict() : owned_(std::make_unique<Shared>()), shared_(owned_.get()) {}

ViewDict::ViewDict(ViewDict* parent, Shared* shared) : shared_(shared), parent_(parent) {}

// Section dictionaries live in the arena and are released with it, never destroyed one
// by one: they own nothing outside it.
ViewDict::~ViewDict() = default;

std::string_view ViewDict::copy(std::string_view s, bool nul) {
  if (s.empty() && !nul) return {"", 0};  // never a null pointer: ctemplate reads it
  auto* p = static_cast<char*>(shared_->arena.allocate(s.size() + (nul ? 1 : 0), 1));
  std::memcpy(p, s.data(), s.size());
  if (nul) p[s.size()] = '\0';
  return {p, s.size()};
}

// New entries go first and lookups take the first match, so a later set() replaces an
// earlier one without searching for it.
void ViewDict::set(Name name, std::string_view value) {
  values_ = make<Entry>(name.view(), copy(value), values_);
}

void ViewDict::set_global(Name name, std::string_view value) {
  shared_->globals = make<Entry>(name.view(), copy(value), shared_->globals);
}

ViewDict& ViewDict::add_section(Name section) {
  auto* d = make<ViewDict>(this, shared_);
  for (Section* s = sections_; s; s = s->next)
    if (same(s->name, section.view())) {
      s->last->next_ = d;
      s->last = d;
      return *d;
    }
  sections_ = make<Section>(section.view(), d, d, sections_);
  return *d;
}

void ViewDict::show(Name section) {
  for (const Section* s = sections_; s; s = s->next)
    if (same(s->name, section.view())) return;
  add_section(section);
}

void ViewDict::set_and_show(Name name, std::string_view value, Name section) {
  if (value.empty()) return;
  add_section(section).set(name, value);
}

void ViewDict::include(Name name, const ctemplate::TemplateDictionaryInterface& dict,
                       std::string_view filename) {
  Include** tail = &includes_;
  while (*tail) tail = &(*tail)->next;
  *tail = make<Include>(name.view(), &dict, copy(filename, true).data(), nullptr);
}

const ViewDict::Section* ViewDict::find_section(const ctemplate::TemplateString& name) const {
  for (const ViewDict* d = this; d; d = d->parent_)
    for (const Section* s = d->sections_; s; s = s->next)
      if (same(s->name, name)) return s;
  return nullptr;
}

const ViewDict* ViewDict::find_includes(const ctemplate::TemplateString& name) const {
  for (const ViewDict* d = this; d; d = d->parent_)
    for (const Include* i = d->includes_; i; i = i->next)
      if (same(i->name, name)) return d;
  return nullptr;
}

ctemplate::TemplateString ViewDict::GetValue(const ctemplate::TemplateString& variable) const {
  for (const ViewDict* d = this; d; d = d->parent_)
    for (const Entry* e = d->values_; e; e = e->next)
      if (same(e->name, variable)) return as_template_string(e->value);
  for (const Entry* e = shared_->globals; e; e = e->next)
    if (same(e->name, variable)) return as_template_string(e->value);
  // ctemplate's built-in globals.
  if (same("BI_SPACE", variable)) return ctemplate::TemplateString(" ", 1);
  if (same("BI_NEWLINE", variable)) return ctemplate::TemplateString("\n", 1);
  return ctemplate::TemplateString("", 0);
}

bool ViewDict::IsHiddenSection(const ctemplate::TemplateString& name) const {
  return find_section(name) == nullptr;
}

bool ViewDict::IsUnhiddenSection(const ctemplate::TemplateString& name) const {
  return find_section(name) != nullptr;
}

bool ViewDict::IsHiddenTemplate(const ctemplate::TemplateString& name) const {
  return find_includes(name) == nullptr;
}

const char* ViewDict::GetIncludeTemplateName(const ctemplate::TemplateString& variable,
                                             int dictnum) const {
  const ViewDict* owner = find_includes(variable);
  for (const Include* i = owner ? owner->includes_ : nullptr; i; i = i->next)
    if (same(i->name, variable) && dictnum-- == 0) return i->filename;
  return "";
}

ctemplate::TemplateDictionaryInterface::Iterator* ViewDict::CreateTemplateIterator(
    const ctemplate::TemplateString& name) const {
  const ViewDict* owner = find_includes(name);
  return new IncludeIterator(owner ? owner->includes_ : nullptr, name);
}

ctemplate::TemplateDictionaryInterface::Iterator* ViewDict::CreateSectionIterator(
    const ctemplate::TemplateString& name) const {
  const Section* s = find_section(name);
  return new SectionIterator(s ? s->first : nullptr);
}

void ViewDict::DumpToString(std::string* out, int level) const {
  std::string indent(static_cast<std::size_t>(level) * ctemplate::kIndent, ' ');
  for (const Entry* e = values_; e; e = e->next) {
    bool shadowed = false;  // by a later set() of the same name
    for (const Entry* n = values_; n != e && !shadowed; n = n->next) shadowed = n->name == e->name;
    if (!shadowed) out->append(indent).append(e->name).append(": >").append(e->value).append("<\n");
  }
  for (const Section* s = sections_; s; s = s->next)
    for (const ViewDict* d = s->first; d; d = d->next_) {
      out->append(indent).append("section ").append(s->name).append(" -->\n");
      d->DumpToString(out, level + 1);
    }
  for (const Include* i = includes_; i; i = i->next)
    out->append(indent)
        .append("include-template ")
        .append(i->name)
        .append(" from ")
        .append(i->filename)
        .append("\n");
}

}  // namespace verbund::web
