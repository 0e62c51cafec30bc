// The parts of the Connect protocol (connectrpc.com/docs/protocol) that
// unary calls need: code names, their HTTP statuses, and the error body.
#ifndef BACKCHAT_SERVICE_HTTP_CONNECT_PROTOCOL_H_
#define BACKCHAT_SERVICE_HTTP_CONNECT_PROTOCOL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "service/common/http/http_message.h"

namespace backchat::http {

// "invalid_argument" for kInvalidArgument: the canonical name in snake case
// (the Connect spec spells kCancelled "canceled").
absl::string_view ConnectCodeName(absl::StatusCode code);

// The HTTP status the Connect spec assigns to `code` (400 for
// invalid_argument, 429 for resource_exhausted, ...).
int ConnectHttpStatus(absl::StatusCode code);

// A Connect unary error response: that status, and the JSON body
// {"code": "...", "message": "..."}.
HttpResponse ConnectError(const absl::Status& status);

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_CONNECT_PROTOCOL_H_
