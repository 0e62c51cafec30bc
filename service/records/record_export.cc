#include "service/records/record_export.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"

namespace backchat::records {
namespace {

// A JSON string literal.
std::string Json(absl::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string Canonical(absl::string_view dialog_id) {
  return absl::StrCat("urn:backchat:dialog:", dialog_id);
}

std::string Coding(absl::string_view system, absl::string_view code,
                   absl::string_view display) {
  std::string out = absl::StrCat("{\"system\":", Json(system), ",\"code\":", Json(code));
  if (!display.empty()) absl::StrAppend(&out, ",\"display\":", Json(display));
  return out + "}";
}

std::string LevelCode(triage::v1::Level level) {
  return std::string(absl::StripPrefix(triage::v1::Level_Name(level), "LEVEL_"));
}

// A choice item: options as (code, display).
std::string ChoiceItem(absl::string_view link_id, absl::string_view text,
                       absl::string_view system, bool repeats, bool read_only,
                       const std::vector<std::pair<std::string, std::string>>& options) {
  std::vector<std::string> answer_options;
  for (const auto& [code, display] : options) {
    answer_options.push_back(
        absl::StrCat("{\"valueCoding\":", Coding(system, code, display), "}"));
  }
  return absl::StrCat("{\"linkId\":", Json(link_id), ",\"text\":", Json(text),
                      ",\"type\":\"choice\"", repeats ? ",\"repeats\":true" : "",
                      read_only ? ",\"readOnly\":true" : "", ",\"answerOption\":[",
                      absl::StrJoin(answer_options, ","), "]}");
}

std::string System(absl::string_view dialog_id, absl::string_view what) {
  return absl::StrCat(Canonical(dialog_id), ":", what);
}

// "8-4-4-4-12" form of a 32-hex-digit id, for urn:uuid: references.
std::string AsUuid(absl::string_view hex) {
  if (hex.size() != 32) return std::string(hex);
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4),
                      "-", hex.substr(16, 4), "-", hex.substr(20));
}

std::string Instant(int64_t unix_micros) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3S+00:00", absl::FromUnixMicros(unix_micros),
                          absl::UTCTimeZone());
}

std::string ResponseJson(const TriageRecord& record, const engine::CompiledDialog* dialog) {
  const std::string& id = record.dialog_id();
  auto question = [&](const std::string& qid) -> const engine::CompiledQuestion* {
    const int q = dialog != nullptr ? dialog->QuestionIndex(qid) : -1;
    return q >= 0 ? &dialog->questions[q] : nullptr;
  };
  std::vector<std::string> items;
  for (const auto& answer : record.answers()) {
    const engine::CompiledQuestion* q = question(answer.question_id());
    std::vector<std::string> answers;
    for (const std::string& option : answer.option_ids()) {
      const int o = q != nullptr ? q->OptionIndex(option) : -1;
      answers.push_back(absl::StrCat(
          "{\"valueCoding\":",
          Coding(System(id, answer.question_id()), option,
                 o >= 0 ? absl::string_view(q->options[o].label) : ""),
          "}"));
    }
    items.push_back(absl::StrCat("{\"linkId\":", Json(answer.question_id()),
                                 ",\"answer\":[", absl::StrJoin(answers, ","), "]}"));
  }
  std::vector<std::string> outcome = {absl::StrCat(
      "{\"linkId\":\"outcome.level\",\"answer\":[{\"valueCoding\":",
      Coding("urn:backchat:level", LevelCode(record.level()), ""), "}]}")};
  if (!record.red_flag_ids().empty()) {
    std::vector<std::string> flags;
    for (const std::string& flag : record.red_flag_ids()) {
      flags.push_back(absl::StrCat("{\"valueCoding\":", Coding(System(id, "red_flags"), flag, ""), "}"));
    }
    outcome.push_back(absl::StrCat("{\"linkId\":\"outcome.red_flags\",\"answer\":[",
                                   absl::StrJoin(flags, ","), "]}"));
  }
  if (!record.technique_id().empty()) {
    outcome.push_back(absl::StrCat(
        "{\"linkId\":\"outcome.technique\",\"answer\":[{\"valueCoding\":",
        Coding(System(id, "techniques"), record.technique_id(), ""), "}]}"));
  }
  if (!record.frequency_rule_id().empty()) {
    outcome.push_back(absl::StrCat(
        "{\"linkId\":\"outcome.frequency\",\"answer\":[{\"valueCoding\":",
        Coding(System(id, "frequencies"), record.frequency_rule_id(), ""), "}]}"));
  }
  items.push_back(absl::StrCat("{\"linkId\":\"outcome\",\"item\":[",
                               absl::StrJoin(outcome, ","), "]}"));
  return absl::StrCat(
      "{\"resourceType\":\"QuestionnaireResponse\",\"id\":", Json(record.record_id()),
      ",\"questionnaire\":", Json(absl::StrCat(Canonical(id), "|", record.dialog_version())),
      ",\"status\":\"completed\",\"authored\":", Json(Instant(record.finished_unix_micros())),
      ",\"language\":", Json(record.locale()), ",\"item\":[", absl::StrJoin(items, ","),
      "]}");
}

}  // namespace

std::string RecordsAsJsonLines(const std::vector<TriageRecord>& records) {
  std::string out;
  for (const TriageRecord& record : records) {
    std::string line;
    google::protobuf::util::MessageToJsonString(record, &line);
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string DialogAsFhirQuestionnaire(const engine::CompiledDialog& dialog) {
  std::vector<std::string> items;
  for (const engine::CompiledQuestion& q : dialog.questions) {
    std::vector<std::pair<std::string, std::string>> options;
    for (const auto& option : q.options) options.emplace_back(option.id, option.label);
    items.push_back(ChoiceItem(q.id, q.text, System(dialog.id, q.id), q.multiple_choice(),
                               false, options));
  }
  std::vector<std::pair<std::string, std::string>> levels, flags, techniques, frequencies;
  for (int level = triage::v1::LEVEL_EMERGENCY; level <= triage::v1::LEVEL_SELF_CARE; ++level) {
    levels.emplace_back(LevelCode(static_cast<triage::v1::Level>(level)),
                        dialog.level_texts[level].headline);
  }
  for (const auto& flag : dialog.red_flags) flags.emplace_back(flag.id, flag.reason);
  for (const auto& t : dialog.techniques) techniques.emplace_back(t.id, t.name);
  for (const auto& f : dialog.frequency_rules) frequencies.emplace_back(f.id, f.frequency);
  const std::string outcome = absl::StrCat(
      "{\"linkId\":\"outcome\",\"text\":\"Triage outcome\",\"type\":\"group\","
      "\"readOnly\":true,\"item\":[",
      ChoiceItem("outcome.level", "Level", "urn:backchat:level", false, true, levels), ",",
      ChoiceItem("outcome.red_flags", "Red flags", System(dialog.id, "red_flags"), true, true,
                 flags),
      ",",
      ChoiceItem("outcome.technique", "Massage technique", System(dialog.id, "techniques"),
                 false, true, techniques),
      ",",
      ChoiceItem("outcome.frequency", "Session frequency", System(dialog.id, "frequencies"),
                 false, true, frequencies),
      "]}");
  items.push_back(outcome);
  return absl::StrCat(
      "{\"resourceType\":\"Questionnaire\",\"id\":", Json(absl::StrCat(dialog.id, "-", dialog.version)),
      ",\"url\":", Json(Canonical(dialog.id)), ",\"version\":", Json(dialog.version),
      ",\"name\":", Json(dialog.id), ",\"title\":", Json(dialog.title),
      ",\"status\":\"active\",\"language\":", Json(dialog.locale), ",\"item\":[",
      absl::StrJoin(items, ","), "]}");
}

std::string RecordsAsFhirBundle(const std::vector<TriageRecord>& records,
                                const engine::DialogRegistry& dialogs) {
  std::vector<std::string> entries;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const engine::DialogBundle>>
      versions;
  for (const TriageRecord& record : records) {
    auto bundle = dialogs.FindVersion(record.dialog_id(), record.dialog_version());
    versions[{record.dialog_id(), record.dialog_version()}] = bundle.ok() ? *bundle : nullptr;
  }
  for (const auto& [key, bundle] : versions) {
    if (bundle == nullptr) continue;
    entries.push_back(absl::StrCat(
        "{\"fullUrl\":", Json(absl::StrCat("urn:backchat:questionnaire:", key.first, ":", key.second)),
        ",\"resource\":", DialogAsFhirQuestionnaire(bundle->base()), "}"));
  }
  for (const TriageRecord& record : records) {
    const auto& bundle = versions[{record.dialog_id(), record.dialog_version()}];
    entries.push_back(absl::StrCat(
        "{\"fullUrl\":", Json(absl::StrCat("urn:uuid:", AsUuid(record.record_id()))),
        ",\"resource\":", ResponseJson(record, bundle ? &bundle->base() : nullptr), "}"));
  }
  return absl::StrCat("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[",
                      absl::StrJoin(entries, ","), "]}");
}

}  // namespace backchat::records
