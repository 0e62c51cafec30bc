// One dialog in all its languages: a base file and its translations,
// compiled together under one version.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_BUNDLE_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_BUNDLE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/engine/compiled_dialog.h"
#include "service/dialog_tools/dialog_checker.h"

namespace backchat::engine {

// Immutable once built; safe to share between threads.
class DialogBundle {
 public:
  // Compiles `base_path`, applies each translation file to it, and proves
  // the dialog safe (CheckDialog). Every compiled language shares the
  // base's structure and the bundle's version. Errors: as CompileDialogText
  // and ApplyTranslation, for every file; two translations of one language;
  // a failed check (its problems with their paths, and its summary); an
  // option's label or synonym that, typed alone, does not read as that
  // option (typed_answer_check.h).
  static absl::StatusOr<std::shared_ptr<const DialogBundle>> Load(
      const std::string& base_path,
      const std::vector<std::string>& translation_paths);

  struct Choice {
    std::shared_ptr<const CompiledDialog> dialog;
    // True when `locale` was given but its language is not available, so
    // the dialog is in the base language.
    bool fallback = false;
  };
  // The dialog in the language of a BCP-47 tag ("es-MX" -> "es"); an empty
  // tag means the base language.
  Choice ForLocale(absl::string_view locale) const;

  const std::string& id() const { return base_->id; }
  const std::string& version() const { return base_->version; }
  const CompiledDialog& base() const { return *base_; }
  // The dialog check's figures.
  const CheckReport& check_report() const { return check_report_; }
  // typed_answer_check.h's warnings, every language.
  const std::vector<std::string>& typed_answer_warnings() const { return typed_answer_warnings_; }
  // Every language, the base first.
  std::vector<std::shared_ptr<const CompiledDialog>> Languages() const;

 private:
  DialogBundle() = default;
  void CheckTyped(const CompiledDialog& language, const std::string& path,
                  std::vector<std::string>* problems);
  std::shared_ptr<const CompiledDialog> base_;
  CheckReport check_report_;
  std::vector<std::string> typed_answer_warnings_;
  // By lower-case primary language subtag.
  absl::flat_hash_map<std::string, std::shared_ptr<const CompiledDialog>> by_language_;
};

// The primary language subtag, lower-cased: "es-MX" -> "es".
std::string PrimaryLanguage(absl::string_view locale);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_BUNDLE_H_
