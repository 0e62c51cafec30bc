// The clinic's dashboard from end to end below the transports: real
// conversations through Conversations (memory store, a fake clock) are
// counted, and GetReport's numbers are exactly what those conversations
// did: started, finished, abandoned by the idle-timeout rule, outcomes, red
// flags, the funnel, typed answers, questions and minutes to an outcome.
#include "absl/strings/str_cat.h"
#include "backchat/admin/v1/admin.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "service/api/clinic_report.h"
#include "service/api/conversations.h"
#include "service/api/server.h"
#include "service/records/outcome_count_stores.h"
#include "service/store/memory_session_store.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/live_server.h"

namespace backchat::api {
namespace {

namespace tv1 = ::backchat::triage::v1;
namespace av1 = ::backchat::admin::v1;
using ::testing::HasSubstr;

class DashboardReportTest : public ::testing::Test {
 protected:
  DashboardReportTest()
      : dialogs_(testing::LoadSourceDialogs()),
        sessions_(store::MemoryStoreOptions{absl::Minutes(30), 1000, [this] { return now_; }}),
        conversations_(dialogs_.get(), &sessions_, nullptr, [this] { return now_; }) {
    conversations_.set_dashboard_counts(&counts_);
  }

  tv1::Turn Start(tv1::Channel channel, const std::string& locale = "en") {
    tv1::StartSessionRequest request;
    request.set_channel(channel);
    request.set_locale(locale);
    tv1::Turn turn;
    EXPECT_TRUE(conversations_.Start(request, &turn).ok());
    return turn;
  }

  tv1::Turn Answer(const tv1::Turn& at, std::vector<std::string> options) {
    tv1::SubmitAnswerRequest request;
    request.set_session_id(at.session_id());
    for (const auto& option : options) request.add_option_ids(option);
    tv1::Turn turn;
    const absl::Status status = conversations_.Answer(request, &turn);
    EXPECT_TRUE(status.ok()) << status;
    return turn;
  }

  tv1::Turn Type(const tv1::Turn& at, const std::string& text) {
    tv1::SubmitAnswerRequest request;
    request.set_session_id(at.session_id());
    request.set_text(text);
    tv1::Turn turn;
    const absl::Status status = conversations_.Answer(request, &turn);
    EXPECT_TRUE(status.ok()) << status;
    return turn;
  }

  // Answers every question with the self-care answers.
  tv1::Turn Finish(tv1::Turn turn, int* answered) {
    for (int guard = 0; guard < 20 && turn.has_question(); ++guard) {
      turn = Answer(turn, testing::BackPainSelfCareAnswers().at(turn.question().id()));
      ++*answered;
    }
    return turn;
  }

  av1::GetReportResponse Report(av1::GetReportRequest request = {}) {
    av1::GetReportResponse response;
    const absl::Status status =
        BuildReport({&counts_, absl::Minutes(30), dialogs_.get()}, request, now_, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response;
  }

  // 2026-03-02 10:00 UTC.
  absl::Time now_ = absl::FromUnixSeconds(1772445600);
  std::unique_ptr<engine::DialogRegistry> dialogs_;
  store::MemorySessionStore sessions_;
  records::MemoryOutcomeCounts counts_;
  Conversations conversations_;
};

const av1::ReportQuestion* Question(const av1::GetReportResponse& report, const std::string& id) {
  for (const auto& question : report.questions()) {
    if (question.question_id() == id) return &question;
  }
  return nullptr;
}

int64_t CountOf(const google::protobuf::RepeatedPtrField<av1::ReportCount>& counts,
                const std::string& key) {
  for (const auto& count : counts) {
    if (count.key() == key) return count.count();
  }
  return 0;
}

TEST_F(DashboardReportTest, CountsWhatKnownConversationsDid) {
  // A: EMERGENCY after one question, 30 s after the start (web).
  const tv1::Turn a = Start(tv1::CHANNEL_WEB);
  now_ += absl::Seconds(30);
  const tv1::Turn a_end = Answer(a, {"both_legs"});
  ASSERT_TRUE(a_end.has_outcome());
  ASSERT_EQ(a_end.outcome().level(), tv1::LEVEL_EMERGENCY);
  const std::string flag = a_end.outcome().red_flags(0).id();
  // B: SELF_CARE by the self-care answers, in 4 minutes (SMS); its first
  // answer typed and not understood, then typed and read.
  tv1::Turn b = Start(tv1::CHANNEL_SMS);
  b = Type(b, "qwxzv");
  ASSERT_FALSE(b.notice().empty());
  b = Type(b, "none of these");
  int b_answered = 1;
  now_ += absl::Minutes(4);
  const tv1::Turn b_end = Finish(b, &b_answered);
  ASSERT_EQ(b_end.outcome().level(), tv1::LEVEL_SELF_CARE);
  // C: stops at the second question (Spanish, web).
  tv1::Turn c = Start(tv1::CHANNEL_WEB, "es");
  c = Answer(c, {"none"});
  ASSERT_EQ(c.question().id(), "injury");
  // D: EMERGENCY, then back to the first question, and stops there.
  tv1::Turn d = Start(tv1::CHANNEL_WEB);
  ASSERT_TRUE(Answer(d, {"both_legs"}).has_outcome());
  tv1::GoBackRequest back;
  back.set_session_id(d.session_id());
  ASSERT_TRUE(conversations_.GoBack(back, &d).ok());
  ASSERT_EQ(d.question().id(), "warning_signs");

  // The same day, before the idle timeout: nothing is abandoned yet.
  now_ += absl::Minutes(10);
  av1::GetReportResponse today = Report();
  ASSERT_EQ(today.days_size(), 30);
  const av1::ReportDay& day = today.days(29);
  EXPECT_EQ(day.day(), "2026-03-02");
  EXPECT_EQ(day.started(), 4);
  EXPECT_EQ(day.finished(), 2);
  EXPECT_EQ(day.abandoned(), 0);
  EXPECT_EQ(day.in_progress(), 2);
  ASSERT_NE(Question(today, "warning_signs"), nullptr);
  EXPECT_EQ(Question(today, "warning_signs")->in_progress(), 1);
  EXPECT_EQ(Question(today, "warning_signs")->stopped(), 0);

  // The next day, 31 minutes after midnight: the two unfinished ones are
  // abandoned where they were.
  now_ = absl::FromUnixSeconds(1772445600 + 14 * 3600 + 31 * 60);
  av1::GetReportRequest period;
  period.set_from_day("2026-03-02");
  period.set_to_day("2026-03-02");
  const av1::GetReportResponse report = Report(period);
  ASSERT_EQ(report.days_size(), 1);
  EXPECT_EQ(report.days(0).started(), 4);
  EXPECT_EQ(report.days(0).finished(), 2);
  EXPECT_EQ(report.days(0).abandoned(), 2);
  EXPECT_EQ(report.days(0).in_progress(), 0);

  EXPECT_EQ(CountOf(report.outcomes(), "EMERGENCY"), 2);  // A, and D before going back
  EXPECT_EQ(CountOf(report.outcomes(), "SELF_CARE"), 1);
  EXPECT_EQ(CountOf(report.outcomes(), "URGENT"), 0);
  EXPECT_EQ(report.outcomes_size(), 4);
  EXPECT_EQ(CountOf(report.red_flags(), flag), 2);

  const av1::ReportQuestion* first = Question(report, "warning_signs");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->reached(), 4);  // D's Back does not count it again
  EXPECT_EQ(first->stopped(), 1);  // D
  EXPECT_EQ(first->typed_asked_again(), 1);
  EXPECT_EQ(first->typed_accepted() + first->typed_confirmed(), 1);
  // In the dialog's order.
  ASSERT_GE(report.questions_size(), 3);
  EXPECT_EQ(report.questions(0).question_id(), "warning_signs");
  EXPECT_EQ(report.questions(1).question_id(), "injury");
  EXPECT_EQ(report.questions(2).question_id(), "cancer_history");
  const av1::ReportQuestion* injury = Question(report, "injury");
  ASSERT_NE(injury, nullptr);
  EXPECT_EQ(injury->reached(), 2);  // B and C
  EXPECT_EQ(injury->stopped(), 1);  // C

  EXPECT_EQ(CountOf(report.questions_to_outcome(), "1"), 2);
  EXPECT_EQ(CountOf(report.questions_to_outcome(), absl::StrCat(b_answered)), 1);
  EXPECT_EQ(report.median_questions_to_outcome(), 1);
  EXPECT_EQ(CountOf(report.minutes_to_outcome(), "0-1"), 2);
  EXPECT_EQ(CountOf(report.minutes_to_outcome(), "3-5"), 1);
  EXPECT_EQ(report.median_minutes_to_outcome(), "0-1");

  // What the filters can choose from, whatever is chosen.
  EXPECT_THAT(report.languages(), ::testing::ElementsAre("en", "es"));
  EXPECT_THAT(report.channels(), ::testing::ElementsAre(tv1::CHANNEL_WEB, tv1::CHANNEL_SMS));
  ASSERT_EQ(report.dialog_versions_size(), 1);
  EXPECT_EQ(report.dialog_versions(0).dialog_id(), "back_pain");

  // Nothing in the report names a session, or holds what was typed.
  const std::string text = report.DebugString();
  for (const std::string& id : {a.session_id(), b.session_id(), c.session_id(), d.session_id()}) {
    EXPECT_THAT(text, ::testing::Not(HasSubstr(id)));
  }
  EXPECT_THAT(text, ::testing::Not(HasSubstr("qwxzv")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("none of these")));
}

TEST_F(DashboardReportTest, FiltersByChannelLanguageAndVersion) {
  Answer(Start(tv1::CHANNEL_WEB), {"both_legs"});
  Start(tv1::CHANNEL_SMS);
  Start(tv1::CHANNEL_WEB, "es");
  av1::GetReportRequest sms;
  sms.set_channel(tv1::CHANNEL_SMS);
  EXPECT_EQ(Report(sms).days(29).started(), 1);
  av1::GetReportRequest spanish;
  spanish.set_language("es");
  EXPECT_EQ(Report(spanish).days(29).started(), 1);
  av1::GetReportRequest other_version;
  other_version.set_dialog_version("not-a-version");
  EXPECT_EQ(Report(other_version).days(29).started(), 0);
  av1::GetReportRequest web;
  web.set_channel(tv1::CHANNEL_WEB);
  web.set_language("en");
  const av1::GetReportResponse report = Report(web);
  EXPECT_EQ(report.days(29).started(), 1);
  EXPECT_EQ(report.days(29).finished(), 1);
}

TEST_F(DashboardReportTest, RefusesABadPeriodNamingTheField) {
  const auto refused = [this](const std::string& from, const std::string& to) {
    av1::GetReportRequest request;
    request.set_from_day(from);
    request.set_to_day(to);
    av1::GetReportResponse response;
    return BuildReport({&counts_, absl::Minutes(30)}, request, now_, &response);
  };
  absl::Status status = refused("2026-3-1", "");
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("from_day: \"2026-3-1\" is not a day as YYYY-MM-DD"));
  status = refused("", "yesterday");
  EXPECT_THAT(status.message(), HasSubstr("to_day: \"yesterday\""));
  status = refused("2026-03-05", "2026-03-01");
  EXPECT_THAT(status.message(), HasSubstr("from_day: 2026-03-05 is after to_day 2026-03-01"));
  status = refused("2024-01-01", "2026-03-01");
  EXPECT_THAT(status.message(), HasSubstr("days; at most 400"));
  av1::GetReportResponse response;
  EXPECT_TRUE(absl::IsFailedPrecondition(BuildReport({}, {}, now_, &response)));
}

// GetReport over gRPC: the same report, behind a key with the reports scope.
TEST_F(DashboardReportTest, GrpcGetReportNeedsAKeyWithTheReportsScope) {
  Answer(Start(tv1::CHANNEL_CLI), {"both_legs"});
  constexpr char kReports[] = "reports-scope-key-0123456789abcdef";
  constexpr char kRecords[] = "records-scope-key-0123456789abcdef";
  auto keys = security::ApiKeyring::FromKeys(
      {{"clinic", {"reports"}, kReports}, {"ops", {"records", "metrics"}, kRecords}});
  AdminCalls calls;
  calls.reports = {&counts_, absl::Minutes(30)};
  calls.clock = [this] { return now_; };
  ServerOptions options;
  options.port = 0;
  options.guards.keys = keys.get();
  options.admin_calls = &calls;
  auto server = BackchatServer::Start(options, &conversations_, dialogs_.get(), &sessions_);
  ASSERT_TRUE(server.ok()) << server.status();
  auto admin = av1::AdminService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*server)->port()), grpc::InsecureChannelCredentials()));
  const auto call = [&](const std::string& key, av1::GetReportResponse* response) {
    grpc::ClientContext context;
    if (!key.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", key));
    return admin->GetReport(&context, {}, response);
  };
  av1::GetReportResponse response;
  EXPECT_EQ(call("", &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(call("not-a-known-key-0123456789abcdef", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const grpc::Status unscoped = call(kRecords, &response);
  EXPECT_EQ(unscoped.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(unscoped.error_message(), HasSubstr("lacks the \"reports\" scope"));
  const grpc::Status allowed = call(kReports, &response);
  ASSERT_TRUE(allowed.ok()) << allowed.error_message();
  EXPECT_EQ(response.days(29).started(), 1);
  EXPECT_EQ(CountOf(response.outcomes(), "EMERGENCY"), 1);
  (*server)->Shutdown(absl::Seconds(1));
}

TEST(MinutesBucketTest, PutsEachDurationInOneBucket) {
  EXPECT_EQ(DashboardCounts::MinutesBucket(absl::Seconds(59)), "0-1");
  EXPECT_EQ(DashboardCounts::MinutesBucket(absl::Minutes(1)), "1-2");
  EXPECT_EQ(DashboardCounts::MinutesBucket(absl::Minutes(4)), "3-5");
  EXPECT_EQ(DashboardCounts::MinutesBucket(absl::Minutes(59)), "30-60");
  EXPECT_EQ(DashboardCounts::MinutesBucket(absl::Hours(5)), "60+");
}

}  // namespace
}  // namespace backchat::api
