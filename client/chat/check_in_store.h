// The check-ins a bridge has offered or scheduled, one per chat, in the
// bridge's state file (beside ChatStore's chats), so that a restart keeps
// the schedule and never sends a check-in twice.
//
// A check-in moves offered -> scheduled -> sending -> sent, and its row is
// removed when the person answers it, declines the offer, says "stop" or
// is forgotten (ChatStore::Forget). "sending" is written before the
// message leaves: a bridge that stops during the send finds it "sending"
// at its next start and counts it as sent (RecoverInterrupted), since it
// cannot know whether the platform took it. At most once, never twice.
#ifndef BACKCHAT_CLIENT_CHAT_CHECK_IN_STORE_H_
#define BACKCHAT_CLIENT_CHAT_CHECK_IN_STORE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/common/sqlite/sqlite_database.h"

namespace backchat::chat {

enum class CheckInState : int64_t { kOffered = 1, kScheduled = 2, kSending = 3, kSent = 4 };

struct PendingCheckIn {
  std::string chat_key;
  std::string record_id;  // the outcome's triage record (Turn.record_id)
  std::string locale;
  // Where to send it when the chat key is a hash (an SMS number, a
  // webhook user id): sealed with the bridge's key (sealed_address.h),
  // hex. Empty when the chat key is the address (Telegram's chat id).
  std::string sealed_address;
  CheckInState state = CheckInState::kOffered;
  absl::Time due = absl::InfinitePast();
  int attempts = 0;  // failed sends so far
};

// Thread-safe (the database's mutex). Every error is UNAVAILABLE with
// SQLite's message.
class CheckInStore {
 public:
  // The `check_ins` table of `database` (created if missing), for chats of
  // `channel` ("CHANNEL_SMS"...). `database` must outlive the store.
  static absl::StatusOr<std::unique_ptr<CheckInStore>> Open(store::SqliteDatabase* database,
                                                            std::string channel);

  // Offers a check-in for the chat's newest outcome; replaces any earlier
  // row of the chat (one conversation's check-in at a time).
  absl::Status Offer(const PendingCheckIn& offer);
  absl::StatusOr<std::optional<PendingCheckIn>> Find(const std::string& chat_key);
  // offered -> scheduled, due at `due`; false if the chat had no offer.
  absl::StatusOr<bool> Schedule(const std::string& chat_key, absl::Time due);
  absl::Status Remove(const std::string& chat_key);

  // The scheduled check-in due earliest, if one is due at `now`.
  absl::StatusOr<std::optional<PendingCheckIn>> NextDue(absl::Time now);
  // scheduled -> sending; false if it is no longer scheduled (answered,
  // stopped or replaced meanwhile): then do not send it.
  absl::StatusOr<bool> Claim(const PendingCheckIn& check_in);
  // sending -> sent.
  absl::Status MarkSent(const PendingCheckIn& check_in);
  // sending -> scheduled at `due`, one more failed attempt counted.
  absl::Status Retry(const PendingCheckIn& check_in, absl::Time due);
  // sending -> sent for every row a stopped bridge left sending; how many.
  absl::StatusOr<int64_t> RecoverInterrupted();

 private:
  CheckInStore(store::SqliteDatabase* database, std::string channel)
      : database_(database), channel_(std::move(channel)) {}
  // Moves the row of `check_in` (same record) from `from` to `to`; false
  // if it was not in `from`.
  absl::StatusOr<bool> Move(const PendingCheckIn& check_in, CheckInState from, CheckInState to,
                            std::optional<absl::Time> due);

  store::SqliteDatabase* database_;
  const std::string channel_;
};

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_CHECK_IN_STORE_H_
