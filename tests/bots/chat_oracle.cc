#include "tests/bots/chat_oracle.h"

#include "absl/strings/str_join.h"
#include "client/chat/message_splitter.h"
#include "client/chat/turn_text.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"

namespace backchat::testing {

namespace tv1 = ::backchat::triage::v1;

const std::vector<LevelPath>& PathsToEachLevel() {
  static const auto* paths = [] {
    auto with = [](const std::string& question, std::vector<std::string> options) {
      Answers answers = BackPainSelfCareAnswers();
      answers[question] = std::move(options);
      return answers;
    };
    return new std::vector<LevelPath>{
        // Two warning signs at once: a multiple choice with two ticks.
        {tv1::LEVEL_EMERGENCY, with("warning_signs", {"saddle_numbness", "both_legs"})},
        {tv1::LEVEL_URGENT, with("symptoms", {"fever"})},
        {tv1::LEVEL_SEE_DOCTOR, with("injury", {"minor_injury"})},
        {tv1::LEVEL_SELF_CARE, BackPainSelfCareAnswers()},
    };
  }();
  return *paths;
}

std::vector<std::string> ActionLines(const std::string& locale, tv1::Level level) {
  const bool es = locale == "es";
  const std::string clinic =
      es ? "Llame a la clínica: +34 910-000-000" : "Call the clinic: +44 20 7946 0000";
  switch (level) {
    case tv1::LEVEL_EMERGENCY:
      return {es ? "Llame ahora al 112" : "Call 999 now"};
    case tv1::LEVEL_URGENT:
      return {es ? "Llame a la línea de urgencias: 061" : "Call the urgent care line: 111"};
    case tv1::LEVEL_SEE_DOCTOR:
      return {clinic};
    case tv1::LEVEL_SELF_CARE:
      return {es ? "Reservar un masaje: https://clinic.example/es/reservar"
                 : "Book a massage: https://clinic.example/book",
              clinic};
    default:
      return {};
  }
}

ChatOracle::ChatOracle(const std::shared_ptr<grpc::Channel>& channel, std::string locale)
    : stub_(tv1::TriageService::NewStub(channel)), locale_(std::move(locale)) {}

const tv1::Turn& ChatOracle::Start() {
  grpc::ClientContext context;
  tv1::StartSessionRequest request;
  request.set_locale(locale_);
  tv1::StartSessionResponse response;
  const grpc::Status status = stub_->StartSession(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  turn_ = response.turn();
  return turn_;
}

std::vector<int> ChatOracle::Numbers(const Answers& answers) const {
  std::vector<int> numbers;
  const tv1::Question& question = turn_.question();
  const auto chosen = answers.find(question.id());
  EXPECT_NE(chosen, answers.end()) << "the plan does not answer " << question.id();
  if (chosen == answers.end()) return numbers;
  for (int i = 0; i < question.options_size(); ++i) {
    for (const std::string& id : chosen->second) {
      if (question.options(i).id() == id) numbers.push_back(i + 1);
    }
  }
  return numbers;
}

std::string ChatOracle::NumbersText(const Answers& answers) const {
  return absl::StrJoin(Numbers(answers), " ");
}

const tv1::Turn& ChatOracle::Answer(const Answers& answers) {
  grpc::ClientContext context;
  tv1::SubmitAnswerRequest request;
  request.set_session_id(turn_.session_id());
  request.set_question_id(turn_.question().id());
  // By option numbers, as typed in a chat or sent by its buttons, so that
  // the oracle's turn reads the answer back as the chat's does.
  request.set_text(NumbersText(answers));
  tv1::SubmitAnswerResponse response;
  const grpc::Status status = stub_->SubmitAnswer(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  turn_ = response.turn();
  return turn_;
}

std::vector<std::string> ChatOracle::Expected(bool buttons, size_t max_length) const {
  return chat::SplitMessage(chat::TurnText(turn_, buttons), max_length);
}

}  // namespace backchat::testing
