#include "service/api/care_actions.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "service/api/conversations.h"
#include "service/dialog_tools/dialog_bundle.h"
#include "service/dialog_tools/source_locator.h"

namespace backchat::api {

namespace dpv1 = ::backchat::deploy::v1;
namespace tv1 = ::backchat::triage::v1;

namespace {

constexpr size_t kMaxFileBytes = 1 << 20;
constexpr size_t kMaxUrlBytes = 2000;

// Digits, spaces and '-', after at most one leading '+'; 2 digits or more.
bool IsPhoneNumber(absl::string_view number) {
  absl::ConsumePrefix(&number, "+");
  int digits = 0;
  for (char c : number) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  return digits >= 2;
}

// Empty when `url` is an http(s) address with a host; else what is wrong.
std::string UrlProblem(absl::string_view url) {
  if (url.size() > kMaxUrlBytes) {
    return absl::StrCat("is longer than ", kMaxUrlBytes, " characters");
  }
  absl::string_view rest = url;
  if (!absl::StartsWithIgnoreCase(rest, "https://") &&
      !absl::StartsWithIgnoreCase(rest, "http://")) {
    return "must start with https:// (or http://); no other kind of address "
           "is offered to patients";
  }
  rest.remove_prefix(rest.find("://") + 3);
  for (char c : url) {
    if (c <= ' ' || c > '~') {
      return "may hold only printable ASCII without spaces (percent-encode "
             "the rest; a host name in punycode)";
    }
  }
  absl::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (absl::StrContains(authority, '@')) {
    return "must not hold a user name or password (\"user@\")";
  }
  absl::string_view host = authority;
  if (const size_t colon = authority.rfind(':'); colon != absl::string_view::npos) {
    host = authority.substr(0, colon);
    const absl::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
      return "has a port that is not a number";
    }
  }
  const bool host_ok =
      !host.empty() && host.front() != '.' && host.front() != '-' &&
      std::all_of(host.begin(), host.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
      });
  if (!host_ok) return "has no host name (https://clinic.example/book)";
  return "";
}

std::string EntryName(const dpv1::Contacts& entry) {
  return entry.locale().empty() ? std::string("the default contacts (no locale)")
                                : absl::StrCat("contacts for \"", entry.locale(), "\"");
}

void AddAction(tv1::ActionKind kind, absl::string_view label_pattern,
               absl::string_view number, tv1::Outcome* outcome) {
  if (label_pattern.empty() || number.empty()) return;
  tv1::OutcomeAction* action = outcome->add_actions();
  action->set_kind(kind);
  action->set_label(absl::StrReplaceAll(label_pattern, {{"{number}", number}}));
  action->set_target(TelUri(number));
  action->set_display(std::string(number));
}

}  // namespace

absl::StatusOr<dpv1::CareContacts> ParseCareContacts(absl::string_view text,
                                                     absl::string_view path) {
  if (text.size() > kMaxFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the care contacts file is larger than 1 MiB"));
  }
  dpv1::CareContacts contacts;
  google::protobuf::TextFormat::ParseInfoTree tree;
  if (absl::Status parsed = engine::ParseTextFormat(text, path, &contacts, &tree);
      !parsed.ok()) {
    return parsed;
  }
  const engine::SourceLocator where(std::string(path), &tree, contacts.GetDescriptor());
  std::vector<std::string> problems;
  if (contacts.contacts().empty()) {
    problems.push_back(absl::StrCat(
        path, ": no contacts entry; give one per language (see "
              "deploy/care_contacts.example.textproto)"));
  }
  for (int i = 0; i < contacts.contacts_size(); ++i) {
    const dpv1::Contacts& entry = contacts.contacts(i);
    auto problem = [&](absl::string_view field, absl::string_view what) {
      problems.push_back(absl::StrCat(where.At({{"contacts", i}, {field}}), ": ",
                                      EntryName(entry), ": ", what));
    };
    if (!entry.locale().empty() && !IsWellFormedLocale(entry.locale())) {
      problem("locale", absl::StrCat("locale \"", entry.locale(),
                                     "\" is not a language tag such as \"es\" or "
                                     "\"es-MX\" (leave it out for the default)"));
    }
    for (int j = 0; j < i; ++j) {
      if (absl::EqualsIgnoreCase(contacts.contacts(j).locale(), entry.locale())) {
        problem("locale", entry.locale().empty()
                              ? std::string("a second entry without a locale")
                              : absl::StrCat("locale \"", entry.locale(),
                                             "\" has an entry already"));
        break;
      }
    }
    const std::pair<absl::string_view, const std::string*> numbers[] = {
        {"emergency_number", &entry.emergency_number()},
        {"urgent_line", &entry.urgent_line()},
        {"clinic_phone", &entry.clinic_phone()}};
    for (const auto& [field, number] : numbers) {
      if (!number->empty() && !IsPhoneNumber(*number)) {
        problem(field, absl::StrCat(field, " \"", *number,
                                    "\" must be digits, spaces and '-', with at most "
                                    "one '+' at the start and at least 2 digits"));
      }
    }
    if (!entry.booking_url().empty()) {
      const std::string wrong = UrlProblem(entry.booking_url());
      if (!wrong.empty()) {
        problem("booking_url", absl::StrCat("booking_url \"", entry.booking_url(), "\" ", wrong));
      }
    }
  }
  if (!problems.empty()) return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  return contacts;
}

const dpv1::Contacts* ContactsFor(const dpv1::CareContacts& contacts,
                                  absl::string_view locale) {
  const std::string language = engine::PrimaryLanguage(locale);
  const dpv1::Contacts* by_language = nullptr;
  const dpv1::Contacts* by_default = nullptr;
  for (const dpv1::Contacts& entry : contacts.contacts()) {
    if (!locale.empty() && absl::EqualsIgnoreCase(entry.locale(), locale)) return &entry;
    if (!language.empty() && absl::EqualsIgnoreCase(entry.locale(), language)) {
      by_language = &entry;
    }
    if (entry.locale().empty()) by_default = &entry;
  }
  return by_language != nullptr ? by_language : by_default;
}

std::string TelUri(absl::string_view number) {
  std::string uri = "tel:";
  for (char c : number) {
    if (c != ' ' && c != '-') uri.push_back(c);
  }
  return uri;
}

void AddCareActions(const dpv1::Contacts& contacts, const dialog::v1::Messages& messages,
                    tv1::Outcome* outcome) {
  switch (outcome->level()) {
    case tv1::LEVEL_EMERGENCY:
      AddAction(tv1::ACTION_KIND_CALL_EMERGENCY, messages.call_emergency_label(),
                contacts.emergency_number(), outcome);
      break;
    case tv1::LEVEL_URGENT:
      AddAction(tv1::ACTION_KIND_CALL_URGENT, messages.call_urgent_label(),
                contacts.urgent_line(), outcome);
      break;
    case tv1::LEVEL_SEE_DOCTOR:
      AddAction(tv1::ACTION_KIND_CALL_CLINIC, messages.call_clinic_label(),
                contacts.clinic_phone(), outcome);
      break;
    case tv1::LEVEL_SELF_CARE:
      if (!contacts.booking_url().empty() && !messages.book_label().empty()) {
        tv1::OutcomeAction* book = outcome->add_actions();
        book->set_kind(tv1::ACTION_KIND_BOOK);
        book->set_label(messages.book_label());
        book->set_target(contacts.booking_url());
        book->set_display(contacts.booking_url());
      }
      AddAction(tv1::ACTION_KIND_CALL_CLINIC, messages.call_clinic_label(),
                contacts.clinic_phone(), outcome);
      break;
    default:
      break;
  }
}

absl::Status CheckActionLabels(const engine::DialogSet& dialogs) {
  std::vector<std::string> problems;
  for (const auto& bundle : dialogs.bundles) {
    for (const auto& language : bundle->Languages()) {
      const dialog::v1::Messages& m = language->messages;
      std::vector<absl::string_view> missing;
      if (m.call_emergency_label().empty()) missing.push_back("call_emergency_label");
      if (m.call_urgent_label().empty()) missing.push_back("call_urgent_label");
      if (m.call_clinic_label().empty()) missing.push_back("call_clinic_label");
      if (m.book_label().empty()) missing.push_back("book_label");
      if (missing.empty()) continue;
      problems.push_back(absl::StrCat(
          language->source_path, ": dialog \"", language->id, "\", locale \"",
          language->locale, "\": --care_contacts needs messages ",
          absl::StrJoin(missing, ", "), " (the labels of the outcome's actions)"));
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrJoin(problems, "\n"));
}

absl::StatusOr<std::unique_ptr<CareContactsFile>> CareContactsFile::Load(
    const std::string& path) {
  std::unique_ptr<CareContactsFile> file(new CareContactsFile());
  file->path_ = path;
  if (absl::Status loaded = file->Reload(); !loaded.ok()) return loaded;
  return file;
}

std::unique_ptr<CareContactsFile> CareContactsFile::FromContacts(dpv1::CareContacts contacts) {
  std::unique_ptr<CareContactsFile> file(new CareContactsFile());
  file->contacts_ = std::make_shared<const dpv1::CareContacts>(std::move(contacts));
  return file;
}

absl::Status CareContactsFile::Reload() {
  if (path_.empty()) return absl::OkStatus();
  std::ifstream in(path_, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    return absl::NotFoundError(absl::StrCat(path_, ": cannot read the care contacts file"));
  }
  absl::StatusOr<dpv1::CareContacts> parsed = ParseCareContacts(text.str(), path_);
  if (!parsed.ok()) return parsed.status();
  auto contacts = std::make_shared<const dpv1::CareContacts>(*std::move(parsed));
  absl::MutexLock lock(&mu_);
  contacts_ = std::move(contacts);
  return absl::OkStatus();
}

void CareContactsFile::AddActions(absl::string_view locale,
                                  const dialog::v1::Messages& messages,
                                  tv1::Outcome* outcome) const {
  std::shared_ptr<const dpv1::CareContacts> contacts;
  {
    absl::MutexLock lock(&mu_);
    contacts = contacts_;
  }
  if (contacts == nullptr) return;
  if (const dpv1::Contacts* entry = ContactsFor(*contacts, locale)) {
    AddCareActions(*entry, messages, outcome);
  }
}

std::string CareContactsFile::Describe() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> locales;
  for (const dpv1::Contacts& entry : contacts_->contacts()) {
    locales.push_back(entry.locale().empty() ? "default" : entry.locale());
  }
  return absl::StrCat(locales.size(), locales.size() == 1 ? " entry (" : " entries (",
                      absl::StrJoin(locales, ", "), ")");
}

}  // namespace backchat::api
