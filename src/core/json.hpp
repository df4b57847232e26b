// A small JSON writer for the few documents the server emits (schema.org JSON-LD).
// Strings are escaped so that the output is also safe inside an HTML <script> data
// block: '<', '>' and '&' become \u003c, \u003e, \u0026, so "</script>" cannot occur.
// Thread-safety: a Writer is used by one thread.
#pragma once

#include <string>
#include <string_view>

namespace verbund::json {

// `s` as a quoted JSON string.
std::string quote(std::string_view s);

class Writer {
 public:
  Writer& begin_object();
  Writer& end_object();
  Writer& begin_array(std::string_view key = {});
  Writer& end_array();
  Writer& key(std::string_view k);  // then a value, begin_object or begin_array
  Writer& value(std::string_view v);
  Writer& value(long long v);
  Writer& value_number(double v);  // finite numbers only; NaN and infinities become null
  // key + string value, skipped when v is empty (optional properties).
  Writer& field(std::string_view k, std::string_view v);
  const std::string& str() const { return out_; }

 private:
  void separate();
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace verbund::json
