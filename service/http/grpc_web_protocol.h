// The gRPC-Web wire format (github.com/grpc/grpc/blob/master/doc/
// PROTOCOL-WEB.md) for unary calls: length-prefixed frames, a trailer frame
// carrying grpc-status, and the base64 "text" variant.
#ifndef BACKCHAT_SERVICE_HTTP_GRPC_WEB_PROTOCOL_H_
#define BACKCHAT_SERVICE_HTTP_GRPC_WEB_PROTOCOL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backchat::http {

// The message of a unary request body: exactly one uncompressed data frame.
// INVALID_ARGUMENT for a truncated or extra frame, UNIMPLEMENTED for a
// compressed one.
absl::StatusOr<std::string> DecodeUnaryGrpcWebBody(absl::string_view body);

// A unary response body: the data frame (omitted when `message` is null)
// and then the trailer frame with grpc-status and grpc-message.
std::string EncodeUnaryGrpcWebBody(const std::string* message,
                                   const absl::Status& status);

// grpc-web-text bodies are base64 (standard alphabet, padded). A client may
// send several base64 chunks one after another, so padding may appear
// mid-body; decoding works in 4-character groups. INVALID_ARGUMENT on any
// other character or a length that is not a multiple of 4.
absl::StatusOr<std::string> DecodeGrpcWebText(absl::string_view text);

// grpc-message is percent-encoded (PROTOCOL-HTTP2.md): bytes outside
// printable ASCII, and '%', become %XX.
std::string PercentEncodeGrpcMessage(absl::string_view message);

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_GRPC_WEB_PROTOCOL_H_
