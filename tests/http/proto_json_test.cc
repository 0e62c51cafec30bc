// The fast JSON writer against protobuf's own: the same text for every turn
// of whole conversations to each level (questions, notices, outcomes with
// flags and self-care plans, in English and Spanish), and for every scalar
// kind, including characters that need escaping.
#include "service/common/proto_json.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "service/api/conversations.h"
#include "service/store/memory_session_store.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/live_server.h"

namespace backchat::http {
namespace {

namespace tv1 = ::backchat::triage::v1;

std::string Protobufs(const google::protobuf::Message& message) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json).ok());
  return json;
}

std::string Ours(const google::protobuf::Message& message) {
  std::string json;
  const absl::Status status = AppendProtoJson(message, &json);
  EXPECT_TRUE(status.ok()) << status;
  return json;
}

TEST(ProtoJsonTest, MatchesProtobufOnEveryTurnOfConversationsToEachLevel) {
  auto dialogs = backchat::testing::LoadSourceDialogs();
  store::MemorySessionStore sessions;
  api::Conversations conversations(dialogs.get(), &sessions);
  int turns = 0;
  for (const std::string locale : {"en", "es"}) {
    for (const auto& [question, option] :
         std::vector<std::pair<std::string, std::string>>{
             {"warning_signs", "both_legs"},
             {"symptoms", "fever"},
             {"injury", "minor_injury"},
             {"", ""}}) {
      backchat::testing::Answers answers =
          backchat::testing::BackPainSelfCareAnswers();
      if (!question.empty()) answers[question] = {option};
      tv1::StartSessionRequest start;
      start.set_locale(locale);
      tv1::SubmitAnswerResponse response;
      ASSERT_TRUE(conversations.Start(start, response.mutable_turn()).ok());
      // A typed answer that is not understood, for a turn with a notice.
      tv1::SubmitAnswerRequest unclear;
      unclear.set_session_id(response.turn().session_id());
      unclear.set_text("\"quoted\" \\ and\ttab");
      ASSERT_TRUE(conversations.Answer(unclear, response.mutable_turn()).ok());
      for (int step = 0; step < 20; ++step) {
        EXPECT_EQ(Ours(response), Protobufs(response));
        ++turns;
        if (response.turn().has_outcome()) break;
        tv1::SubmitAnswerRequest answer;
        answer.set_session_id(response.turn().session_id());
        answer.set_question_id(response.turn().question().id());
        for (const auto& id : answers.at(response.turn().question().id())) {
          answer.add_option_ids(id);
        }
        ASSERT_TRUE(conversations.Answer(answer, response.mutable_turn()).ok());
      }
      EXPECT_TRUE(response.turn().has_outcome());
    }
  }
  EXPECT_GT(turns, 40);
}

TEST(ProtoJsonTest, EscapesLikeProtobuf) {
  tv1::Turn turn;
  turn.set_notice("quote \" backslash \\ newline \n control \x01 tab \t é ü 日本");
  turn.set_session_id("\"escapes at both ends\x1f");  // runs begin and end on them
  turn.set_locale("\n");
  turn.set_can_go_back(true);
  EXPECT_EQ(Ours(turn), Protobufs(turn));
}

}  // namespace
}  // namespace backchat::http
