// Care contacts (--care_contacts) and the actions they add to outcomes:
// the file's checks, the actions of each level in each language, through
// the real server on loopback and the real backchat_server process
// (refusing to start, reloading on SIGHUP).
#include "service/api/care_actions.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "service/store/memory_session_store.h"
#include "tests/support/care_contacts.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/live_server.h"
#include "tests/support/server_process.h"

namespace backchat::api {
namespace {

namespace fs = std::filesystem;
namespace dpv1 = ::backchat::deploy::v1;
namespace tv1 = ::backchat::triage::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string ReadSource(const std::string& relative) {
  std::ifstream in(absl::StrCat(BACKCHAT_SOURCE_DIR, "/", relative));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A scratch folder of its own for each test (ctest runs them in parallel).
std::string ScratchDir() {
  const std::string dir =
      absl::StrCat(::testing::TempDir(), "/care_",
                   ::testing::UnitTest::GetInstance()->current_test_info()->name(), "_",
                   getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

dpv1::CareContacts TestContacts() {
  auto contacts = ParseCareContacts(testing::kTestCareContacts, "test");
  EXPECT_TRUE(contacts.ok()) << contacts.status();
  return contacts.ok() ? *contacts : dpv1::CareContacts();
}

// ---- The file and its checks ----

TEST(CareContactsFileTest, TheExampleFileIsValidWithEnglishAndSpanishAndNoDefault) {
  auto file = CareContactsFile::Load(
      absl::StrCat(BACKCHAT_SOURCE_DIR, "/deploy/care_contacts.example.textproto"));
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ((*file)->Describe(), "2 entries (en, es)");
  auto contacts = ParseCareContacts(ReadSource("deploy/care_contacts.example.textproto"), "x");
  ASSERT_TRUE(contacts.ok());
  EXPECT_EQ(contacts->contacts(0).emergency_number(), "999");
  EXPECT_EQ(contacts->contacts(1).emergency_number(), "112");
  EXPECT_EQ(ContactsFor(*contacts, "fr"), nullptr) << "no default entry";
}

struct BadEntry {
  std::string name;
  std::string entry;    // fields inside contacts { ... } on line 2
  std::string message;  // expected, after "care.textproto:"
};
void PrintTo(const BadEntry& c, std::ostream* os) { *os << c.name; }

class BadCareContactsTest : public ::testing::TestWithParam<BadEntry> {};

TEST_P(BadCareContactsTest, IsRefusedNamingTheFileTheEntryAndTheField) {
  const BadEntry& c = GetParam();
  const std::string text = absl::StrCat(
      "contacts { locale: \"en\" emergency_number: \"999\" }\n"
      "contacts {\n",
      c.entry, "\n}\n");
  auto parsed = ParseCareContacts(text, "care.textproto");
  ASSERT_FALSE(parsed.ok()) << "accepted: " << c.entry;
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr(absl::StrCat("care.textproto:", c.message)));
}

INSTANTIATE_TEST_SUITE_P(
    EachField, BadCareContactsTest,
    ::testing::Values(
        BadEntry{"letter_in_number", "locale: \"es\"\nemergency_number: \"11a\"",
                 "4:1: contacts for \"es\": emergency_number \"11a\" must be digits, spaces "
                 "and '-', with at most one '+' at the start and at least 2 digits"},
        BadEntry{"one_digit", "locale: \"es\"\nurgent_line: \"1\"",
                 "4:1: contacts for \"es\": urgent_line \"1\" must be digits"},
        BadEntry{"two_pluses", "locale: \"es\"\nclinic_phone: \"++34 91\"",
                 "4:1: contacts for \"es\": clinic_phone \"++34 91\" must be digits"},
        BadEntry{"plus_inside", "locale: \"es\"\nclinic_phone: \"34+91\"",
                 "4:1: contacts for \"es\": clinic_phone \"34+91\" must be digits"},
        BadEntry{"javascript", "locale: \"es\"\nbooking_url: \"javascript:alert(1)\"",
                 "4:1: contacts for \"es\": booking_url \"javascript:alert(1)\" must start "
                 "with https://"},
        BadEntry{"data", "locale: \"es\"\nbooking_url: \"data:text/html,<b>hi</b>\"",
                 "4:1: contacts for \"es\": booking_url \"data:text/html,<b>hi</b>\" must "
                 "start with https://"},
        BadEntry{"ftp", "locale: \"es\"\nbooking_url: \"ftp://clinic.example/\"",
                 "4:1: contacts for \"es\": booking_url \"ftp://clinic.example/\" must "
                 "start with https://"},
        BadEntry{"no_host", "locale: \"es\"\nbooking_url: \"https:///book\"",
                 "4:1: contacts for \"es\": booking_url \"https:///book\" has no host name"},
        BadEntry{"user_in_url", "locale: \"es\"\nbooking_url: \"https://clinic.example@evil.example/\"",
                 "4:1: contacts for \"es\": booking_url \"https://clinic.example@evil.example/\" "
                 "must not hold a user name"},
        BadEntry{"space_in_url", "locale: \"es\"\nbooking_url: \"https://clinic.example/a b\"",
                 "4:1: contacts for \"es\": booking_url \"https://clinic.example/a b\" may hold "
                 "only printable ASCII"},
        BadEntry{"bad_locale", "locale: \"spanish!\"", "3:1: contacts for \"spanish!\": locale "
                                                       "\"spanish!\" is not a language tag"},
        BadEntry{"repeated_locale", "locale: \"EN\"",
                 "3:1: contacts for \"EN\": locale \"EN\" has an entry already"},
        BadEntry{"default_entry_field", "clinic_phone: \"clinic\"",
                 "3:1: the default contacts (no locale): clinic_phone \"clinic\" must be "
                 "digits"}),
    [](const ::testing::TestParamInfo<BadEntry>& info) { return info.param.name; });

TEST(CareContactsFileTest, EveryProblemIsReportedNotJustTheFirst) {
  auto parsed = ParseCareContacts(
      "contacts { locale: \"en\" emergency_number: \"9x9\" booking_url: \"javascript:x\" }\n"
      "contacts { urgent_line: \"-\" }\n",
      "care.textproto");
  ASSERT_FALSE(parsed.ok());
  const std::string message(parsed.status().message());
  EXPECT_THAT(message, HasSubstr("care.textproto:1:25: contacts for \"en\": emergency_number"));
  EXPECT_THAT(message, HasSubstr("care.textproto:1:49: contacts for \"en\": booking_url"));
  EXPECT_THAT(message, HasSubstr("care.textproto:2:12: the default contacts (no locale): "
                                 "urgent_line \"-\""));
}

TEST(CareContactsFileTest, TextThatDoesNotParseGivesLineAndColumn) {
  auto parsed = ParseCareContacts(
      "contacts {\n  locale: \"en\"\n  emergency_nmber: \"999\"\n}\n", "care.textproto");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr("care.textproto:3:18: Message type \"backchat.deploy.v1.Contacts\" has "
                        "no field named \"emergency_nmber\""));
  parsed = ParseCareContacts("contacts { locale: \"en\"\n", "care.textproto");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("care.textproto:2:1: "));
}

TEST(CareContactsFileTest, AnEmptyOrMissingFileIsRefused) {
  auto parsed = ParseCareContacts("# nothing yet\n", "care.textproto");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr("care.textproto: no contacts entry"));
  auto missing = CareContactsFile::Load("/nonexistent/care.textproto");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()),
              HasSubstr("/nonexistent/care.textproto: cannot read"));
}

TEST(CareContactsFileTest, WellFormedNumbersAndAddressesAreAccepted) {
  auto parsed = ParseCareContacts(
      "contacts { locale: \"en-GB\" emergency_number: \"999\" urgent_line: \"+44 111\" "
      "clinic_phone: \"020-7946-0000\" booking_url: \"HTTPS://Clinic.Example:8443/book?x=1#y\" }\n"
      "contacts { booking_url: \"http://localhost:8080/book\" }\n",
      "care.textproto");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
}

TEST(ContactsForTest, ExactLocaleThenLanguageThenDefaultThenNone) {
  auto contacts = ParseCareContacts(
      "contacts { locale: \"es\" emergency_number: \"112\" }\n"
      "contacts { locale: \"es-MX\" emergency_number: \"911\" }\n",
      "x");
  ASSERT_TRUE(contacts.ok()) << contacts.status();
  ASSERT_NE(ContactsFor(*contacts, "es-MX"), nullptr);
  EXPECT_EQ(ContactsFor(*contacts, "es-MX")->emergency_number(), "911");
  EXPECT_EQ(ContactsFor(*contacts, "es-mx")->emergency_number(), "911") << "any case";
  EXPECT_EQ(ContactsFor(*contacts, "es-AR")->emergency_number(), "112");
  EXPECT_EQ(ContactsFor(*contacts, "es")->emergency_number(), "112");
  EXPECT_EQ(ContactsFor(*contacts, "en"), nullptr);
  EXPECT_EQ(ContactsFor(*contacts, ""), nullptr);

  contacts->add_contacts()->set_emergency_number("999");  // a default entry
  EXPECT_EQ(ContactsFor(*contacts, "en")->emergency_number(), "999");
  EXPECT_EQ(ContactsFor(*contacts, "es-AR")->emergency_number(), "112");
}

TEST(TelUriTest, DropsSpacesAndDashesKeepsThePlus) {
  EXPECT_EQ(TelUri("+44 20 7946 0000"), "tel:+442079460000");
  EXPECT_EQ(TelUri("020-7946-0000"), "tel:02079460000");
  EXPECT_EQ(TelUri("999"), "tel:999");
}

// ---- Actions of each level ----

// The actions as "KIND label -> target (display)", for readable failures.
std::vector<std::string> Described(const tv1::Outcome& outcome) {
  std::vector<std::string> out;
  for (const tv1::OutcomeAction& a : outcome.actions()) {
    out.push_back(absl::StrCat(tv1::ActionKind_Name(a.kind()), " ", a.label(), " -> ",
                               a.target(), " (", a.display(), ")"));
  }
  return out;
}

dialog::v1::Messages EnglishLabels() {
  dialog::v1::Messages m;
  m.set_call_emergency_label("Call {number} now");
  m.set_call_urgent_label("Call the urgent care line: {number}");
  m.set_call_clinic_label("Call the clinic: {number}");
  m.set_book_label("Book a massage");
  return m;
}

tv1::Outcome Actions(tv1::Level level, const dpv1::Contacts& contacts,
                     const dialog::v1::Messages& labels = EnglishLabels()) {
  tv1::Outcome outcome;
  outcome.set_level(level);
  AddCareActions(contacts, labels, &outcome);
  return outcome;
}

TEST(AddCareActionsTest, EachLevelOffersItsOwnActionsOnly) {
  const dpv1::Contacts en = TestContacts().contacts(0);
  EXPECT_THAT(Described(Actions(tv1::LEVEL_EMERGENCY, en)),
              ElementsAre("ACTION_KIND_CALL_EMERGENCY Call 999 now -> tel:999 (999)"));
  EXPECT_THAT(Described(Actions(tv1::LEVEL_URGENT, en)),
              ElementsAre("ACTION_KIND_CALL_URGENT Call the urgent care line: 111 -> tel:111 (111)"));
  EXPECT_THAT(Described(Actions(tv1::LEVEL_SEE_DOCTOR, en)),
              ElementsAre("ACTION_KIND_CALL_CLINIC Call the clinic: +44 20 7946 0000 -> "
                          "tel:+442079460000 (+44 20 7946 0000)"));
  EXPECT_THAT(Described(Actions(tv1::LEVEL_SELF_CARE, en)),
              ElementsAre("ACTION_KIND_BOOK Book a massage -> https://clinic.example/book "
                          "(https://clinic.example/book)",
                          "ACTION_KIND_CALL_CLINIC Call the clinic: +44 20 7946 0000 -> "
                          "tel:+442079460000 (+44 20 7946 0000)"));
}

TEST(AddCareActionsTest, OnlyWhatIsConfiguredAndNeverABookingButForSelfCare) {
  dpv1::Contacts only_booking;
  only_booking.set_booking_url("https://clinic.example/book");
  for (tv1::Level level : {tv1::LEVEL_EMERGENCY, tv1::LEVEL_URGENT, tv1::LEVEL_SEE_DOCTOR}) {
    EXPECT_THAT(Described(Actions(level, only_booking)), IsEmpty()) << tv1::Level_Name(level);
  }
  EXPECT_THAT(Described(Actions(tv1::LEVEL_SELF_CARE, only_booking)),
              ElementsAre(HasSubstr("ACTION_KIND_BOOK")));
  dpv1::Contacts only_emergency;
  only_emergency.set_emergency_number("112");
  EXPECT_THAT(Described(Actions(tv1::LEVEL_URGENT, only_emergency)), IsEmpty())
      << "URGENT calls the urgent line only";
  EXPECT_THAT(Described(Actions(tv1::LEVEL_SELF_CARE, only_emergency)), IsEmpty());
}

TEST(CheckActionLabelsTest, NamesTheDialogLocaleAndMissingMessages) {
  auto bundled = engine::LoadDialogDirectory(absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs"), "");
  ASSERT_TRUE(bundled.ok()) << bundled.status();
  EXPECT_TRUE(CheckActionLabels(*bundled).ok()) << CheckActionLabels(*bundled);

  auto tiny = engine::LoadDialogDirectory(absl::StrCat(BACKCHAT_SOURCE_DIR, "/tests/dialogs/tiny_es"), "");
  ASSERT_TRUE(tiny.ok()) << tiny.status();
  const absl::Status status = CheckActionLabels(*tiny);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("tiny.textproto: dialog \"tiny\", locale \"en\": --care_contacts needs "
                        "messages call_emergency_label, call_urgent_label, call_clinic_label, "
                        "book_label"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("dialog \"tiny\", locale \"es\""));
}

// ---- Through the real server ----

class CareActionsEndToEndTest : public ::testing::Test {
 protected:
  void Serve(const CareContactsFile* care) {
    live_.reset();
    auto live = testing::LiveServer::Start(dialogs_.get(), &sessions_, nullptr, care);
    ASSERT_TRUE(live.ok()) << live.status();
    live_ = *std::move(live);
    stub_ = tv1::TriageService::NewStub(live_->channel());
  }

  // Answers by option ids (BackPainSelfCareAnswers, with `question`
  // answered `option`) until the outcome.
  tv1::Turn Outcome(const std::string& locale, const std::string& question = "",
                    const std::string& option = "") {
    testing::Answers answers = testing::BackPainSelfCareAnswers();
    if (!question.empty()) answers[question] = {option};
    grpc::ClientContext start_context;
    tv1::StartSessionRequest start;
    start.set_locale(locale);
    tv1::StartSessionResponse started;
    EXPECT_TRUE(stub_->StartSession(&start_context, start, &started).ok());
    tv1::Turn turn = started.turn();
    for (int step = 0; step < 30 && turn.has_question(); ++step) {
      EXPECT_THAT(turn.question().id(), ::testing::Not(IsEmpty()));
      EXPECT_EQ(turn.outcome().actions_size(), 0);
      grpc::ClientContext context;
      tv1::SubmitAnswerRequest request;
      request.set_session_id(turn.session_id());
      request.set_question_id(turn.question().id());
      for (const std::string& id : answers.at(turn.question().id())) request.add_option_ids(id);
      tv1::SubmitAnswerResponse response;
      const grpc::Status status = stub_->SubmitAnswer(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      turn = response.turn();
    }
    EXPECT_TRUE(turn.has_outcome());
    return turn;
  }

  // One outcome of each level, in `locale`.
  std::vector<tv1::Turn> EachLevel(const std::string& locale) {
    std::vector<tv1::Turn> turns = {Outcome(locale, "warning_signs", "saddle_numbness"),
                                    Outcome(locale, "symptoms", "fever"),
                                    Outcome(locale, "injury", "minor_injury"), Outcome(locale)};
    EXPECT_EQ(turns[0].outcome().level(), tv1::LEVEL_EMERGENCY);
    EXPECT_EQ(turns[1].outcome().level(), tv1::LEVEL_URGENT);
    EXPECT_EQ(turns[2].outcome().level(), tv1::LEVEL_SEE_DOCTOR);
    EXPECT_EQ(turns[3].outcome().level(), tv1::LEVEL_SELF_CARE);
    return turns;
  }

  store::MemorySessionStore sessions_;
  std::unique_ptr<engine::DialogRegistry> dialogs_ = testing::LoadSourceDialogs();
  std::unique_ptr<testing::LiveServer> live_;
  std::unique_ptr<tv1::TriageService::Stub> stub_;
};

TEST_F(CareActionsEndToEndTest, EnglishOutcomesOfferTheirActionsInOrder) {
  auto care = CareContactsFile::FromContacts(TestContacts());
  Serve(care.get());
  const std::vector<tv1::Turn> turns = EachLevel("en");
  EXPECT_THAT(Described(turns[0].outcome()),
              ElementsAre("ACTION_KIND_CALL_EMERGENCY Call 999 now -> tel:999 (999)"));
  EXPECT_THAT(Described(turns[1].outcome()),
              ElementsAre("ACTION_KIND_CALL_URGENT Call the urgent care line: 111 -> tel:111 (111)"));
  EXPECT_THAT(Described(turns[2].outcome()),
              ElementsAre("ACTION_KIND_CALL_CLINIC Call the clinic: +44 20 7946 0000 -> "
                          "tel:+442079460000 (+44 20 7946 0000)"));
  EXPECT_THAT(Described(turns[3].outcome()),
              ElementsAre("ACTION_KIND_BOOK Book a massage -> https://clinic.example/book "
                          "(https://clinic.example/book)",
                          "ACTION_KIND_CALL_CLINIC Call the clinic: +44 20 7946 0000 -> "
                          "tel:+442079460000 (+44 20 7946 0000)"));
}

TEST_F(CareActionsEndToEndTest, SpanishOutcomesHaveSpanishLabelsAndSpanishNumbers) {
  auto care = CareContactsFile::FromContacts(TestContacts());
  Serve(care.get());
  // es-MX has no entry of its own: its language's.
  for (const std::string locale : {"es", "es-MX"}) {
    SCOPED_TRACE(locale);
    const std::vector<tv1::Turn> turns = EachLevel(locale);
    EXPECT_THAT(Described(turns[0].outcome()),
                ElementsAre("ACTION_KIND_CALL_EMERGENCY Llame ahora al 112 -> tel:112 (112)"));
    EXPECT_THAT(Described(turns[1].outcome()),
                ElementsAre("ACTION_KIND_CALL_URGENT Llame a la línea de urgencias: 061 -> "
                            "tel:061 (061)"));
    EXPECT_THAT(Described(turns[2].outcome()),
                ElementsAre("ACTION_KIND_CALL_CLINIC Llame a la clínica: +34 910-000-000 -> "
                            "tel:+34910000000 (+34 910-000-000)"));
    EXPECT_THAT(Described(turns[3].outcome()),
                ElementsAre("ACTION_KIND_BOOK Reservar un masaje -> "
                            "https://clinic.example/es/reservar (https://clinic.example/es/reservar)",
                            "ACTION_KIND_CALL_CLINIC Llame a la clínica: +34 910-000-000 -> "
                            "tel:+34910000000 (+34 910-000-000)"));
  }
}

TEST_F(CareActionsEndToEndTest, AnEntryForTheExactLocaleWinsOverItsLanguage) {
  dpv1::CareContacts contacts = TestContacts();
  dpv1::Contacts* mexico = contacts.add_contacts();
  mexico->set_locale("es-MX");
  mexico->set_emergency_number("911");
  auto care = CareContactsFile::FromContacts(contacts);
  Serve(care.get());
  EXPECT_THAT(Described(Outcome("es-MX", "warning_signs", "saddle_numbness").outcome()),
              ElementsAre("ACTION_KIND_CALL_EMERGENCY Llame ahora al 911 -> tel:911 (911)"));
  EXPECT_THAT(Described(Outcome("es-AR", "warning_signs", "saddle_numbness").outcome()),
              ElementsAre(HasSubstr("Llame ahora al 112")));
  // A language with no entry and no default entry: no actions.
  EXPECT_THAT(Described(Outcome("fr", "warning_signs", "saddle_numbness").outcome()), IsEmpty());
  // Nothing for SELF_CARE in es-MX: its entry has no booking or clinic.
  EXPECT_THAT(Described(Outcome("es-MX").outcome()), IsEmpty());
}

TEST_F(CareActionsEndToEndTest, WithoutCareContactsOutcomesOfferNothing) {
  Serve(nullptr);
  for (const tv1::Turn& turn : EachLevel("en")) {
    EXPECT_EQ(turn.outcome().actions_size(), 0) << tv1::Level_Name(turn.outcome().level());
  }
}

// ---- The backchat_server process ----

class CareContactsServerTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = ScratchDir(); }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  // backchat_server with these dialogs and care contacts (memory store);
  // its log in the error if it does not start.
  absl::StatusOr<std::unique_ptr<testing::ServerProcess>> Start(const std::string& dialogs,
                                                                const std::string& care) {
    return testing::ServerProcess::Start(
        {"--dialogs=" + dialogs, "--store=memory", "--care_contacts=" + care},
        absl::Seconds(20));
  }

  // An EMERGENCY outcome's actions, by gRPC.
  std::vector<std::string> EmergencyActions() {
    auto stub = tv1::TriageService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext start_context;
    tv1::StartSessionResponse started;
    EXPECT_TRUE(stub->StartSession(&start_context, {}, &started).ok());
    grpc::ClientContext context;
    tv1::SubmitAnswerRequest answer;
    answer.set_session_id(started.turn().session_id());
    answer.add_option_ids("both_legs");
    tv1::SubmitAnswerResponse answered;
    EXPECT_TRUE(stub->SubmitAnswer(&context, answer, &answered).ok());
    return Described(answered.turn().outcome());
  }

  void WaitForLog(const std::string& text) {
    for (int i = 0; i < 200 && !absl::StrContains(server_->Log(), text); ++i) {
      absl::SleepFor(absl::Milliseconds(25));
    }
    ASSERT_THAT(server_->Log(), HasSubstr(text));
  }

  std::string dir_;
  std::unique_ptr<testing::ServerProcess> server_;
};

const std::string kSourceDialogs = absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs");

TEST_F(CareContactsServerTest, ABadFileStopsStartupWithTheFileEntryAndField) {
  const std::string path = Write(
      "care.textproto", "contacts {\n  locale: \"en\"\n  booking_url: \"javascript:alert(1)\"\n}\n");
  auto server = Start(kSourceDialogs, path);
  ASSERT_FALSE(server.ok()) << "started with a javascript: booking URL";
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr(absl::StrCat("--care_contacts: ", path,
                                     ":3:3: contacts for \"en\": booking_url "
                                     "\"javascript:alert(1)\" must start with https://")));

  const std::string broken = Write("broken.textproto", "contacts {\n  locale: \"en\"\n");
  server = Start(kSourceDialogs, broken);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr(absl::StrCat("--care_contacts: ", broken, ":3:1: ")));
}

TEST_F(CareContactsServerTest, ADialogWithoutTheActionLabelsStopsStartupOnlyWithTheFlag) {
  // The bundled dialogs without their action labels.
  fs::create_directories(dir_ + "/dialogs");
  for (const char* name : {"back_pain.textproto", "back_pain.es.textproto"}) {
    std::string text = ReadSource(absl::StrCat("dialogs/", name));
    std::string kept;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (!absl::StrContains(line, "_label: \"") || absl::StrContains(line, "confirm_")) {
        absl::StrAppend(&kept, line, "\n");
      }
    }
    ASSERT_NE(kept, text);
    Write(absl::StrCat("dialogs/", name), kept);
  }
  const std::string care = Write("care.textproto", testing::kTestCareContacts);
  auto server = Start(dir_ + "/dialogs", care);
  ASSERT_FALSE(server.ok()) << "started with dialogs that cannot label the actions";
  const std::string log(server.status().message());
  EXPECT_THAT(log, HasSubstr("cannot load dialogs:"));
  EXPECT_THAT(log, HasSubstr("back_pain.textproto: dialog \"back_pain\", locale \"en\": "
                             "--care_contacts needs messages call_emergency_label, "
                             "call_urgent_label, call_clinic_label, book_label"));
  EXPECT_THAT(log, HasSubstr("dialog \"back_pain\", locale \"es\""));

  // Without --care_contacts the labels are not needed.
  auto plain = testing::ServerProcess::Start({"--dialogs=" + dir_ + "/dialogs", "--store=memory"});
  EXPECT_TRUE(plain.ok()) << plain.status();
}

TEST_F(CareContactsServerTest, SighupReloadsTheFileAndABadOneKeepsThePrevious) {
  const std::string path = Write("care.textproto", testing::kTestCareContacts);
  auto server = Start(kSourceDialogs, path);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  EXPECT_THAT(server_->Log(), HasSubstr(absl::StrCat("care contacts from ", path,
                                                     ": 2 entries (en, es)")));
  EXPECT_THAT(EmergencyActions(), ElementsAre(HasSubstr("Call 999 now -> tel:999")));

  Write("care.textproto", "contacts { locale: \"en\" emergency_number: \"112\" }\n");
  kill(server_->pid(), SIGHUP);
  WaitForLog("reloaded care contacts: 1 entry (en)");
  EXPECT_THAT(EmergencyActions(), ElementsAre(HasSubstr("Call 112 now -> tel:112")));

  Write("care.textproto", "contacts { locale: \"en\" emergency_number: \"1l2\" }\n");
  kill(server_->pid(), SIGHUP);
  WaitForLog("care contacts not reloaded; still serving the previous ones:");
  EXPECT_THAT(server_->Log(), HasSubstr(absl::StrCat(path, ":1:25: contacts for \"en\": "
                                                     "emergency_number \"1l2\"")));
  EXPECT_THAT(EmergencyActions(), ElementsAre(HasSubstr("Call 112 now -> tel:112")));
}

}  // namespace
}  // namespace backchat::api
