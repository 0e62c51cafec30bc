// The real server on a loopback port, driven by the real generated gRPC
// client: whole conversations to each level, resumption, going back, and
// every documented error code.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/rpc_method.h"
#include "grpcpp/impl/codegen/sync_stream.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "service/api/conversations.h"
#include "service/api/server.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/store/memory_session_store.h"
#include "tests/support/live_server.h"
#include "wire_contracts.pb.h"

namespace backchat::api {
namespace {

namespace tv1 = ::backchat::triage::v1;
using ::testing::HasSubstr;

class GrpcEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto live = testing::LiveServer::Start(dialogs_.get(), &sessions_);
    ASSERT_TRUE(live.ok()) << live.status();
    live_ = *std::move(live);
    channel_ = live_->channel();
    stub_ = tv1::TriageService::NewStub(channel_);
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return context;
  }

  tv1::Turn Start(const std::string& locale = "") {
    tv1::StartSessionRequest request;
    request.set_locale(locale);
    request.set_channel(tv1::CHANNEL_CLI);
    tv1::StartSessionResponse response;
    const grpc::Status status = stub_->StartSession(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.turn();
  }

  grpc::Status Answer(const tv1::Turn& turn, const std::vector<std::string>& options,
                      const std::string& text, tv1::Turn* out) {
    tv1::SubmitAnswerRequest request;
    request.set_session_id(turn.session_id());
    request.set_question_id(turn.question().id());
    for (const auto& option : options) request.add_option_ids(option);
    request.set_text(text);
    tv1::SubmitAnswerResponse response;
    const grpc::Status status = stub_->SubmitAnswer(Context().get(), request, &response);
    *out = response.turn();
    return status;
  }

  tv1::Turn Confirm(const tv1::Turn& turn, tv1::ConfirmationReply reply) {
    tv1::SubmitAnswerRequest request;
    request.set_session_id(turn.session_id());
    request.set_question_id(turn.question().id());
    request.set_confirmation(reply);
    tv1::SubmitAnswerResponse response;
    const grpc::Status status = stub_->SubmitAnswer(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.turn();
  }

  // Answers every question by typed text until the outcome (accepting
  // every proposed reading); fails if a
  // question is asked twice in a row (a text was not understood).
  tv1::Turn TalkUntilOutcome(const std::vector<std::string>& texts,
                             const std::string& locale = "") {
    tv1::Turn turn = Start(locale);
    for (const std::string& text : texts) {
      if (turn.has_outcome()) break;
      tv1::Turn next;
      const grpc::Status status = Answer(turn, {}, text, &next);
      EXPECT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(next.notice(), "") << "\"" << text << "\" for " << turn.question().id();
      if (next.has_confirmation()) next = Confirm(next, tv1::CONFIRMATION_REPLY_ACCEPT);
      turn = next;
    }
    EXPECT_TRUE(turn.has_outcome()) << "still at " << turn.question().id();
    return turn;
  }

  tv1::Turn AnswerByOptionIds(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& script) {
    tv1::Turn turn = Start();
    for (const auto& [question, options] : script) {
      EXPECT_EQ(turn.question().id(), question);
      tv1::Turn next;
      const grpc::Status status = Answer(turn, options, "", &next);
      EXPECT_TRUE(status.ok()) << status.error_message();
      turn = next;
    }
    return turn;
  }

  store::MemorySessionStore sessions_;
  std::unique_ptr<engine::DialogRegistry> dialogs_ = testing::LoadSourceDialogs();
  std::unique_ptr<testing::LiveServer> live_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<tv1::TriageService::Stub> stub_;
};

const std::vector<std::pair<std::string, std::vector<std::string>>> kSelfCareScript = {
    {"warning_signs", {"none"}},     {"injury", {"no_injury"}},
    {"cancer_history", {"no"}},      {"pain_location", {"upper_back"}},
    {"duration", {"chronic"}},       {"symptoms", {"none"}},
    {"immune_bone", {"none"}},       {"medical_history", {"none"}},
    {"age", {"age_20_to_54"}},       {"massage_history", {"massage_helped"}},
    {"back_feel", {"pinpoint"}},     {"pressure", {"firm"}},
};

TEST_F(GrpcEndToEndTest, FirstTurnIsTheFirstQuestion) {
  const tv1::Turn turn = Start();
  EXPECT_EQ(turn.session_id().size(), 32u);
  EXPECT_EQ(turn.dialog_id(), "back_pain");
  EXPECT_EQ(turn.dialog_version().size(), 16u);
  EXPECT_EQ(turn.locale(), "en");
  EXPECT_FALSE(turn.can_go_back());
  EXPECT_EQ(turn.question().id(), "warning_signs");
  EXPECT_EQ(turn.question().kind(), tv1::QUESTION_KIND_MULTIPLE_CHOICE);
  EXPECT_EQ(turn.question().options_size(), 7);
  EXPECT_TRUE(turn.question().options(6).exclusive());
  EXPECT_EQ(turn.question().progress().answered(), 0);
}

TEST_F(GrpcEndToEndTest, EmergencyByOptionIds) {
  const tv1::Turn turn = AnswerByOptionIds({{"warning_signs", {"saddle_numbness"}}});
  ASSERT_TRUE(turn.has_outcome());
  EXPECT_EQ(turn.outcome().level(), tv1::LEVEL_EMERGENCY);
  EXPECT_THAT(turn.outcome().headline(), HasSubstr("emergency services"));
  ASSERT_EQ(turn.outcome().red_flags_size(), 1);
  EXPECT_EQ(turn.outcome().red_flags(0).id(), "saddle_numbness");
  EXPECT_FALSE(turn.outcome().has_self_care());
  EXPECT_FALSE(turn.outcome().disclaimer().empty());
}

TEST_F(GrpcEndToEndTest, UrgentBySeveralOptionIds) {
  const tv1::Turn turn = AnswerByOptionIds({{"warning_signs", {"none"}},
                                            {"injury", {"no_injury"}},
                                            {"cancer_history", {"no"}},
                                            {"pain_location", {"lower_back"}},
                                            {"duration", {"acute"}},
                                            {"symptoms", {"fever", "weight_loss"}}});
  ASSERT_TRUE(turn.has_outcome()) << turn.DebugString();
  EXPECT_EQ(turn.outcome().level(), tv1::LEVEL_URGENT);
  ASSERT_EQ(turn.outcome().red_flags_size(), 2);
  EXPECT_EQ(turn.outcome().red_flags(0).id(), "fever");
  EXPECT_EQ(turn.outcome().red_flags(1).id(), "weight_loss");
}

TEST_F(GrpcEndToEndTest, SeeDoctorByTypedWords) {
  const tv1::Turn turn = TalkUntilOutcome(
      {"none", "no", "no", "lower back", "3 weeks", "none", "none", "I'm pregnant",
       "(unused)"});
  EXPECT_EQ(turn.outcome().level(), tv1::LEVEL_SEE_DOCTOR);
  ASSERT_EQ(turn.outcome().red_flags_size(), 1);
  EXPECT_THAT(turn.outcome().red_flags(0).reason(), HasSubstr("Pregnancy"));
}

TEST_F(GrpcEndToEndTest, SelfCareByOptionIds) {
  const tv1::Turn turn = AnswerByOptionIds(kSelfCareScript);
  ASSERT_TRUE(turn.has_outcome()) << turn.DebugString();
  const tv1::Outcome& outcome = turn.outcome();
  EXPECT_EQ(outcome.level(), tv1::LEVEL_SELF_CARE);
  EXPECT_EQ(outcome.red_flags_size(), 0);
  EXPECT_EQ(outcome.self_care().technique().id(), "trigger_point");
  EXPECT_FALSE(outcome.self_care().technique().reason().empty());
  EXPECT_THAT(outcome.self_care().frequency(), HasSubstr("Weekly for 4-8 weeks"));
  EXPECT_THAT(outcome.self_care().session_length(), HasSubstr("30-60 minutes"));
  EXPECT_GT(outcome.self_care().before_session_size(), 0);
  EXPECT_GT(outcome.self_care().after_session_size(), 0);
  EXPECT_GT(outcome.self_care().self_massage_size(), 0);
  EXPECT_GT(outcome.self_care().watch_for_size(), 0);
}

TEST_F(GrpcEndToEndTest, SelfCareByNumbersAndWords) {
  const tv1::Turn turn = TalkUntilOutcome(
      {"7", "1", "2", "Upper back", "since yesterday", "5", "5", "none", "33",
       "new to massage", "knots", "4"});
  EXPECT_EQ(turn.outcome().level(), tv1::LEVEL_SELF_CARE);
  EXPECT_EQ(turn.outcome().self_care().technique().id(), "swedish");
  EXPECT_THAT(turn.outcome().self_care().frequency(), HasSubstr("2-3 times per week"));
}

TEST_F(GrpcEndToEndTest, NotUnderstoodAsksAgainWithANotice) {
  const tv1::Turn first = Start();
  tv1::Turn again;
  ASSERT_TRUE(Answer(first, {}, "purple elephants", &again).ok());
  EXPECT_EQ(again.question().id(), "warning_signs");
  EXPECT_THAT(again.notice(), HasSubstr("purple elephants"));
  EXPECT_THAT(again.notice(), HasSubstr("1 to 7"));
  tv1::Turn unsure;
  ASSERT_TRUE(Answer(first, {}, "not sure", &unsure).ok());
  EXPECT_EQ(unsure.question().id(), "warning_signs");
  EXPECT_THAT(unsure.notice(), HasSubstr("safer"));
}

TEST_F(GrpcEndToEndTest, ATypedReadingIsProposedThenAcceptedOrRefused) {
  const tv1::Turn first = Start();
  tv1::Turn proposed;
  ASSERT_TRUE(Answer(first, {}, "nothing like that", &proposed).ok());
  ASSERT_TRUE(proposed.has_confirmation());
  EXPECT_EQ(proposed.question().id(), "warning_signs");  // still the question
  EXPECT_EQ(proposed.confirmation().options(0).id(), "none");
  // "None of these" names what it rules out.
  EXPECT_THAT(proposed.confirmation().text(), HasSubstr("both legs"));
  EXPECT_EQ(proposed.confirmation().accept_label(), "Yes");

  // A reload shows the same proposal.
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  tv1::GetSessionRequest get;
  get.set_session_id(first.session_id());
  tv1::GetSessionResponse got;
  ASSERT_TRUE(stub_->GetSession(&context, get, &got).ok());
  EXPECT_EQ(got.turn().confirmation().text(), proposed.confirmation().text());

  // Typed "no": the question again, with the options and no proposal.
  tv1::Turn refused;
  ASSERT_TRUE(Answer(proposed, {}, "no", &refused).ok());
  EXPECT_FALSE(refused.has_confirmation());
  EXPECT_EQ(refused.question().id(), "warning_signs");
  EXPECT_THAT(refused.notice(), HasSubstr("choose from the options"));
  EXPECT_EQ(refused.question().progress().answered(), 0);

  // Again, and this time yes (by the field): recorded, and read back.
  ASSERT_TRUE(Answer(refused, {}, "nothing like that", &proposed).ok());
  const tv1::Turn accepted = Confirm(proposed, tv1::CONFIRMATION_REPLY_ACCEPT);
  EXPECT_EQ(accepted.question().id(), "injury");
  EXPECT_EQ(accepted.read_back().options(0).id(), "none");
  EXPECT_THAT(accepted.read_back().text(), HasSubstr("None of these"));

  // Nothing waits now: a confirmation is refused, and names why.
  tv1::SubmitAnswerRequest stray;
  stray.set_session_id(accepted.session_id());
  stray.set_confirmation(tv1::CONFIRMATION_REPLY_ACCEPT);
  tv1::SubmitAnswerResponse response;
  const grpc::Status status = stub_->SubmitAnswer(Context().get(), stray, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("confirm"));
}

TEST_F(GrpcEndToEndTest, ButtonsAnswerDirectlyWhileAProposalWaits) {
  tv1::Turn proposed;
  ASSERT_TRUE(Answer(Start(), {}, "my legs are weak", &proposed).ok());
  ASSERT_TRUE(proposed.has_confirmation());
  tv1::Turn answered;
  ASSERT_TRUE(Answer(proposed, {"none"}, "", &answered).ok());
  EXPECT_EQ(answered.question().id(), "injury");
  EXPECT_FALSE(answered.has_confirmation());
  EXPECT_FALSE(answered.has_read_back());  // buttons need no read back
}

TEST_F(GrpcEndToEndTest, NoImprovementIsNeverReadAsNewToMassage) {
  // A conversation that reaches the massage question by buttons.
  tv1::Turn turn = AnswerByOptionIds({{"warning_signs", {"none"}},
                                      {"injury", {"no_injury"}},
                                      {"cancer_history", {"no"}},
                                      {"pain_location", {"upper_back"}},
                                      {"duration", {"chronic"}},
                                      {"symptoms", {"none"}},
                                      {"immune_bone", {"none"}},
                                      {"medical_history", {"none"}},
                                      {"age", {"age_20_to_54"}}});
  ASSERT_EQ(turn.question().id(), "massage_history");
  tv1::Turn next;
  ASSERT_TRUE(Answer(turn, {}, "weekly massage for 8 weeks and no improvement", &next).ok());
  ASSERT_TRUE(next.has_confirmation());
  EXPECT_EQ(next.confirmation().options(0).id(), "regular_no_relief");
  const tv1::Turn outcome = Confirm(next, tv1::CONFIRMATION_REPLY_ACCEPT);
  ASSERT_TRUE(outcome.has_outcome());
  EXPECT_EQ(outcome.outcome().level(), tv1::LEVEL_SEE_DOCTOR);
}

TEST_F(GrpcEndToEndTest, GetSessionResumesWhereItWas) {
  tv1::Turn turn = AnswerByOptionIds({{"warning_signs", {"none"}}, {"injury", {"no_injury"}}});
  tv1::GetSessionRequest request;
  request.set_session_id(turn.session_id());
  tv1::GetSessionResponse response;
  ASSERT_TRUE(stub_->GetSession(Context().get(), request, &response).ok());
  EXPECT_EQ(response.turn().question().id(), "cancer_history");
  EXPECT_EQ(response.turn().question().progress().answered(), 2);
  EXPECT_TRUE(response.turn().can_go_back());
}

// "question_id: option_id=label, ..." for each answer of a turn.
std::vector<std::string> AnswersOf(const tv1::Turn& turn) {
  std::vector<std::string> out;
  for (const tv1::AnsweredQuestion& answer : turn.answers()) {
    std::string line = absl::StrCat(answer.question_id(), " \"", answer.question_text(), "\":");
    for (const tv1::Option& option : answer.chosen()) {
      absl::StrAppend(&line, " ", option.id(), "=", option.label());
    }
    out.push_back(line);
  }
  return out;
}

TEST_F(GrpcEndToEndTest, AnswersComeWithGetSessionAndTheOutcomeOnly) {
  const tv1::Turn first = Start();
  EXPECT_EQ(first.answers_size(), 0);
  tv1::Turn second;
  ASSERT_TRUE(Answer(first, {"none"}, "", &second).ok());
  EXPECT_EQ(second.answers_size(), 0) << "an ordinary turn stays small";
  tv1::Turn third;
  ASSERT_TRUE(Answer(second, {"no_injury"}, "", &third).ok());
  EXPECT_EQ(third.answers_size(), 0);

  tv1::GetSessionRequest get;
  get.set_session_id(first.session_id());
  tv1::GetSessionResponse got;
  ASSERT_TRUE(stub_->GetSession(Context().get(), get, &got).ok());
  EXPECT_EQ(got.turn().question().id(), "cancer_history");
  EXPECT_THAT(AnswersOf(got.turn()),
              ::testing::ElementsAre(
                  "warning_signs \"Do you have any of these right now? Choose all that "
                  "apply.\": none=None of these",
                  "injury \"Did the pain start after an accident or injury?\": "
                  "no_injury=No, it came on by itself"));

  // The outcome turn has them all, in the order asked, and so does
  // GetSession on a finished conversation.
  tv1::Turn fourth;
  ASSERT_TRUE(Answer(got.turn(), {"yes"}, "", &fourth).ok());
  ASSERT_EQ(fourth.question().id(), "cancer_signs");
  EXPECT_EQ(fourth.answers_size(), 0);
  tv1::Turn done;
  ASSERT_TRUE(Answer(fourth, {"leg_weakness_or_walking"}, "", &done).ok());
  ASSERT_TRUE(done.has_outcome()) << done.DebugString();
  EXPECT_THAT(AnswersOf(done),
              ::testing::ElementsAre(HasSubstr("warning_signs "), HasSubstr("injury "),
                                     HasSubstr("cancer_history \"Have you ever had cancer?"),
                                     HasSubstr(": leg_weakness_or_walking=New weakness in my legs")));
  ASSERT_TRUE(stub_->GetSession(Context().get(), get, &got).ok());
  EXPECT_EQ(AnswersOf(got.turn()), AnswersOf(done));
}

TEST_F(GrpcEndToEndTest, AnswersOfAMultipleChoiceListEveryOptionChosen) {
  const tv1::Turn turn = AnswerByOptionIds({{"warning_signs", {"both_legs", "saddle_numbness"}}});
  ASSERT_TRUE(turn.has_outcome());
  ASSERT_EQ(turn.answers_size(), 1);
  ASSERT_EQ(turn.answers(0).chosen_size(), 2);
  EXPECT_EQ(turn.answers(0).chosen(0).id(), "both_legs");
  EXPECT_EQ(turn.answers(0).chosen(1).id(), "saddle_numbness");
  EXPECT_THAT(turn.answers(0).chosen(1).label(), HasSubstr("genitals"));
}

TEST_F(GrpcEndToEndTest, AnswersAreInTheSessionsLanguage) {
  const tv1::Turn first = Start("es");
  tv1::Turn second;
  ASSERT_TRUE(Answer(first, {"none"}, "", &second).ok());
  tv1::Turn third;
  ASSERT_TRUE(Answer(second, {"no_injury"}, "", &third).ok());
  tv1::GetSessionRequest get;
  get.set_session_id(first.session_id());
  tv1::GetSessionResponse got;
  ASSERT_TRUE(stub_->GetSession(Context().get(), get, &got).ok());
  EXPECT_EQ(got.turn().locale(), "es");
  ASSERT_EQ(got.turn().answers_size(), 2);
  EXPECT_EQ(got.turn().answers(0).question_text(), first.question().text());
  EXPECT_THAT(got.turn().answers(0).question_text(), HasSubstr("síntomas"));
  EXPECT_EQ(got.turn().answers(0).chosen(0).label(), "Ninguno de estos");
  EXPECT_EQ(got.turn().answers(1).question_text(), second.question().text());
  EXPECT_EQ(got.turn().answers(1).chosen(0).id(), "no_injury");
  EXPECT_EQ(got.turn().answers(1).chosen(0).label(), "No, apareció por sí solo");
}

TEST_F(GrpcEndToEndTest, AnswersAfterGoBackLeaveOutTheWithdrawnOne) {
  tv1::Turn turn = AnswerByOptionIds({{"warning_signs", {"none"}},
                                      {"injury", {"no_injury"}},
                                      {"cancer_history", {"no"}}});
  tv1::GoBackRequest back;
  back.set_session_id(turn.session_id());
  tv1::GoBackResponse back_response;
  ASSERT_TRUE(stub_->GoBack(Context().get(), back, &back_response).ok());
  EXPECT_EQ(back_response.turn().question().id(), "cancer_history");
  EXPECT_EQ(back_response.turn().answers_size(), 0) << "GoBack lands on a question";
  tv1::GetSessionRequest get;
  get.set_session_id(turn.session_id());
  tv1::GetSessionResponse got;
  ASSERT_TRUE(stub_->GetSession(Context().get(), get, &got).ok());
  EXPECT_THAT(AnswersOf(got.turn()),
              ::testing::ElementsAre(HasSubstr("warning_signs "), HasSubstr("injury ")));

  // Going back from an outcome: the outcome's answer is withdrawn too.
  tv1::Turn emergency = AnswerByOptionIds({{"warning_signs", {"none"}}, {"injury", {"serious_accident"}}});
  ASSERT_TRUE(emergency.has_outcome()) << emergency.DebugString();
  ASSERT_EQ(emergency.answers_size(), 2);
  back.set_session_id(emergency.session_id());
  ASSERT_TRUE(stub_->GoBack(Context().get(), back, &back_response).ok());
  get.set_session_id(emergency.session_id());
  ASSERT_TRUE(stub_->GetSession(Context().get(), get, &got).ok());
  EXPECT_EQ(got.turn().question().id(), "injury");
  EXPECT_THAT(AnswersOf(got.turn()), ::testing::ElementsAre(HasSubstr("warning_signs ")));
}

TEST_F(GrpcEndToEndTest, GoBackAndRestart) {
  tv1::Turn turn = AnswerByOptionIds({{"warning_signs", {"both_legs"}}});
  ASSERT_TRUE(turn.has_outcome());
  tv1::GoBackRequest back;
  back.set_session_id(turn.session_id());
  tv1::GoBackResponse back_response;
  ASSERT_TRUE(stub_->GoBack(Context().get(), back, &back_response).ok());
  EXPECT_EQ(back_response.turn().question().id(), "warning_signs");
  EXPECT_FALSE(back_response.turn().can_go_back());
  const grpc::Status again = stub_->GoBack(Context().get(), back, &back_response);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  tv1::Turn next;
  ASSERT_TRUE(Answer(back_response.turn(), {"none"}, "", &next).ok());
  tv1::RestartSessionRequest restart;
  restart.set_session_id(turn.session_id());
  tv1::RestartSessionResponse restart_response;
  ASSERT_TRUE(stub_->RestartSession(Context().get(), restart, &restart_response).ok());
  EXPECT_EQ(restart_response.turn().question().id(), "warning_signs");
  EXPECT_EQ(restart_response.turn().session_id(), turn.session_id());
  EXPECT_EQ(restart_response.turn().question().progress().answered(), 0);
}

TEST_F(GrpcEndToEndTest, UnknownSessionIsNotFound) {
  tv1::GetSessionRequest request;
  request.set_session_id(std::string(32, 'a'));
  tv1::GetSessionResponse response;
  const grpc::Status status = stub_->GetSession(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("session_id"));
}

TEST_F(GrpcEndToEndTest, MalformedRequestsAreInvalidArgumentNamingTheField) {
  const tv1::Turn turn = Start();
  tv1::Turn out;
  grpc::Status status = Answer(turn, {"none"}, "none", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("option_ids"));

  status = Answer(turn, {"maybe"}, "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("has no option \"maybe\""));

  status = Answer(turn, {"none", "both_legs"}, "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("cannot be combined"));

  status = Answer(turn, {}, std::string(5000, 'x'), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("text"));

  tv1::Turn bad_id = turn;
  bad_id.set_session_id("not-an-id");
  status = Answer(bad_id, {"none"}, "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("session_id"));

  tv1::StartSessionRequest start;
  start.set_locale("not a locale!");
  tv1::StartSessionResponse start_response;
  status = stub_->StartSession(Context().get(), start, &start_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("locale"));

  start.set_locale("en");
  start.set_dialog_id("no_such_dialog");
  status = stub_->StartSession(Context().get(), start, &start_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("back_pain"));
}

// Bytes that are not the request's message, and a string that is not
// UTF-8, sent as they are: INVALID_ARGUMENT naming the method (gRPC's own
// parsing answered UNIMPLEMENTED without a word). A huge bad field is
// quoted briefly, so the error itself fits in gRPC's headers.
TEST_F(GrpcEndToEndTest, BadBytesAreInvalidArgumentNamingTheMethod) {
  const grpc::internal::RpcMethod start("/backchat.triage.v1.TriageService/StartSession",
                                        grpc::internal::RpcMethod::NORMAL_RPC, channel_);
  const auto send = [&](const std::string& bytes) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    return grpc::internal::BlockingUnaryCall(channel_.get(), start, Context().get(), request,
                                             &response);
  };
  grpc::Status status = send(std::string("\xff\xff\xff\xff", 4));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("StartSession"));
  EXPECT_THAT(status.error_message(), HasSubstr("backchat.triage.v1.StartSessionRequest"));

  // Field 1 (dialog_id), length 2, bytes that are not UTF-8.
  status = send(std::string("\x0a\x02\xc3\x28", 4));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("UTF-8"));

  tv1::StartSessionRequest huge;
  huge.set_locale(std::string(8000, 'x'));
  tv1::StartSessionResponse response;
  status = stub_->StartSession(Context().get(), huge, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("(8000 bytes)"));
  EXPECT_LT(status.error_message().size(), 300u);
  // And the server carries on.
  EXPECT_FALSE(Start().session_id().empty());
}

TEST_F(GrpcEndToEndTest, AnsweringAFinishedOrStaleQuestionIsAPreconditionError) {
  const tv1::Turn first = Start();
  tv1::Turn outcome;
  ASSERT_TRUE(Answer(first, {"chest_pain"}, "", &outcome).ok());
  ASSERT_TRUE(outcome.has_outcome());
  tv1::Turn out;
  // The same answer sent twice: the second names a question no longer current.
  grpc::Status status = Answer(first, {"chest_pain"}, "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  tv1::Turn no_question = outcome;
  no_question.clear_question();
  status = Answer(no_question, {}, "yes", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("finished"));

  const tv1::Turn second = Start();
  tv1::Turn after;
  ASSERT_TRUE(Answer(second, {"none"}, "", &after).ok());
  status = Answer(second, {"none"}, "", &out);  // Stale question_id.
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("\"injury\""));
}

TEST_F(GrpcEndToEndTest, UnsupportedLocaleFallsBackAndSaysSo) {
  const tv1::Turn turn = Start("fr-CA");
  EXPECT_EQ(turn.locale(), "en");
  EXPECT_TRUE(turn.locale_fallback());
  EXPECT_FALSE(Start("en-GB").locale_fallback());
}

TEST_F(GrpcEndToEndTest, SpanishReachesEveryLevel) {
  const tv1::Turn emergency = TalkUntilOutcome({"las dos piernas"}, "es");
  EXPECT_EQ(emergency.locale(), "es");
  EXPECT_FALSE(emergency.locale_fallback());
  EXPECT_EQ(emergency.outcome().level(), tv1::LEVEL_EMERGENCY);
  EXPECT_THAT(emergency.outcome().headline(), HasSubstr("emergencias"));
  EXPECT_THAT(emergency.outcome().red_flags(0).reason(), HasSubstr("dos piernas"));

  const tv1::Turn urgent = TalkUntilOutcome(
      {"ninguno", "no", "no", "espalda baja", "3 semanas", "fiebre"}, "es-MX");
  EXPECT_EQ(urgent.outcome().level(), tv1::LEVEL_URGENT);
  EXPECT_THAT(urgent.outcome().red_flags(0).reason(), HasSubstr("Fiebre"));

  const tv1::Turn see_doctor = TalkUntilOutcome(
      {"ninguno", "no", "no", "espalda baja", "desde ayer", "ninguno", "ninguno",
       "estoy embarazada"},
      "es");
  EXPECT_EQ(see_doctor.outcome().level(), tv1::LEVEL_SEE_DOCTOR);
  EXPECT_THAT(see_doctor.outcome().red_flags(0).reason(), HasSubstr("Embarazo"));

  const tv1::Turn self_care = TalkUntilOutcome(
      {"ninguno", "no", "no", "espalda baja", "dos meses", "ninguno", "ninguno",
       "ninguno", "tengo 40 años", "sí, me ayudó", "nudos", "firme"},
      "es");
  EXPECT_EQ(self_care.outcome().level(), tv1::LEVEL_SELF_CARE);
  EXPECT_EQ(self_care.outcome().self_care().technique().id(), "deep_tissue");
  EXPECT_THAT(self_care.outcome().self_care().technique().name(), HasSubstr("tejido profundo"));
  EXPECT_THAT(self_care.outcome().self_care().frequency(), HasSubstr("De 2 a 3 veces"));
  EXPECT_THAT(self_care.outcome().disclaimer(), HasSubstr("no es un diagnóstico"));
  EXPECT_EQ(self_care.dialog_version(), emergency.dialog_version());
}

TEST_F(GrpcEndToEndTest, SpanishNoticesAreInSpanish) {
  const tv1::Turn first = Start("es");
  EXPECT_THAT(first.question().text(), HasSubstr("síntomas"));
  tv1::Turn again;
  ASSERT_TRUE(Answer(first, {}, "elefantes morados", &again).ok());
  EXPECT_THAT(again.notice(), HasSubstr("no he entendido"));
}

TEST_F(GrpcEndToEndTest, HealthServiceReportsServing) {
  const grpc::internal::RpcMethod check("/grpc.health.v1.Health/Check",
                                        grpc::internal::RpcMethod::NORMAL_RPC,
                                        channel_);
  testing::wire::HealthCheckRequest request;
  testing::wire::HealthCheckResponse response;
  const grpc::Status status = grpc::internal::BlockingUnaryCall(
      channel_.get(), check, Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), testing::wire::HealthCheckResponse::SERVING);
}

TEST_F(GrpcEndToEndTest, ReflectionListsTheTriageService) {
  const grpc::internal::RpcMethod info(
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      grpc::internal::RpcMethod::BIDI_STREAMING, channel_);
  auto context = Context();
  std::unique_ptr<grpc::ClientReaderWriter<testing::wire::ServerReflectionRequest,
                                           testing::wire::ServerReflectionResponse>>
      stream(grpc::internal::ClientReaderWriterFactory<
             testing::wire::ServerReflectionRequest,
             testing::wire::ServerReflectionResponse>::Create(channel_.get(), info,
                                                              context.get()));
  testing::wire::ServerReflectionRequest request;
  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  testing::wire::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_THAT(names, ::testing::Contains("backchat.triage.v1.TriageService"));
  EXPECT_THAT(names, ::testing::Contains("grpc.health.v1.Health"));
  while (stream->Read(&response)) {
  }
  EXPECT_TRUE(stream->Finish().ok());
}

// Reflection v1, as grpcurl and Postman ask for it first: the services, the
// file declaring a symbol with its imports, and a clear miss.
TEST_F(GrpcEndToEndTest, ReflectionV1ListsServicesAndServesFiles) {
  namespace rv1 = ::grpc::reflection::v1;
  auto stub = rv1::ServerReflection::NewStub(channel_);
  auto context = Context();
  auto stream = stub->ServerReflectionInfo(context.get());
  rv1::ServerReflectionRequest request;
  rv1::ServerReflectionResponse response;

  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_THAT(names, ::testing::Contains("backchat.triage.v1.TriageService"));
  EXPECT_THAT(names, ::testing::Contains("grpc.reflection.v1.ServerReflection"));

  request.set_file_containing_symbol("backchat.triage.v1.TriageService");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> files;
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    files.push_back(file.name());
  }
  EXPECT_THAT(files, ::testing::Contains("backchat/triage/v1/triage.proto"));
  EXPECT_THAT(files, ::testing::Contains("backchat/triage/v1/types.proto"));

  request.set_file_containing_symbol("no.such.Symbol");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.error_response().error_code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(response.error_response().error_message(), HasSubstr("no.such.Symbol"));

  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

}  // namespace
}  // namespace backchat::api
