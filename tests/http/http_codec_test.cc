// What the listener's parser (Beast's, with BackChat's rules on top)
// accepts, and every way it refuses, with the status it answers.
#include "service/common/http/http_codec.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backchat::http {
namespace {

using ::testing::HasSubstr;

ParsedRequest Parse(absl::string_view data, size_t max_head = 16384, size_t max_body = 65536) {
  return ParseRequest(data, max_head, max_body);
}

TEST(HttpCodecTest, ParsesAPost) {
  const ParsedRequest parsed = Parse(
      "POST /a.B/C?x=1 HTTP/1.1\r\nHost: h:1\r\nContent-Type:  application/json \r\n"
      "Content-Length: 2\r\n\r\n{}");
  ASSERT_EQ(parsed.error.status, 0) << parsed.error.message;
  ASSERT_TRUE(parsed.complete);
  const HttpRequest& request = parsed.request;
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/a.B/C");
  EXPECT_EQ(request.query, "x=1");
  EXPECT_EQ(request.minor_version, 1);
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("host"), "h:1");
  EXPECT_EQ(request.body, "{}");
}

TEST(HttpCodecTest, DecodesAChunkedBody) {
  const ParsedRequest parsed = Parse(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\n{\"a\r\n4;ext=1\r\n\":1}\r\n0\r\n\r\n");
  ASSERT_EQ(parsed.error.status, 0) << parsed.error.message;
  ASSERT_TRUE(parsed.complete);
  EXPECT_EQ(parsed.request.body, "{\"a\":1}");
}

TEST(HttpCodecTest, WaitsForTheWholeRequest) {
  EXPECT_FALSE(Parse("POST / HTTP/1.1\r\nHost: h\r\n").complete);
  const ParsedRequest half_body =
      Parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n{}");
  EXPECT_EQ(half_body.error.status, 0);
  EXPECT_FALSE(half_body.complete);
}

struct BadRequest {
  const char* name;
  const char* data;
  int status;
  const char* message;
};

class MalformedRequestTest : public ::testing::TestWithParam<BadRequest> {};

TEST_P(MalformedRequestTest, IsRefusedWithAClearStatus) {
  const ParsedRequest parsed = Parse(GetParam().data);
  EXPECT_EQ(parsed.error.status, GetParam().status) << parsed.error.message;
  EXPECT_THAT(parsed.error.message, HasSubstr(GetParam().message));
  EXPECT_FALSE(parsed.complete);
}

INSTANTIATE_TEST_SUITE_P(
    Requests, MalformedRequestTest,
    ::testing::Values(
        BadRequest{"NoTarget", "GET HTTP/1.1\r\nHost: h\r\n\r\n", 400, "malformed"},
        BadRequest{"RelativeTarget", "GET x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "start with '/'"},
        BadRequest{"Http2Preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "HTTP/1.0 or HTTP/1.1"},
        BadRequest{"NoHost", "GET / HTTP/1.1\r\n\r\n", 400, "Host"},
        BadRequest{"TwoHosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "Host"},
        BadRequest{"NoColon", "GET / HTTP/1.1\r\nHost h\r\n\r\n", 400, "malformed"},
        BadRequest{"SpaceBeforeColon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, "malformed"},
        BadRequest{"ControlInValue", "GET / HTTP/1.1\r\nHost: h\x01\r\n\r\n", 400, "malformed"},
        BadRequest{"BareLineFeeds", "GET / HTTP/1.1\nHost: h\n\n", 400, "CRLF"},
        BadRequest{"BareLineFeedInAField", "GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n", 400,
                   "malformed"},
        BadRequest{"TlsClientHello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400,
                   "malformed"},
        BadRequest{"NegativeLength", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
                   400, "malformed"},
        BadRequest{"TwoLengths",
                   "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                   400, "malformed"},
        BadRequest{"BadChunkSize",
                   "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400,
                   "malformed"},
        BadRequest{"BodyOverTheLimit",
                   "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n", 413,
                   "too long"}),
    [](const auto& info) { return info.param.name; });

TEST(HttpCodecTest, AHeadOverTheLimitIs431) {
  const ParsedRequest parsed =
      Parse("GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(200, 'a'), /*max_head=*/128);
  EXPECT_EQ(parsed.error.status, 431);
}

TEST(HttpCodecTest, AChunkedBodyOverTheLimitIs413) {
  std::string data = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 10; ++i) data += "10\r\n" + std::string(16, 'x') + "\r\n";
  const ParsedRequest parsed = Parse(data, 16384, /*max_body=*/100);
  EXPECT_EQ(parsed.error.status, 413);
}

TEST(HttpCodecTest, AHeadReplyCarriesTheBodysLengthAndNoBody) {
  HttpResponse response;
  response.status = 200;
  response.SetHeader("Content-Type", "text/javascript");
  response.body = std::string(1234, 'x');
  const WireHeadResponse head = ToWireHeadResponse(response, 11, true);
  EXPECT_EQ(head[boost::beast::http::field::content_length], "1234");
  const WireResponse full = ToWireResponse(std::move(response), 11, false);
  EXPECT_EQ(full[boost::beast::http::field::content_length], "1234");
  EXPECT_EQ(full[boost::beast::http::field::connection], "close");
  EXPECT_EQ(full.body().size(), 1234u);
}

}  // namespace
}  // namespace backchat::http
