// A bounded map from SQL text to a driver's prepared statement, least recently used
// evicted first: SQL built at run time (IN-lists, search terms) cannot grow a
// connection's statements without bound. One per connection; not thread-safe.
#pragma once

#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace verbund::db {

// Entry: the driver's statement record with a `std::string sql` member.
template <typename Entry>
class StatementCache {
 public:
  explicit StatementCache(int limit) : limit_(limit < 1 ? 1 : limit) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The entry for `sql`, now the most recently used; nullptr when not cached.
  Entry* find(std::string_view sql) {
    auto it = index_.find(sql);
    if (it == index_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    return &*it->second;
  }

  // Adds an entry not cached yet; entries beyond the limit are passed to `evict`
  // (to free the statement on the server) and dropped.
  template <typename Evict>
  Entry& add(Entry entry, Evict&& evict) {
    lru_.push_front(std::move(entry));
    index_.emplace(lru_.front().sql, lru_.begin());
    while (static_cast<int>(lru_.size()) > limit_) {
      evict(lru_.back());
      index_.erase(lru_.back().sql);
      lru_.pop_back();
    }
    return lru_.front();
  }

  std::size_t size() const { return lru_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  int limit_;
  std::list<Entry> lru_;  // most recently used first; index_ keys view into its sql
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator, Hash, std::equal_to<>>
      index_;
};

}  // namespace verbund::db
