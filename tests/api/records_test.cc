// Triage records: written when a conversation finishes, listed, exported
// as JSON lines and as an HL7 FHIR R4 Bundle whose shape is checked here
// against the R4 structure (required elements, linkIds that resolve).
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backchat/admin/v1/admin.grpc.pb.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "service/api/conversations.h"
#include "service/api/server.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/records/record_stores.h"
#include "service/store/memory_session_store.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/live_server.h"

namespace backchat::api {
namespace {

namespace tv1 = ::backchat::triage::v1;
namespace av1 = ::backchat::admin::v1;
using google::protobuf::Struct;
using google::protobuf::Value;
using ::testing::HasSubstr;

class RecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto live = testing::LiveServer::Start(dialogs_.get(), &sessions_, &records_);
    ASSERT_TRUE(live.ok()) << live.status();
    live_ = *std::move(live);
    triage_ = tv1::TriageService::NewStub(live_->channel());
    admin_ = av1::AdminService::NewStub(live_->channel());
  }

  // Runs a conversation with `overrides` on top of the self-care answers.
  tv1::Turn Converse(const testing::Answers& overrides, const std::string& locale = "") {
    grpc::ClientContext start_context;
    tv1::StartSessionRequest start;
    start.set_locale(locale);
    start.set_channel(tv1::CHANNEL_SMS);
    tv1::StartSessionResponse started;
    EXPECT_TRUE(triage_->StartSession(&start_context, start, &started).ok());
    tv1::Turn turn = started.turn();
    for (int guard = 0; guard < 20 && turn.has_question(); ++guard) {
      auto it = overrides.find(turn.question().id());
      const auto& options = it != overrides.end()
                                ? it->second
                                : testing::BackPainSelfCareAnswers().at(turn.question().id());
      grpc::ClientContext context;
      tv1::SubmitAnswerRequest request;
      request.set_session_id(turn.session_id());
      for (const auto& o : options) request.add_option_ids(o);
      tv1::SubmitAnswerResponse response;
      EXPECT_TRUE(triage_->SubmitAnswer(&context, request, &response).ok());
      turn = response.turn();
    }
    return turn;
  }

  // The whole exported file, its chunks joined; `chunks` counts them.
  av1::ExportRecordsResponse Export(av1::ExportFormat format, int* chunks = nullptr) {
    grpc::ClientContext context;
    backchat::testing::AuthorizeAdmin(&context);
    av1::ExportRecordsRequest request;
    request.set_format(format);
    auto reader = admin_->ExportRecords(&context, request);
    av1::ExportRecordsResponse whole, chunk;
    int count = 0;
    while (reader->Read(&chunk)) {
      if (count++ == 0) {
        whole.set_content_type(chunk.content_type());
        whole.set_record_count(chunk.record_count());
      }
      whole.mutable_data()->append(chunk.data());
    }
    const grpc::Status status = reader->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (chunks != nullptr) *chunks = count;
    return whole;
  }

  store::MemorySessionStore sessions_;
  records::MemoryRecordStore records_;
  std::unique_ptr<engine::DialogRegistry> dialogs_ = testing::LoadSourceDialogs();
  std::unique_ptr<testing::LiveServer> live_;
  std::unique_ptr<tv1::TriageService::Stub> triage_;
  std::unique_ptr<av1::AdminService::Stub> admin_;
};

TEST_F(RecordsTest, AFinishedConversationWritesOneRecordOfIdsOnly) {
  const tv1::Turn outcome = Converse({{"symptoms", {"fever", "weight_loss"}}});
  ASSERT_EQ(outcome.outcome().level(), tv1::LEVEL_URGENT);
  Converse({}, "es");  // A second, SELF_CARE, in Spanish.
  grpc::ClientContext context;
  backchat::testing::AuthorizeAdmin(&context);
  av1::ListRecordsResponse listed;
  ASSERT_TRUE(admin_->ListRecords(&context, {}, &listed).ok());
  ASSERT_EQ(listed.records_size(), 2);
  const av1::TriageRecord& urgent = listed.records(0);
  EXPECT_EQ(urgent.level(), tv1::LEVEL_URGENT);
  EXPECT_THAT(urgent.red_flag_ids(), ::testing::ElementsAre("fever", "weight_loss"));
  EXPECT_EQ(urgent.channel(), tv1::CHANNEL_SMS);
  EXPECT_EQ(urgent.dialog_version(), outcome.dialog_version());
  EXPECT_NE(urgent.record_id(), outcome.session_id());
  EXPECT_EQ(urgent.answers(0).question_id(), "warning_signs");
  EXPECT_GT(urgent.finished_unix_micros(), 0);
  const av1::TriageRecord& self_care = listed.records(1);
  EXPECT_EQ(self_care.locale(), "es");
  EXPECT_EQ(self_care.technique_id(), "swedish");
  EXPECT_EQ(self_care.frequency_rule_id(), "current_pain_under_12_weeks");
}

TEST_F(RecordsTest, ExportsJsonLines) {
  Converse({{"warning_signs", {"both_legs"}}});
  Converse({});
  const av1::ExportRecordsResponse jsonl = Export(av1::EXPORT_FORMAT_JSON_LINES);
  EXPECT_EQ(jsonl.content_type(), "application/x-ndjson");
  EXPECT_EQ(jsonl.record_count(), 2);
  const std::vector<std::string> lines =
      absl::StrSplit(jsonl.data(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  av1::TriageRecord parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[0], &parsed).ok());
  EXPECT_EQ(parsed.level(), tv1::LEVEL_EMERGENCY);
}

const Value& Field(const Struct& object, const std::string& name) {
  static const Value* missing = new Value();
  auto it = object.fields().find(name);
  return it == object.fields().end() ? *missing : it->second;
}

// Every item of a Questionnaire (nested items included): linkId -> item.
void CollectItems(const Value& items, std::map<std::string, const Struct*>* out) {
  for (const Value& item : items.list_value().values()) {
    const Struct& s = item.struct_value();
    out->emplace(Field(s, "linkId").string_value(), &s);
    CollectItems(Field(s, "item"), out);
  }
}

TEST_F(RecordsTest, ALargeExportArrivesInChunks) {
  constexpr int kRecords = 4000;  // About 3 MB of JSON lines.
  for (int i = 0; i < kRecords; ++i) {
    av1::TriageRecord record;
    record.set_record_id(absl::StrCat("record-", i));
    record.set_finished_unix_micros(i + 1);
    for (int q = 0; q < 12; ++q) {
      auto* answer = record.add_answers();
      answer->set_question_id(absl::StrCat("question_", q));
      answer->add_option_ids("an_option_id");
    }
    ASSERT_TRUE(records_.Append(record).ok());
  }
  int chunks = 0;
  const av1::ExportRecordsResponse jsonl = Export(av1::EXPORT_FORMAT_JSON_LINES, &chunks);
  EXPECT_EQ(jsonl.record_count(), kRecords);
  EXPECT_GT(chunks, 1) << jsonl.data().size() << " bytes in one chunk";
  const std::vector<std::string> lines =
      absl::StrSplit(jsonl.data(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kRecords));
  av1::TriageRecord last;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines.back(), &last).ok());
  EXPECT_EQ(last.record_id(), absl::StrCat("record-", kRecords - 1));
}

TEST_F(RecordsTest, ExportWithABadFormatIsInvalidArgument) {
  grpc::ClientContext context;
  backchat::testing::AuthorizeAdmin(&context);
  auto reader = admin_->ExportRecords(&context, {});
  av1::ExportRecordsResponse chunk;
  EXPECT_FALSE(reader->Read(&chunk));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RecordsTest, ExportsAValidFhirR4Bundle) {
  Converse({{"warning_signs", {"saddle_numbness"}}});
  Converse({{"medical_history", {"pregnant", "blood_thinners"}}});
  Converse({});
  const av1::ExportRecordsResponse fhir = Export(av1::EXPORT_FORMAT_FHIR_R4);
  EXPECT_EQ(fhir.content_type(), "application/fhir+json");
  Struct bundle;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(fhir.data(), &bundle).ok())
      << "not JSON";
  EXPECT_EQ(Field(bundle, "resourceType").string_value(), "Bundle");
  EXPECT_EQ(Field(bundle, "type").string_value(), "collection");

  // Questionnaires by canonical url|version, and their items.
  std::map<std::string, std::map<std::string, const Struct*>> questionnaires;
  std::vector<const Struct*> responses;
  for (const Value& entry : Field(bundle, "entry").list_value().values()) {
    const Struct& e = entry.struct_value();
    EXPECT_THAT(Field(e, "fullUrl").string_value(), ::testing::StartsWith("urn:"));
    const Struct& resource = Field(e, "resource").struct_value();
    const std::string type = Field(resource, "resourceType").string_value();
    if (type == "Questionnaire") {
      EXPECT_EQ(Field(resource, "status").string_value(), "active");  // required
      const std::string key = absl::StrCat(Field(resource, "url").string_value(), "|",
                                           Field(resource, "version").string_value());
      CollectItems(Field(resource, "item"), &questionnaires[key]);
      for (const auto& [link_id, item] : questionnaires[key]) {
        EXPECT_FALSE(link_id.empty());
        const std::string item_type = Field(*item, "type").string_value();
        EXPECT_THAT(item_type, ::testing::AnyOf("choice", "group", "display")) << link_id;
        if (item_type == "choice") {
          EXPECT_GT(Field(*item, "answerOption").list_value().values_size(), 0) << link_id;
        }
      }
    } else {
      ASSERT_EQ(type, "QuestionnaireResponse");
      responses.push_back(&resource);
    }
  }
  ASSERT_EQ(questionnaires.size(), 1u);
  ASSERT_EQ(responses.size(), 3u);
  for (const Struct* response : responses) {
    EXPECT_EQ(Field(*response, "status").string_value(), "completed");  // required
    const std::string canonical = Field(*response, "questionnaire").string_value();
    ASSERT_TRUE(questionnaires.count(canonical)) << canonical << " does not resolve";
    const auto& items = questionnaires[canonical];
    std::map<std::string, const Struct*> answered;
    CollectItems(Field(*response, "item"), &answered);
    EXPECT_TRUE(answered.count("outcome.level"));
    for (const auto& [link_id, item] : answered) {
      ASSERT_TRUE(items.count(link_id)) << "linkId " << link_id << " does not resolve";
      // Every answer code is one of the item's answer options.
      std::set<std::string> codes;
      for (const Value& option : Field(*items.at(link_id), "answerOption").list_value().values()) {
        codes.insert(Field(Field(option.struct_value(), "valueCoding").struct_value(), "code")
                         .string_value());
      }
      for (const Value& answer : Field(*item, "answer").list_value().values()) {
        const std::string code =
            Field(Field(answer.struct_value(), "valueCoding").struct_value(), "code")
                .string_value();
        EXPECT_TRUE(codes.count(code)) << link_id << " answer " << code;
      }
    }
  }
  EXPECT_THAT(fhir.data(), HasSubstr("\"code\":\"EMERGENCY\""));
  EXPECT_THAT(fhir.data(), HasSubstr("\"code\":\"pregnancy\""));
}

TEST(RecordStoresTest, SqliteKeepsListsAndDeletesByAge) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/records_", getpid(), ".db");
  std::remove(path.c_str());
  auto store = records::SqliteRecordStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  for (int i = 0; i < 4; ++i) {
    av1::TriageRecord record;
    record.set_record_id(absl::StrCat("r", i));
    record.set_finished_unix_micros(1000 * (i + 1));
    ASSERT_TRUE((*store)->Append(record).ok());
  }
  auto listed = (*store)->List(absl::FromUnixMicros(2000), 0);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].record_id(), "r1");
  EXPECT_EQ(*(*store)->DeleteFinishedBefore(absl::FromUnixMicros(3000)), 2);
  EXPECT_EQ((*store)->List(absl::UnixEpoch(), 0)->size(), 2u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace backchat::api
