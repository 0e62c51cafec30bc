// The request-head parser: what it accepts, and every way it refuses.
#include "service/http/http_parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backchat::http {
namespace {

using ::testing::HasSubstr;
using Result = HeadParse::Result;

HeadParse Parse(absl::string_view data, HttpRequest* request,
                size_t max = 16384) {
  return ParseRequestHead(data, max, request);
}

TEST(HttpParserTest, ParsesAPost) {
  HttpRequest request;
  const std::string data =
      "POST /a.B/C?x=1 HTTP/1.1\r\nHost: h:1\r\nContent-Type:  "
      "application/json \r\n"
      "Content-Length: 2\r\n\r\n{}";
  const HeadParse head = Parse(data, &request);
  ASSERT_EQ(head.result, Result::kComplete) << head.error;
  EXPECT_EQ(head.head_bytes, data.size() - 2);
  EXPECT_EQ(head.content_length, 2u);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/a.B/C");
  EXPECT_EQ(request.query, "x=1");
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("host"), "h:1");
}

TEST(HttpParserTest, WaitsForTheWholeHead) {
  HttpRequest request;
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nHost: h\r\n", &request).result,
            Result::kIncomplete);
}

struct BadHead {
  const char* name;
  const char* data;
  int status;
  const char* message;
};

class BadHeadTest : public ::testing::TestWithParam<BadHead> {};

TEST_P(BadHeadTest, IsRefusedWithAClearStatus) {
  HttpRequest request;
  const HeadParse head = Parse(GetParam().data, &request);
  ASSERT_EQ(head.result, Result::kError);
  EXPECT_EQ(head.error_status, GetParam().status);
  EXPECT_THAT(head.error, HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Heads, BadHeadTest,
    ::testing::Values(
        BadHead{"NoTarget", "GET HTTP/1.1\r\nHost: h\r\n\r\n", 400,
                "request line"},
        BadHead{"RelativeTarget", "GET x HTTP/1.1\r\nHost: h\r\n\r\n", 400,
                "start with '/'"},
        BadHead{"Http2Preface", "PRI * HTTP/2.0\r\n\r\n", 505,
                "HTTP/1.0 and HTTP/1.1"},
        BadHead{"NoHost", "GET / HTTP/1.1\r\n\r\n", 400, "Host"},
        BadHead{"NoColon", "GET / HTTP/1.1\r\nHost h\r\n\r\n", 400, "no ':'"},
        BadHead{"SpaceBeforeColon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400,
                "invalid name"},
        BadHead{"FoldedLine", "GET / HTTP/1.1\r\nHost: h\r\n x\r\n\r\n", 400,
                "no ':'"},
        BadHead{"ControlInValue", "GET / HTTP/1.1\r\nHost: h\x01\r\n\r\n", 400,
                "control"},
        BadHead{"NegativeLength",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400,
                "not a number"},
        BadHead{"TwoLengths",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: "
                "1\r\nContent-Length: 2\r\n\r\n",
                400, "two different"},
        BadHead{
            "Chunked",
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
            501, "Transfer-Encoding"}),
    [](const auto& info) { return info.param.name; });

TEST(HttpParserTest, AHeadOverTheLimitIs431) {
  HttpRequest request;
  const std::string data =
      "GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(200, 'a');
  const HeadParse head = Parse(data, &request, /*max=*/128);
  ASSERT_EQ(head.result, Result::kError);
  EXPECT_EQ(head.error_status, 431);
}

}  // namespace
}  // namespace backchat::http
