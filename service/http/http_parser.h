// Parses the head (request line and header fields) of an HTTP/1.1 request,
// per RFC 9112, strictly: anything ambiguous is an error, never a guess.
#ifndef BACKCHAT_SERVICE_HTTP_HTTP_PARSER_H_
#define BACKCHAT_SERVICE_HTTP_HTTP_PARSER_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "service/http/http_message.h"

namespace backchat::http {

struct HeadParse {
  enum class Result { kIncomplete, kComplete, kError };
  Result result = Result::kIncomplete;
  // kComplete: bytes of `data` the head took, including the blank line.
  size_t head_bytes = 0;
  // kComplete: the body length announced by Content-Length (0 if none).
  size_t content_length = 0;
  // kError: the status to answer with (400, 431, 501, 505) and why.
  int error_status = 0;
  std::string error;
};

// Parses the head at the start of `data` into `request` (method, target,
// version, headers). kIncomplete when `data` holds no complete head yet and
// is below `max_head_bytes`; kError (431) when the head is longer. Requests
// with Transfer-Encoding are refused (501): every client this gateway serves
// sends Content-Length.
HeadParse ParseRequestHead(absl::string_view data, size_t max_head_bytes,
                           HttpRequest* request);

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_HTTP_PARSER_H_
