// Whole conversations typed the way patients type (tests/typed/
// conversations.<lang>.txt), through the real server on a loopback port,
// each also answered by option ids. A person who is shown a proposed
// reading says yes when it is what they meant, else no and then answers
// with option numbers; the same when they are asked again. The typed
// level must never be less urgent than the level by buttons, and no typed
// answer may be accepted as something the person did not mean.
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gtest/gtest.h"
#include "service/engine/compiled_dialog.h"
#include "service/store/memory_session_store.h"
#include "tests/support/live_server.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;

struct CaseAnswer {
  std::set<std::string> option_ids;
  std::string text;
};

struct Case {
  std::string name;
  int line = 0;
  std::map<std::string, CaseAnswer> answers;  // by question id
};

std::vector<Case> LoadCases(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path << ": cannot be read";
  std::vector<Case> cases;
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    if (absl::ConsumePrefix(&line, "case:")) {
      cases.push_back(
          {std::string(absl::StripAsciiWhitespace(line)), number, {}});
      continue;
    }
    std::vector<std::string> fields =
        absl::StrSplit(line, absl::MaxSplits('|', 2));
    if (fields.size() != 3 || cases.empty()) {
      ADD_FAILURE() << path << ":" << number
                    << ": expected \"question | options | text\"";
      continue;
    }
    CaseAnswer answer;
    for (absl::string_view id :
         absl::StrSplit(fields[1], ' ', absl::SkipWhitespace())) {
      answer.option_ids.insert(std::string(id));
    }
    answer.text = std::string(absl::StripAsciiWhitespace(fields[2]));
    cases.back().answers[std::string(absl::StripAsciiWhitespace(fields[0]))] =
        answer;
  }
  return cases;
}

std::set<std::string> Ids(
    const google::protobuf::RepeatedPtrField<tv1::Option>& options) {
  std::set<std::string> ids;
  for (const tv1::Option& option : options) ids.insert(option.id());
  return ids;
}

// The option numbers ("1 3") of `ids` on `question`.
std::string Numbers(const tv1::Question& question,
                    const std::set<std::string>& ids) {
  std::vector<int> numbers;
  for (int i = 0; i < question.options_size(); ++i) {
    if (ids.count(question.options(i).id())) numbers.push_back(i + 1);
  }
  return absl::StrJoin(numbers, " ");
}

struct Figures {
  int cases = 0, same_level = 0, more_urgent = 0, less_urgent = 0;
  int accepted = 0, confirmed = 0, refused = 0, asked_again = 0;
};

class TypedConversationsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto live = LiveServer::Start(dialogs_.get(), &sessions_);
    ASSERT_TRUE(live.ok()) << live.status();
    live_ = *std::move(live);
    stub_ = tv1::TriageService::NewStub(live_->channel());
  }

  tv1::Turn Call(const tv1::SubmitAnswerRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    tv1::SubmitAnswerResponse response;
    const grpc::Status status =
        stub_->SubmitAnswer(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.turn();
  }

  tv1::Turn Start(const std::string& locale) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    tv1::StartSessionRequest request;
    request.set_locale(locale);
    request.set_channel(tv1::CHANNEL_SMS);
    tv1::StartSessionResponse response;
    const grpc::Status status =
        stub_->StartSession(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.turn();
  }

  tv1::SubmitAnswerRequest For(const tv1::Turn& turn) {
    tv1::SubmitAnswerRequest request;
    request.set_session_id(turn.session_id());
    request.set_question_id(turn.question().id());
    return request;
  }

  // The level reached answering by option ids; UNSPECIFIED on failure.
  tv1::Level ByButtons(const Case& c, const std::string& locale) {
    tv1::Turn turn = Start(locale);
    for (int step = 0; step < 40 && turn.has_question(); ++step) {
      auto it = c.answers.find(turn.question().id());
      if (it == c.answers.end()) {
        ADD_FAILURE() << c.name << ": no answer for " << turn.question().id();
        return tv1::LEVEL_UNSPECIFIED;
      }
      tv1::SubmitAnswerRequest request = For(turn);
      for (const std::string& id : it->second.option_ids)
        request.add_option_ids(id);
      turn = Call(request);
    }
    return turn.outcome().level();
  }

  // The level reached typing, as the file's person would.
  tv1::Level ByTyping(const Case& c, const std::string& locale,
                      Figures* figures) {
    tv1::Turn turn = Start(locale);
    for (int step = 0; step < 80 && turn.has_question(); ++step) {
      const tv1::Question question = turn.question();
      auto it = c.answers.find(question.id());
      if (it == c.answers.end()) return tv1::LEVEL_UNSPECIFIED;
      const CaseAnswer& meant = it->second;
      tv1::SubmitAnswerRequest request = For(turn);
      request.set_text(meant.text);
      tv1::Turn next = Call(request);
      const bool moved_on = !next.has_question() ||
                            next.question().id() != question.id() ||
                            next.question().progress().answered() !=
                                question.progress().answered();
      if (moved_on) {
        ++figures->accepted;
        EXPECT_EQ(Ids(next.read_back().options()), meant.option_ids)
            << c.name << " [" << question.id() << "] \"" << meant.text
            << "\" was accepted as something else";
        turn = next;
        continue;
      }
      if (next.has_confirmation()) {
        tv1::SubmitAnswerRequest reply = For(next);
        if (Ids(next.confirmation().options()) == meant.option_ids) {
          ++figures->confirmed;
          reply.set_text(next.confirmation().accept_label());  // typed "yes"
          turn = Call(reply);
          EXPECT_EQ(Ids(turn.read_back().options()), meant.option_ids)
              << c.name;
          continue;
        }
        ++figures->refused;
        reply.set_text(next.confirmation().refuse_label());  // typed "no"
        next = Call(reply);
        EXPECT_FALSE(next.has_confirmation()) << c.name;
      } else {
        ++figures->asked_again;
      }
      // Asked again: the person answers with option numbers.
      tv1::SubmitAnswerRequest numbers = For(next);
      numbers.set_text(Numbers(question, meant.option_ids));
      turn = Call(numbers);
    }
    EXPECT_TRUE(turn.has_outcome())
        << c.name << " ended at " << turn.question().id();
    return turn.outcome().level();
  }

  store::MemorySessionStore sessions_;
  std::unique_ptr<engine::DialogRegistry> dialogs_ = LoadSourceDialogs();
  std::unique_ptr<LiveServer> live_;
  std::unique_ptr<tv1::TriageService::Stub> stub_;
};

TEST_P(TypedConversationsTest, TypedNeverLessUrgentThanButtons) {
  const std::string language = GetParam();
  const std::vector<Case> cases = LoadCases(absl::StrCat(
      BACKCHAT_SOURCE_DIR, "/tests/typed/conversations.", language, ".txt"));
  ASSERT_GE(cases.size(), 30u);
  Figures figures;
  std::set<int> levels;
  for (const Case& c : cases) {
    const tv1::Level buttons = ByButtons(c, language);
    const tv1::Level typed = ByTyping(c, language, &figures);
    ASSERT_NE(buttons, tv1::LEVEL_UNSPECIFIED) << c.name;
    levels.insert(buttons);
    ++figures.cases;
    if (typed == buttons) ++figures.same_level;
    if (engine::MoreUrgent(typed, buttons)) ++figures.more_urgent;
    if (engine::MoreUrgent(buttons, typed) || typed == tv1::LEVEL_UNSPECIFIED) {
      ++figures.less_urgent;
      ADD_FAILURE() << c.name << " (line " << c.line << "): typed "
                    << tv1::Level_Name(typed) << ", by buttons "
                    << tv1::Level_Name(buttons);
    }
  }
  EXPECT_EQ(levels.size(), 4u) << "the cases must reach every level";
  std::printf(
      "%s: %d cases, %d same level, %d more urgent, %d less urgent; typed "
      "answers: "
      "%d accepted, %d confirmed, %d proposals refused, %d asked again\n",
      language.c_str(), figures.cases, figures.same_level, figures.more_urgent,
      figures.less_urgent, figures.accepted, figures.confirmed, figures.refused,
      figures.asked_again);
}

INSTANTIATE_TEST_SUITE_P(Languages, TypedConversationsTest,
                         ::testing::Values("en", "es"));

}  // namespace
}  // namespace backchat::testing
