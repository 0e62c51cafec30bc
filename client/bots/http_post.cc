#include "client/bots/http_post.h"

#include <curl/curl.h>

#include "absl/strings/str_cat.h"

namespace backchat::bots {
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

// Non-zero aborts the transfer.
int CheckStop(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

}  // namespace

HttpPoster::HttpPoster(const std::atomic<bool>* stop) : stop_(stop), curl_(curl_easy_init()) {}

HttpPoster::~HttpPoster() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

absl::StatusOr<HttpPostReply> HttpPoster::Post(const HttpPostRequest& request) {
  CURL* handle = static_cast<CURL*>(curl_);
  if (handle == nullptr) return absl::UnavailableError("cannot set up libcurl");
  curl_slist* headers =
      curl_slist_append(nullptr, absl::StrCat("Content-Type: ", request.content_type).c_str());
  for (const std::string& header : request.headers) {
    headers = curl_slist_append(headers, header.c_str());
  }
  HttpPostReply reply;
  curl_easy_reset(handle);  // keeps the connection, forgets the last post's options
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
  if (stop_ != nullptr) {
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, CheckStop);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, stop_);
  }
  // Only https, or http for a test's fake on loopback; never a redirect.
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  const CURLcode code = curl_easy_perform(handle);
  curl_slist_free_all(headers);
  // curl's message names the host at most, never the path or credentials.
  if (code != CURLE_OK) return absl::UnavailableError(curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  reply.status = static_cast<int>(status);
  return reply;
}

absl::StatusOr<HttpPostReply> HttpPost(const HttpPostRequest& request) {
  return HttpPoster().Post(request);
}

absl::Status SendOutcome(absl::string_view what, const absl::StatusOr<HttpPostReply>& reply) {
  if (!reply.ok()) return absl::UnavailableError(absl::StrCat(what, ": ", reply.status().message()));
  if (reply->status >= 200 && reply->status < 300) return absl::OkStatus();
  const std::string message = absl::StrCat(what, " answered HTTP ", reply->status);
  if (reply->status == 429 || reply->status >= 500) return absl::UnavailableError(message);
  return absl::FailedPreconditionError(message);
}

}  // namespace backchat::bots
