#include "client/bots/http_post.h"

#include <curl/curl.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace backchat::bots {
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

}  // namespace

absl::StatusOr<HttpPostReply> HttpPost(const HttpPostRequest& request) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (curl == nullptr) return absl::UnavailableError("cannot set up libcurl");
  curl_slist* headers =
      curl_slist_append(nullptr, absl::StrCat("Content-Type: ", request.content_type).c_str());
  for (const std::string& header : request.headers) {
    headers = curl_slist_append(headers, header.c_str());
  }
  HttpPostReply reply;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.c_str());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  if (!request.basic_auth.empty()) {
    curl_easy_setopt(handle, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(handle, CURLOPT_USERPWD, request.basic_auth.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(request.timeout)));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  const CURLcode code = curl_easy_perform(handle);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) return absl::UnavailableError(curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  reply.status = static_cast<int>(status);
  return reply;
}

absl::Status SendOutcome(absl::string_view what, const absl::StatusOr<HttpPostReply>& reply) {
  if (!reply.ok()) return absl::UnavailableError(absl::StrCat(what, ": ", reply.status().message()));
  if (reply->status >= 200 && reply->status < 300) return absl::OkStatus();
  const std::string message = absl::StrCat(what, " answered HTTP ", reply->status);
  if (reply->status == 429 || reply->status >= 500) return absl::UnavailableError(message);
  return absl::FailedPreconditionError(message);
}

}  // namespace backchat::bots
