// A fake of Telegram's Bot API on loopback, following its documented JSON
// for getUpdates (offsets, long polling), sendMessage,
// answerCallbackQuery, editMessageReplyMarkup, setWebhook and
// deleteWebhook, with 429 (retry_after) and 5xx answers on demand. Tests
// play the people: they queue updates and read what the bot sent.
#ifndef BACKCHAT_TESTS_BOTS_FAKE_BOT_API_H_
#define BACKCHAT_TESTS_BOTS_FAKE_BOT_API_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/common/http/http_server.h"

namespace backchat::testing {

struct FakeButton {
  std::string text;
  std::string data;  // callback_data; empty for a URL button
  std::string url;   // a URL button's http(s) or tg:// address
};

// A message the bot sent, with its buttons as they are now (after edits).
struct FakeMessage {
  int64_t message_id = 0;
  int64_t chat_id = 0;
  std::string text;
  std::vector<FakeButton> buttons;  // the rows' buttons, in order
};

class FakeBotApi {
 public:
  static absl::StatusOr<std::unique_ptr<FakeBotApi>> Start(const std::string& token);

  std::string base_url() const;  // http://127.0.0.1:PORT

  // A person's text message (or, with `raw_json`, any update body: the
  // update_id is added). Returns the update_id.
  int64_t SendText(int64_t chat_id, const std::string& text,
                   const std::string& language_code = "en");
  int64_t SendPhoto(int64_t chat_id);
  int64_t SendRawUpdate(const std::string& fields_json);
  // A button press on the bot's message `message_id`.
  int64_t PressButton(int64_t chat_id, int64_t message_id, const std::string& data,
                      const std::string& language_code = "en");

  // The bot's messages to `chat_id`, in order.
  std::vector<FakeMessage> Messages(int64_t chat_id) const;
  // Waits (up to `timeout`) until `done` holds for the chat's messages;
  // returns them either way.
  std::vector<FakeMessage> WaitFor(int64_t chat_id,
                                   const std::function<bool(const std::vector<FakeMessage>&)>& done,
                                   absl::Duration timeout = absl::Seconds(15)) const;
  std::vector<FakeMessage> WaitForCount(int64_t chat_id, size_t count,
                                        absl::Duration timeout = absl::Seconds(15)) const;
  // Texts of answerCallbackQuery calls, in order ("" for none).
  std::vector<std::string> CallbackAnswers() const;
  bool WaitForCallbackAnswers(size_t count, absl::Duration timeout = absl::Seconds(15)) const;

  // The next `times` calls of `method` answer `status` (429 carries
  // retry_after `retry_after_seconds`), doing nothing.
  void FailNext(const std::string& method, int times, int status, int retry_after_seconds = 0);
  // Successful and failed calls of `method` so far.
  int Calls(const std::string& method) const;
  // How many times each update was returned by getUpdates.
  std::map<int64_t, int> Deliveries() const;
  std::string webhook_url() const;
  std::string webhook_secret() const;

 private:
  FakeBotApi() = default;
  void Handle(const http::HttpRequest& request, http::HttpResponse* response);
  int64_t AddUpdate(const std::string& fields_json);
  std::vector<FakeMessage> MessagesLocked(int64_t chat_id) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::string token_;
  std::unique_ptr<http::HttpServer> server_;
  mutable absl::Mutex mu_;
  int64_t next_update_id_ ABSL_GUARDED_BY(mu_) = 1000;
  int64_t next_message_id_ ABSL_GUARDED_BY(mu_) = 1;
  int next_callback_ ABSL_GUARDED_BY(mu_) = 1;
  std::vector<std::pair<int64_t, std::string>> pending_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, int> deliveries_ ABSL_GUARDED_BY(mu_);
  std::vector<FakeMessage> sent_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, bool> open_callbacks_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> callback_answers_ ABSL_GUARDED_BY(mu_);
  struct Failure {
    int times;
    int status;
    int retry_after;
  };
  std::map<std::string, Failure> failures_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  std::string webhook_url_ ABSL_GUARDED_BY(mu_);
  std::string webhook_secret_ ABSL_GUARDED_BY(mu_);
};

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_BOTS_FAKE_BOT_API_H_
