#include "client/chat/check_ins.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "client/chat/chat_commands.h"
#include "client/chat/chat_strings.h"
#include "client/chat/sealed_address.h"
#include "client/common/triage_rpc.h"
#include "grpcpp/client_context.h"
#include "service/common/log_line.h"
#include "service/common/text_normalizer.h"

namespace backchat::chat {

namespace tv1 = ::backchat::triage::v1;

namespace {

// Only these read as a clear yes to the offer; anything else declines it.
bool IsClearYes(absl::string_view text) {
  const std::string word = engine::NormalizeForMatching(text);
  for (const char* yes : {"yes", "y", "yeah", "yep", "ok", "okay", "sure", "yes please", "si",
                          "vale", "claro", "de acuerdo", "si por favor"}) {
    if (word == yes) return true;
  }
  return false;
}

bool IsNo(absl::string_view text) {
  const std::string word = engine::NormalizeForMatching(text);
  for (const char* no : {"no", "n", "nope", "no thanks", "no thank you", "no gracias"}) {
    if (word == no) return true;
  }
  return false;
}

constexpr tv1::CheckInAnswer kAnswers[] = {
    tv1::CHECK_IN_ANSWER_BETTER, tv1::CHECK_IN_ANSWER_SAME, tv1::CHECK_IN_ANSWER_WORSE,
    tv1::CHECK_IN_ANSWER_NEW_SYMPTOMS};

}  // namespace

std::string CheckInMessage(absl::string_view locale) {
  const ChatStrings& strings = StringsFor(locale);
  std::string text = absl::StrCat(strings.check_in_question, "\n");
  for (int i = 0; i < 4; ++i) absl::StrAppend(&text, i + 1, ". ", strings.check_in_choices[i], "\n");
  absl::StrAppend(&text, strings.check_in_hint);
  return text;
}

std::optional<int> ParseCheckInChoice(absl::string_view text) {
  const std::string word = engine::NormalizeForMatching(text);
  for (int i = 0; i < 4; ++i) {
    if (word == absl::StrCat(i + 1)) return i + 1;
    for (const char* locale : {"en", "es"}) {
      if (word == engine::NormalizeForMatching(StringsFor(locale).check_in_choices[i])) {
        return i + 1;
      }
    }
  }
  // Single words people answer with.
  if (word == "new" || word == "nuevos" || word == "same") return word == "same" ? 2 : 4;
  return std::nullopt;
}

CheckIns::CheckIns(ChatConversations* conversations, CheckInStore* store,
                   std::shared_ptr<grpc::Channel> backchat, CheckInOptions options)
    : conversations_(conversations),
      store_(store),
      stub_(tv1::TriageService::NewStub(std::move(backchat))),
      options_(std::move(options)) {}

absl::StatusOr<ChatReply> CheckIns::HandleMessage(
    const std::string& chat_key, const std::string& address, absl::string_view text,
    absl::string_view language_hint, const std::optional<std::string>& shown_question_id) {
  if (options_.enabled) {
    absl::StatusOr<std::optional<PendingCheckIn>> pending = store_->Find(chat_key);
    if (!pending.ok()) return pending.status();
    if (pending->has_value() && (*pending)->state == CheckInState::kOffered) {
      if (IsClearYes(text) || IsNo(text)) return ReplyToOffer(**pending, IsClearYes(text));
      // Anything else declines too, and is handled as it stands.
      if (absl::Status removed = store_->Remove(chat_key); !removed.ok()) return removed;
    } else if (pending->has_value() && (*pending)->state != CheckInState::kScheduled) {
      // Sent (or being sent): a reply that is a choice answers it.
      if (const std::optional<int> choice = ParseCheckInChoice(text); choice.has_value()) {
        return HandleAnswer(chat_key, *choice);
      }
    }
  }
  absl::StatusOr<ChatReply> reply =
      conversations_->HandleMessage(chat_key, text, language_hint, shown_question_id);
  if (!reply.ok() || !options_.enabled) return reply;
  if (absl::Status offered = MaybeOffer(chat_key, address, &*reply); !offered.ok()) {
    // The outcome stands; only the offer is lost.
    LogLine("check-ins", offered.message());
  }
  return reply;
}

absl::StatusOr<ChatReply> CheckIns::ReplyToOffer(const PendingCheckIn& offer, bool yes) {
  const ChatStrings& strings = StringsFor(offer.locale);
  if (yes) {
    absl::StatusOr<bool> scheduled = store_->Schedule(offer.chat_key, absl::Now() + options_.delay);
    if (!scheduled.ok()) return scheduled.status();
    return ChatReply{absl::Substitute(strings.check_in_scheduled, options_.days), {}};
  }
  if (absl::Status removed = store_->Remove(offer.chat_key); !removed.ok()) return removed;
  return ChatReply{strings.check_in_declined, {}};
}

absl::StatusOr<std::optional<ChatReply>> CheckIns::AnswerOffer(const std::string& chat_key,
                                                               bool yes) {
  absl::StatusOr<std::optional<PendingCheckIn>> pending = store_->Find(chat_key);
  if (!pending.ok()) return pending.status();
  if (!pending->has_value() || (*pending)->state != CheckInState::kOffered) return std::nullopt;
  absl::StatusOr<ChatReply> reply = ReplyToOffer(**pending, yes);
  if (!reply.ok()) return reply.status();
  return *std::move(reply);
}

absl::Status CheckIns::MaybeOffer(const std::string& chat_key, const std::string& address,
                                  ChatReply* reply) {
  if (!reply->turn.has_value() || !reply->turn->has_outcome() ||
      reply->turn->record_id().empty()) {
    return absl::OkStatus();
  }
  const tv1::Level level = reply->turn->outcome().level();
  if (level != tv1::LEVEL_SELF_CARE && level != tv1::LEVEL_SEE_DOCTOR) return absl::OkStatus();
  PendingCheckIn offer;
  offer.chat_key = chat_key;
  offer.record_id = reply->turn->record_id();
  offer.locale = reply->turn->locale();
  if (!options_.address_secret.empty()) {
    absl::StatusOr<std::string> sealed = SealAddress(options_.address_secret, address);
    if (!sealed.ok()) return sealed.status();
    offer.sealed_address = *std::move(sealed);
  }
  if (absl::Status stored = store_->Offer(offer); !stored.ok()) return stored;
  reply->check_in_offer = absl::Substitute(StringsFor(offer.locale).check_in_offer, options_.days);
  absl::StrAppend(&reply->text, "\n\n", reply->check_in_offer);
  return absl::OkStatus();
}

absl::StatusOr<ChatReply> CheckIns::HandleAnswer(const std::string& chat_key, int choice) {
  absl::StatusOr<std::optional<PendingCheckIn>> pending = store_->Find(chat_key);
  if (!pending.ok()) return pending.status();
  if (!pending->has_value() || choice < 1 || choice > 4 ||
      (*pending)->state == CheckInState::kOffered ||
      (*pending)->state == CheckInState::kScheduled) {
    return ChatReply{StringsFor(pending->has_value() ? (*pending)->locale : "").stale_button, {}};
  }
  const PendingCheckIn& check_in = **pending;
  const ChatStrings& strings = StringsFor(check_in.locale);
  const ChatOptions& chat = conversations_->options();
  tv1::StartSessionRequest request;
  request.set_dialog_id(chat.dialog_id);
  request.set_locale(check_in.locale);
  request.set_channel(chat.channel);
  request.mutable_check_in()->set_record_id(check_in.record_id);
  request.mutable_check_in()->set_answer(kAnswers[choice - 1]);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(options_.rpc_timeout));
  tv1::StartSessionResponse response;
  const grpc::Status status = stub_->StartSession(&context, request, &response);
  absl::StatusOr<tv1::Turn> turn = response.turn();
  if (!status.ok()) {
    turn = absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
    if (client::IsUnreachable(turn.status())) return turn.status();  // nothing changed
    // The record was deleted (or answered already): the person's answer
    // still decides what they are told.
    LogLine("check-ins", absl::StrCat("the check-in's answer was not kept: ",
                                      turn.status().message()));
  }
  if (absl::Status removed = store_->Remove(chat_key); !removed.ok()) return removed;
  if (choice <= 2) return ChatReply{strings.check_in_well, {}};
  absl::StatusOr<ChatReply> started =
      turn.ok() ? conversations_->ShowStarted(chat_key, *std::move(turn))
                : conversations_->StartNewCheck(chat_key, check_in.locale);
  if (!started.ok()) return started;
  started->text = absl::StrCat(strings.check_in_again, "\n\n", started->text);
  return started;
}

}  // namespace backchat::chat
