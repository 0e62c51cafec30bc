#include "client/bots/telegram/bot_api_client.h"

#include <curl/curl.h>

#include "absl/strings/str_cat.h"
#include "client/bots/telegram/bot_api.pb.h"
#include "google/protobuf/util/json_util.h"

namespace backchat::telegram {
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

// Non-zero aborts the transfer.
int CheckStop(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return stop != nullptr && static_cast<const std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

}  // namespace

BotApiClient::BotApiClient(std::string base_url, std::string token,
                           const std::atomic<bool>* stop)
    : base_url_(std::move(base_url)), token_(std::move(token)), stop_(stop),
      curl_(curl_easy_init()) {}

BotApiClient::~BotApiClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

absl::StatusOr<BotApiReply> BotApiClient::Call(const std::string& method,
                                               const std::string& json,
                                               absl::Duration timeout) {
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return absl::UnavailableError("Bot API: cannot set up libcurl");
  const std::string url = absl::StrCat(base_url_, "/bot", token_, "/", method);
  BotApiReply reply;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(json.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, CheckStop);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, stop_);
  // Only https, or http for a test's fake on loopback; never a redirect.
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    // curl's message names the host, never the path with the token.
    return absl::UnavailableError(
        absl::StrCat("Bot API ", method, ": ", curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  reply.http_status = static_cast<int>(status);
  ApiStatus api;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (google::protobuf::util::JsonStringToMessage(reply.body, &api, options).ok()) {
    reply.ok = api.ok();
    reply.error_code = api.error_code();
    reply.description = api.description();
    reply.retry_after = absl::Seconds(api.parameters().retry_after());
  } else {
    reply.description = absl::StrCat("HTTP ", status, " with a body that is not the Bot API's JSON");
  }
  if (reply.ok && reply.http_status != 200) reply.ok = false;
  return reply;
}

}  // namespace backchat::telegram
