#include "service/common/http/http_codec.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/buffer.hpp"
#include "boost/asio/error.hpp"
#include "boost/beast/core/error.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/parser.hpp"

namespace backchat::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

absl::string_view View(beast::string_view text) { return {text.data(), text.size()}; }

}  // namespace

RequestError AnswerToParseError(const boost::system::error_code& error) {
  if (error == bhttp::error::header_limit) {
    return {431, "the request's head is too long"};
  }
  if (error == bhttp::error::body_limit) {
    return {413, "the request's body is too long"};
  }
  if (error == bhttp::error::bad_version) {
    // Beast reads only "HTTP/1.x" followed by CRLF, so HTTP/2's preface and
    // a bare LF end here alike.
    return {400, "malformed request line: expected HTTP/1.0 or HTTP/1.1 and then CRLF"};
  }
  if (error.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() &&
      error != bhttp::error::end_of_stream && error != bhttp::error::partial_message &&
      error != bhttp::error::need_more && error != bhttp::error::buffer_overflow) {
    return {400, absl::StrCat("malformed request: ", error.message())};
  }
  return {};  // closed, timed out, shut down: nobody to answer
}

RequestError CheckRequestHead(const WireRequest& head) {
  if (head.version() != 10 && head.version() != 11) {
    return {505, "only HTTP/1.0 and HTTP/1.1 are served here"};
  }
  const beast::string_view target = head.target();
  if (target.empty() || target.front() != '/') {
    return {400, "the request target must start with '/'"};
  }
  if (head.version() == 11 && head.count(bhttp::field::host) == 0) {
    return {400, "an HTTP/1.1 request needs a Host header"};
  }
  if (head.count(bhttp::field::host) > 1) {
    return {400, "the request has more than one Host header"};
  }
  return {};
}

HttpRequest ToHttpRequest(WireRequest&& wire, std::string peer) {
  HttpRequest request;
  request.method = std::string(View(wire.method_string()));
  const absl::string_view target = View(wire.target());
  const size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != absl::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.minor_version = static_cast<int>(wire.version() % 10);
  for (const auto& field : wire) {
    request.headers.emplace_back(absl::AsciiStrToLower(View(field.name_string())),
                                 std::string(View(field.value())));
  }
  request.body = std::move(wire.body());
  request.peer = std::move(peer);
  return request;
}

namespace {

template <typename Message>
void CopyHead(const HttpResponse& response, bool keep_alive, Message* wire) {
  wire->result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) wire->insert(name, value);
  wire->keep_alive(keep_alive);
}

bool HasNoBody(int status) { return status < 200 || status == 204 || status == 304; }

}  // namespace

WireResponse ToWireResponse(HttpResponse&& response, unsigned version, bool keep_alive) {
  WireResponse wire;
  wire.version(version);
  CopyHead(response, keep_alive, &wire);
  if (!HasNoBody(response.status)) wire.body() = std::move(response.body);
  wire.prepare_payload();
  return wire;
}

WireHeadResponse ToWireHeadResponse(const HttpResponse& response, unsigned version,
                                    bool keep_alive) {
  WireHeadResponse wire;
  wire.version(version);
  CopyHead(response, keep_alive, &wire);
  if (!HasNoBody(response.status)) wire.content_length(response.body.size());
  return wire;
}

ParsedRequest ParseRequest(absl::string_view bytes, size_t max_head_bytes,
                           size_t max_body_bytes) {
  ParsedRequest parsed;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(max_head_bytes));
  parser.body_limit(max_body_bytes);
  parser.eager(true);
  boost::system::error_code error;
  absl::string_view rest = bytes;
  while (!rest.empty() && !parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), error);
    if (error == bhttp::error::need_more) {
      if (used == 0) break;  // needs bytes that are not there
      error = {};
    } else if (error) {
      parsed.error = AnswerToParseError(error);
      if (parsed.error.status == 0) parsed.error = {400, "malformed request"};
      return parsed;
    }
    rest.remove_prefix(used);
    if (parser.is_header_done() && !parser.is_done() && used == 0) break;
  }
  if (parser.is_header_done()) {
    parsed.error = CheckRequestHead(parser.get());
    if (parsed.error.status != 0) return parsed;
  }
  if (!parser.is_done()) return parsed;
  parsed.complete = true;
  parsed.request = ToHttpRequest(parser.release(), "");
  return parsed;
}

}  // namespace backchat::http
