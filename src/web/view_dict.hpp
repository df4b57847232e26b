// A ctemplate dictionary for pages built from many small sections (the directory's
// cards and facets, the layout around every page). It implements ctemplate's
// TemplateDictionaryInterface, so templates expand and escape exactly as with
// ctemplate::TemplateDictionary: the escaping modifiers belong to the template, never
// to the dictionary. What it leaves out is what made filling ctemplate's dictionary
// cost as much as expanding the directory page: a debug name built with snprintf for
// every section dictionary, a global name table behind a lock for every variable, and
// a std::map once a dictionary holds more than four values.
//
// One ViewDict is the root of a tree. Values are copied into the root's arena; names
// are string literals. Section dictionaries belong to the root as well and stay valid
// until it is destroyed. Lookups follow ctemplate's rules: a variable or section is
// searched in the dictionary, then its parents, then the root's globals; an included
// dictionary does not see the including one (only its own globals). Not thread-safe
// while it is being filled; expanding a complete one from several threads is fine.
#pragma once

#include <ctemplate/template_dictionary_interface.h>

#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace verbund::web {

class ViewDict final : public ctemplate::TemplateDictionaryInterface {
 public:
  // A variable, section or include name: a string literal, checked at compile time, so
  // the dictionary refers to it instead of copying it.
  class Name {
   public:
    consteval Name(const char* literal) : text_(literal) {}  // NOLINT: implicit on purpose
    std::string_view view() const { return text_; }

   private:
    std::string_view text_;
  };

  ViewDict();
  ~ViewDict() override;
  ViewDict(const ViewDict&) = delete;
  ViewDict& operator=(const ViewDict&) = delete;

  // {{NAME}} expands to `value` here and in nested sections (a later set replaces it).
  void set(Name name, std::string_view value);
  // Root only: {{NAME}} for the whole tree and every template it includes, unless a
  // dictionary on the way sets NAME itself (ctemplate's template-global values).
  void set_global(Name name, std::string_view value);
  // Adds one expansion of {{#SECTION}}…{{/SECTION}} with its own values.
  ViewDict& add_section(Name section);
  // Shows {{#SECTION}} once with this dictionary's values, unless it is already shown.
  void show(Name section);
  // ctemplate's SetValueAndShowSection: nothing when `value` is empty.
  void set_and_show(Name name, std::string_view value, Name section);
  // {{>NAME}} expands templates/`filename` (the template cache's key) with `dict`, which
  // must outlive the expansion.
  void include(Name name, const ctemplate::TemplateDictionaryInterface& dict,
               std::string_view filename);

 private:
  // Everything below lives in the root's arena, in singly linked lists (a dictionary
  // holds a handful of entries, so a list beats any map).
  struct Entry {
    std::string_view name, value;
    Entry* next;
  };
  struct Section {
    std::string_view name;
    ViewDict* first;
    ViewDict* last;
    Section* next;
  };
  struct Include {
    std::string_view name;
    const ctemplate::TemplateDictionaryInterface* dict;
    const char* filename;  // NUL-terminated
    Include* next;
  };
  // Blocks handed out by bumping a pointer; when the root goes, they return to a small
  // per-thread cache for the next page.
  class Arena {
   public:
    Arena() = default;
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;
    ~Arena();
    void* allocate(std::size_t size, std::size_t align) {
      std::size_t at = (used_ + align - 1) & ~(align - 1);
      if (!block_ || at + size > capacity_) return grow(size, align);
      used_ = at + size;
      return block_ + at;
    }

   private:
    void* grow(std::size_t size, std::size_t align);
    char* block_ = nullptr;  // starts with the previous block and its own size
    std::size_t used_ = 0, capacity_ = 0;
  };
  struct Shared {
    Arena arena;
    Entry* globals = nullptr;
  };
  class SectionIterator;
  class IncludeIterator;

  ViewDict(ViewDict* parent, Shared* shared);
  template <typename T, typename... Args>
  T* make(Args&&... args) {
    return new (shared_->arena.allocate(sizeof(T), alignof(T))) T{std::forward<Args>(args)...};
  }
  std::string_view copy(std::string_view s, bool nul = false);
  const Section* find_section(const ctemplate::TemplateString& name) const;
  const ViewDict* find_includes(const ctemplate::TemplateString& name) const;

  // ctemplate::TemplateDictionaryInterface
  ctemplate::TemplateString GetValue(const ctemplate::TemplateString& variable) const override;
  bool IsHiddenSection(const ctemplate::TemplateString& name) const override;
  bool IsUnhiddenSection(const ctemplate::TemplateString& name) const override;
  bool IsHiddenTemplate(const ctemplate::TemplateString& name) const override;
  const char* GetIncludeTemplateName(const ctemplate::TemplateString& variable,
                                     int dictnum) const override;
  Iterator* CreateTemplateIterator(const ctemplate::TemplateString& name) const override;
  Iterator* CreateSectionIterator(const ctemplate::TemplateString& name) const override;
  void DumpToString(std::string* out, int level) const override;

  std::unique_ptr<Shared> owned_;  // set in the root only
  Shared* shared_;
  ViewDict* parent_ = nullptr;
  ViewDict* next_ = nullptr;  // the next expansion of the same section
  Entry* values_ = nullptr;
  Section* sections_ = nullptr;
  Include* includes_ = nullptr;  // in the order they were added
};

}  // namespace verbund::web
