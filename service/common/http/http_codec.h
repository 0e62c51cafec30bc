// Between HTTP/1.1 on the wire and the gateway's HttpRequest/HttpResponse,
// on Boost.Beast's parser and serializer. Beast parses strictly (CRLF line
// endings, one Content-Length, chunked bodies decoded); this file adds the
// rules Beast leaves to a server (a Host on HTTP/1.1, an origin-form target,
// HTTP/1.0 or 1.1 only) and says what to answer when a request breaks one.
#ifndef BACKCHAT_SERVICE_COMMON_HTTP_HTTP_CODEC_H_
#define BACKCHAT_SERVICE_COMMON_HTTP_HTTP_CODEC_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/message.hpp"
#include "boost/beast/http/string_body.hpp"
#include "boost/system/error_code.hpp"
#include "service/common/http/http_message.h"

namespace backchat::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;
using WireResponse = boost::beast::http::response<boost::beast::http::string_body>;
// A reply to HEAD: the head of the GET reply, Content-Length included.
using WireHeadResponse = boost::beast::http::response<boost::beast::http::empty_body>;

// What to answer a request that cannot be served, and why.
struct RequestError {
  int status = 0;  // 0: no error
  std::string message;
};

// The answer to a parse error from Beast: 431 for a head over the limit,
// 413 for a body over it, 400 otherwise.
// Status 0 when the error is not the request's fault (the peer closed,
// a timeout, shutdown): then nothing is sent.
RequestError AnswerToParseError(const boost::system::error_code& error);

// Checks the rules Beast leaves to the server, on a parsed head.
RequestError CheckRequestHead(const WireRequest& head);

// Moves a parsed request into the gateway's form; `peer` is "host:port".
HttpRequest ToHttpRequest(WireRequest&& wire, std::string peer);

// The reply as Beast sends it, with Content-Length and keep-alive set.
WireResponse ToWireResponse(HttpResponse&& response, unsigned version, bool keep_alive);
// The same reply's head for a HEAD request: Content-Length is the length
// the body would have had, and no body follows.
WireHeadResponse ToWireHeadResponse(const HttpResponse& response, unsigned version,
                                    bool keep_alive);

// One whole request in `bytes` (tests and the fuzzer; the server reads
// from its sockets with the same parser settings).
struct ParsedRequest {
  bool complete = false;  // false: `bytes` ends before the request does
  RequestError error;     // status != 0: refused
  HttpRequest request;
};
ParsedRequest ParseRequest(absl::string_view bytes, size_t max_head_bytes,
                           size_t max_body_bytes);

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_COMMON_HTTP_HTTP_CODEC_H_
