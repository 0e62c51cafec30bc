#include "service/common/http/form_urlencoded.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace backchat::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// `offset`: where `text` starts in the body, for the error message.
absl::StatusOr<std::string> Decode(absl::string_view text, size_t offset) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] != '%') {
      out.push_back(text[i]);
    } else {
      const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "form body: byte ", offset + i, ": '%' must be followed by two hex digits"));
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<FormFields> ParseFormUrlencoded(absl::string_view body) {
  FormFields fields;
  size_t offset = 0;
  for (absl::string_view pair : absl::StrSplit(body, '&')) {
    const size_t pair_offset = offset;
    offset += pair.size() + 1;
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    const absl::string_view name = pair.substr(0, equals);
    const absl::string_view value =
        equals == absl::string_view::npos ? absl::string_view() : pair.substr(equals + 1);
    absl::StatusOr<std::string> decoded_name = Decode(name, pair_offset);
    if (!decoded_name.ok()) return decoded_name.status();
    absl::StatusOr<std::string> decoded_value = Decode(value, pair_offset + equals + 1);
    if (!decoded_value.ok()) return decoded_value.status();
    fields.emplace_back(*std::move(decoded_name), *std::move(decoded_value));
  }
  return fields;
}

std::string FormValue(const FormFields& fields, absl::string_view name) {
  for (const auto& [field, value] : fields) {
    if (field == name) return value;
  }
  return "";
}

}  // namespace backchat::http
