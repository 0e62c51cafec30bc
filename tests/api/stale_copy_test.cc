// Conversations on a store whose copies may be out of date (as Redis's
// per-replica cache is): an answer that fails on a stale copy without
// writing is answered again on the stored session, and one whose save
// failed in the store is not, as that save may have been applied.
#include "gtest/gtest.h"
#include "service/api/conversations.h"
#include "service/common/status_macros.h"
#include "service/store/memory_session_store.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/live_server.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;

// A real memory store whose LoadForUpdate returns the copy it kept when it
// last wrote the session (like a replica's cache), marked maybe_stale. It
// can make the next Update fail as a lost reply does: written, then
// UNAVAILABLE.
class ReplicaCopyStore final : public store::SessionStore {
 public:
  absl::Status Create(const store::Session& session) override {
    kept_ = session;
    return stored_.Create(session);
  }
  absl::StatusOr<store::Session> Load(absl::string_view id) override {
    ++loads_;
    return stored_.Load(id);
  }
  absl::StatusOr<store::Session> LoadForUpdate(absl::string_view) override {
    store::Session copy = kept_;
    copy.maybe_stale = true;
    return copy;
  }
  absl::Status Update(store::Session* session) override {
    BACKCHAT_RETURN_IF_ERROR(stored_.Update(session));
    if (lose_next_reply_) {
      lose_next_reply_ = false;
      return absl::UnavailableError("session store: reply lost");
    }
    kept_ = *session;
    return absl::OkStatus();
  }
  absl::Status Delete(absl::string_view id) override { return stored_.Delete(id); }
  absl::Status Ping() override { return absl::OkStatus(); }

  // Another replica answers: the stored session moves on, the kept copy
  // does not.
  store::MemorySessionStore& stored() { return stored_; }
  void LoseNextReply() { lose_next_reply_ = true; }
  int loads() const { return loads_; }

 private:
  store::MemorySessionStore stored_;
  store::Session kept_;
  bool lose_next_reply_ = false;
  int loads_ = 0;
};

class StaleCopyTest : public ::testing::Test {
 protected:
  StaleCopyTest() : dialogs_(LoadSourceDialogs()), conversations_(dialogs_.get(), &sessions_) {}

  tv1::SubmitAnswerRequest AnswerTo(const tv1::Turn& turn) {
    tv1::SubmitAnswerRequest request;
    request.set_session_id(turn.session_id());
    request.set_question_id(turn.question().id());
    for (const auto& option : BackPainSelfCareAnswers().at(turn.question().id())) {
      request.add_option_ids(option);
    }
    return request;
  }

  std::unique_ptr<engine::DialogRegistry> dialogs_;
  ReplicaCopyStore sessions_;
  api::Conversations conversations_;
};

TEST_F(StaleCopyTest, AnAnswerThatDoesNotFitTheCopyIsAnsweredOnTheStoredSession) {
  tv1::Turn turn;
  ASSERT_TRUE(conversations_.Start({}, &turn).ok());
  // Another replica answers the first question: the kept copy is behind.
  tv1::Turn moved;
  {
    api::Conversations other(dialogs_.get(), &sessions_.stored());
    ASSERT_TRUE(other.Answer(AnswerTo(turn), &moved).ok());
  }
  ASSERT_NE(moved.question().id(), turn.question().id());
  tv1::Turn next;
  const absl::Status answered = conversations_.Answer(AnswerTo(moved), &next);
  ASSERT_TRUE(answered.ok()) << answered;
  EXPECT_EQ(sessions_.loads(), 1);
  EXPECT_EQ(next.question().progress().answered(), 2);
}

TEST_F(StaleCopyTest, AStoreFailureIsNotAnsweredAgain) {
  tv1::Turn turn;
  ASSERT_TRUE(conversations_.Start({}, &turn).ok());
  sessions_.LoseNextReply();
  tv1::Turn unused;
  const absl::Status answered = conversations_.Answer(AnswerTo(turn), &unused);
  EXPECT_EQ(answered.code(), absl::StatusCode::kUnavailable) << answered;
  EXPECT_EQ(sessions_.loads(), 0);
  // The answer was written once, and only once.
  auto stored = sessions_.stored().Load(turn.session_id());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version, 1u);
}

}  // namespace
}  // namespace backchat::testing
