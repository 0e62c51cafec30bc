// gRPC-Web framing: one data frame in, data and trailer frames out, and
// base64 text with padding between chunks.
#include "service/http/grpc_web_protocol.h"

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backchat::http {
namespace {

using ::testing::HasSubstr;

std::string Frame(uint8_t flags, const std::string& payload) {
  std::string out(1, static_cast<char>(flags));
  const uint32_t n = static_cast<uint32_t>(payload.size());
  out += static_cast<char>(n >> 24);
  out += static_cast<char>(n >> 16);
  out += static_cast<char>(n >> 8);
  out += static_cast<char>(n);
  return out + payload;
}

TEST(GrpcWebProtocolTest, DecodesOneDataFrame) {
  auto message = DecodeUnaryGrpcWebBody(Frame(0, "abc"));
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(*message, "abc");
}

TEST(GrpcWebProtocolTest, RefusesTruncatedExtraCompressedAndTrailerFrames) {
  EXPECT_THAT(DecodeUnaryGrpcWebBody("\0\0").status().message(),
              HasSubstr("shorter"));
  EXPECT_THAT(
      DecodeUnaryGrpcWebBody(Frame(0, "abc").substr(0, 7)).status().message(),
      HasSubstr("announces 3 bytes"));
  EXPECT_THAT(
      DecodeUnaryGrpcWebBody(Frame(0, "a") + Frame(0, "b")).status().message(),
      HasSubstr("exactly one message"));
  EXPECT_EQ(DecodeUnaryGrpcWebBody(Frame(1, "a")).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(DecodeUnaryGrpcWebBody(Frame(0x80, "a")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(GrpcWebProtocolTest, EncodesDataThenTrailers) {
  const std::string message = "xyz";
  EXPECT_EQ(EncodeUnaryGrpcWebBody(&message, absl::OkStatus()),
            Frame(0, "xyz") + Frame(0x80, "grpc-status:0\r\n"));
  EXPECT_EQ(EncodeUnaryGrpcWebBody(nullptr, absl::NotFoundError("no 100%\n")),
            Frame(0x80, "grpc-status:5\r\ngrpc-message:no 100%25%0A\r\n"));
}

TEST(GrpcWebProtocolTest, TextAcceptsConcatenatedBase64Chunks) {
  const std::string text = absl::Base64Escape("a") + absl::Base64Escape("bc");
  ASSERT_NE(text.find('='), text.size() - 1);  // padding mid-body
  auto decoded = DecodeGrpcWebText(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, "abc");
  EXPECT_FALSE(DecodeGrpcWebText("abc").ok());
  EXPECT_FALSE(DecodeGrpcWebText("ab!d").ok());
}

}  // namespace
}  // namespace backchat::http
