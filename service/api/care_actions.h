// Where a deployment sends people after an outcome (the numbers to call,
// the clinic's booking page, per language: --care_contacts, see
// proto/backchat/deploy/v1/care_contacts.proto), and the actions that adds
// to outcomes. The engine knows nothing of this: Conversations adds the
// actions to the turns it builds.
#ifndef BACKCHAT_SERVICE_API_CARE_ACTIONS_H_
#define BACKCHAT_SERVICE_API_CARE_ACTIONS_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "backchat/deploy/v1/care_contacts.pb.h"
#include "backchat/dialog/v1/dialog.pb.h"
#include "backchat/triage/v1/types.pb.h"
#include "service/dialog_tools/dialog_registry.h"

namespace backchat::api {

// Parses a care contacts file's text (protobuf text format) and checks
// every entry. INVALID_ARGUMENT with one line per problem: "path:line:
// column: message" for text that does not parse; otherwise "path:line:
// column: contacts for \"es\": FIELD ..." for a phone number that is not
// digits, spaces, '-' and one leading '+' with at least 2 digits, a
// booking_url that is not http:// or https:// with a host (javascript:,
// data: and the like are refused), a malformed or repeated locale.
absl::StatusOr<deploy::v1::CareContacts> ParseCareContacts(absl::string_view text,
                                                           absl::string_view path);

// The entry for `locale`: the one with that locale, else the one with its
// language ("es-MX" -> "es"), else the one with no locale; null if none.
// Locales compare without regard to case.
const deploy::v1::Contacts* ContactsFor(const deploy::v1::CareContacts& contacts,
                                        absl::string_view locale);

// "tel:" and the number without its spaces and dashes:
// "+44 20 7946 0000" -> "tel:+442079460000".
std::string TelUri(absl::string_view number);

// Appends outcome->actions for outcome->level(), most important first,
// each only when `contacts` has its number or address: EMERGENCY calls the
// emergency number; URGENT the urgent-care line; SEE_DOCTOR the clinic;
// SELF_CARE books, then calls the clinic. Nothing else, ever: no booking
// for any level but SELF_CARE. Labels come from `messages` ({number}
// replaced by the number as written); an action whose label is empty is
// left out.
void AddCareActions(const deploy::v1::Contacts& contacts,
                    const dialog::v1::Messages& messages,
                    triage::v1::Outcome* outcome);

// OK when every language of every dialog in `dialogs` has the four action
// labels (messages.call_emergency_label, call_urgent_label,
// call_clinic_label, book_label); otherwise FAILED_PRECONDITION naming,
// for each language lacking some, the dialog, its file, the locale and
// the messages missing. A DialogRegistry::Requirement.
absl::Status CheckActionLabels(const engine::DialogSet& dialogs);

// The care contacts a server serves: a file, reloadable. Thread-safe.
class CareContactsFile {
 public:
  // Reads and checks `path` (as ParseCareContacts; NOT_FOUND if it cannot
  // be read).
  static absl::StatusOr<std::unique_ptr<CareContactsFile>> Load(const std::string& path);
  // Fixed contacts, not from a file (tests); Reload() keeps them.
  static std::unique_ptr<CareContactsFile> FromContacts(deploy::v1::CareContacts contacts);

  // Reads the file again; on error keeps serving what it had and returns
  // the error.
  absl::Status Reload();

  // AddCareActions with the entry for `locale` (ContactsFor); nothing when
  // there is none.
  void AddActions(absl::string_view locale, const dialog::v1::Messages& messages,
                  triage::v1::Outcome* outcome) const;

  // "2 entries (en, es)", for the log.
  std::string Describe() const;

 private:
  CareContactsFile() = default;
  std::string path_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const deploy::v1::CareContacts> contacts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_CARE_ACTIONS_H_
