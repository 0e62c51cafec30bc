#include "service/http/http_parser.h"

#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace backchat::http {
namespace {

HeadParse Error(int status, std::string message) {
  HeadParse parse;
  parse.result = HeadParse::Result::kError;
  parse.error_status = status;
  parse.error = std::move(message);
  return parse;
}

// RFC 9110 token characters, for methods and header names.
bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::StrContains("!#$%&'*+-.^_`|~", c);
}

bool IsToken(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// Field values may hold visible ASCII, blanks and obs-text; no controls.
bool IsFieldValue(absl::string_view text) {
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

bool IsTargetChar(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f;
}

}  // namespace

HeadParse ParseRequestHead(absl::string_view data, size_t max_head_bytes,
                           HttpRequest* request) {
  const size_t end = data.find("\r\n\r\n");
  if (end == absl::string_view::npos || end + 4 > max_head_bytes) {
    if (data.size() >= max_head_bytes) {
      return Error(431, absl::StrCat("request head is longer than ",
                                     max_head_bytes, " bytes"));
    }
    return HeadParse{};
  }
  const absl::string_view head = data.substr(0, end);
  std::vector<absl::string_view> lines = absl::StrSplit(head, "\r\n");

  // Request line: METHOD SP TARGET SP HTTP/1.x
  std::vector<absl::string_view> parts = absl::StrSplit(lines[0], ' ');
  if (parts.size() != 3) {
    return Error(400, "request line must be \"METHOD /path HTTP/1.1\"");
  }
  if (!IsToken(parts[0])) return Error(400, "request method is not a token");
  const absl::string_view target = parts[1];
  if (target.empty() || (target[0] != '/' && target != "*")) {
    return Error(400, "request target must start with '/'");
  }
  for (char c : target) {
    if (!IsTargetChar(c))
      return Error(400, "request target has a control or space");
  }
  if (parts[2] == "HTTP/1.1") {
    request->minor_version = 1;
  } else if (parts[2] == "HTTP/1.0") {
    request->minor_version = 0;
  } else {
    return Error(505,
                 absl::StrCat("only HTTP/1.0 and HTTP/1.1 are served, not \"",
                              absl::CEscape(parts[2].substr(0, 16)), "\""));
  }
  request->method = std::string(parts[0]);
  const size_t question = target.find('?');
  request->path = std::string(target.substr(0, question));
  request->query = question == absl::string_view::npos
                       ? ""
                       : std::string(target.substr(question + 1));

  request->headers.clear();
  bool has_length = false;
  size_t content_length = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const absl::string_view line = lines[i];
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) {
      return Error(400, absl::StrCat("header line ", i, " has no ':'"));
    }
    const absl::string_view name = line.substr(0, colon);
    // A blank before the colon, or a line folded onto the previous one,
    // is how request smuggling starts: both are refused (RFC 9112 5.1).
    if (!IsToken(name)) {
      return Error(400,
                   absl::StrCat("header line ", i, " has an invalid name"));
    }
    const absl::string_view value =
        absl::StripAsciiWhitespace(line.substr(colon + 1));
    if (!IsFieldValue(value)) {
      return Error(
          400, absl::StrCat("header \"", name, "\" has a control character"));
    }
    std::string lower_name = absl::AsciiStrToLower(name);
    if (lower_name == "content-length") {
      size_t length = 0;
      if (value.empty() || !absl::c_all_of(value, absl::ascii_isdigit) ||
          !absl::SimpleAtoi(value, &length)) {
        return Error(400, "Content-Length is not a number");
      }
      if (has_length && length != content_length) {
        return Error(400, "two different Content-Length headers");
      }
      has_length = true;
      content_length = length;
    } else if (lower_name == "transfer-encoding") {
      return Error(501,
                   "Transfer-Encoding is not supported; send Content-Length");
    }
    request->headers.emplace_back(std::move(lower_name), std::string(value));
  }
  if (request->minor_version == 1 && !request->HasHeader("host")) {
    return Error(400, "HTTP/1.1 request without a Host header");
  }
  HeadParse parse;
  parse.result = HeadParse::Result::kComplete;
  parse.head_bytes = end + 4;
  parse.content_length = content_length;
  return parse;
}

}  // namespace backchat::http
