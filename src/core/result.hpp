// Errors as values (in the spirit of leveldb::Status): a Result<T> holds either a
// value or an Error with a machine-readable code and a message for people.
// Exceptions are for bugs and are caught at the top of a request.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace verbund {

struct Error {
  std::string code;     // stable, e.g. "not_found", "conflict", "invalid"
  std::string message;  // for logs or, when translated upstream, for people
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    if (!ok()) throw std::logic_error("Result::value on error: " + error().message);
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) throw std::logic_error("Result::value on error: " + error().message);
    return std::get<0>(std::move(v_));
  }
  const T& value() const& {
    if (!ok()) throw std::logic_error("Result::value on error: " + error().message);
    return std::get<0>(v_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}

}  // namespace verbund
