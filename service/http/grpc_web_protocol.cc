#include "service/http/grpc_web_protocol.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace backchat::http {
namespace {

constexpr uint8_t kDataFrame = 0x00;
constexpr uint8_t kCompressedFlag = 0x01;
constexpr uint8_t kTrailerFrame = 0x80;
constexpr size_t kFrameHeaderBytes = 5;

void AppendFrame(uint8_t flags, absl::string_view payload, std::string* out) {
  const uint32_t size = static_cast<uint32_t>(payload.size());
  out->push_back(static_cast<char>(flags));
  out->push_back(static_cast<char>(size >> 24));
  out->push_back(static_cast<char>(size >> 16));
  out->push_back(static_cast<char>(size >> 8));
  out->push_back(static_cast<char>(size));
  out->append(payload.data(), payload.size());
}

}  // namespace

absl::StatusOr<std::string> DecodeUnaryGrpcWebBody(absl::string_view body) {
  if (body.size() < kFrameHeaderBytes) {
    return absl::InvalidArgumentError(
        "gRPC-Web request body is shorter than one frame header (5 bytes)");
  }
  const uint8_t flags = static_cast<uint8_t>(body[0]);
  const uint32_t size =
      (static_cast<uint32_t>(static_cast<uint8_t>(body[1])) << 24) |
      (static_cast<uint32_t>(static_cast<uint8_t>(body[2])) << 16) |
      (static_cast<uint32_t>(static_cast<uint8_t>(body[3])) << 8) |
      static_cast<uint32_t>(static_cast<uint8_t>(body[4]));
  if (flags & kTrailerFrame) {
    return absl::InvalidArgumentError(
        "gRPC-Web request starts with a trailer frame");
  }
  if (flags & kCompressedFlag) {
    return absl::UnimplementedError(
        "compressed gRPC-Web messages are not supported; send them "
        "uncompressed");
  }
  if (flags != kDataFrame) {
    return absl::InvalidArgumentError(
        absl::StrCat("gRPC-Web frame has unknown flags 0x", absl::Hex(flags)));
  }
  if (body.size() - kFrameHeaderBytes != size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "gRPC-Web frame announces ", size, " bytes but the body holds ",
        body.size() - kFrameHeaderBytes,
        " after the header; a unary call "
        "sends exactly one message"));
  }
  return std::string(body.substr(kFrameHeaderBytes));
}

std::string EncodeUnaryGrpcWebBody(const std::string* message,
                                   const absl::Status& status) {
  std::string out;
  if (message != nullptr) AppendFrame(kDataFrame, *message, &out);
  std::string trailers =
      absl::StrCat("grpc-status:", static_cast<int>(status.code()), "\r\n");
  if (!status.ok()) {
    absl::StrAppend(&trailers,
                    "grpc-message:", PercentEncodeGrpcMessage(status.message()),
                    "\r\n");
  }
  AppendFrame(kTrailerFrame, trailers, &out);
  return out;
}

absl::StatusOr<std::string> DecodeGrpcWebText(absl::string_view text) {
  if (text.size() % 4 != 0) {
    return absl::InvalidArgumentError(
        "grpc-web-text body is not base64 (length is not a multiple of 4)");
  }
  std::string out;
  std::string group;
  for (size_t i = 0; i < text.size(); i += 4) {
    if (!absl::Base64Unescape(text.substr(i, 4), &group)) {
      return absl::InvalidArgumentError(
          absl::StrCat("grpc-web-text body is not base64 at byte ", i));
    }
    out += group;
  }
  return out;
}

std::string PercentEncodeGrpcMessage(absl::string_view message) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : message) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u <= 0x7e && c != '%') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

}  // namespace backchat::http
