#include "service/dialog_tools/dialog_bundle.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/dialog_tools/dialog_compiler.h"
#include "service/dialog_tools/dialog_translation.h"
#include "service/dialog_tools/typed_answer_check.h"

namespace backchat::engine {

void DialogBundle::CheckTyped(const CompiledDialog& language, const std::string& path,
                              std::vector<std::string>* problems) {
  TypedAnswerReport report = CheckTypedAnswers(language, path);
  for (std::string& problem : report.problems) problems->push_back(std::move(problem));
  for (std::string& warning : report.warnings) typed_answer_warnings_.push_back(std::move(warning));
}

std::string PrimaryLanguage(absl::string_view locale) {
  return absl::AsciiStrToLower(locale.substr(0, locale.find_first_of("-_")));
}

absl::StatusOr<std::shared_ptr<const DialogBundle>> DialogBundle::Load(
    const std::string& base_path,
    const std::vector<std::string>& translation_paths) {
  auto base = ReadDialogFile(base_path);
  if (!base.ok()) return base.status();
  std::vector<std::string> problems;
  std::vector<ParsedDialog> translations;
  for (const std::string& path : translation_paths) {
    auto parsed = ReadDialogFile(path);
    if (!parsed.ok()) {
      problems.push_back(std::string(parsed.status().message()));
    } else {
      translations.push_back(*std::move(parsed));
    }
  }
  std::sort(translations.begin(), translations.end(),
            [](const ParsedDialog& a, const ParsedDialog& b) {
              return a.def.locale() < b.def.locale();
            });
  std::vector<const dialog::v1::Dialog*> all = {&base->def};
  for (const ParsedDialog& t : translations) all.push_back(&t.def);
  const std::string version = DialogContentHash(all);

  std::shared_ptr<DialogBundle> bundle(new DialogBundle());
  auto compiled = CompileDialogDefinition(base->def, base->Locator(), version);
  if (!compiled.ok()) return compiled.status();
  bundle->base_ = *compiled;
  bundle->by_language_[PrimaryLanguage(base->def.locale())] = *compiled;
  bundle->CheckTyped(**compiled, base_path, &problems);
  // Translations share the base's structure, so one check covers them all.
  bundle->check_report_ = CheckDialog(**compiled);
  if (!bundle->check_report_.ok()) {
    problems.push_back(absl::StrCat(base_path, ": the dialog check failed:\n",
                                    absl::StrJoin(bundle->check_report_.problems, "\n"),
                                    "\n", bundle->check_report_.Summary()));
  }

  for (const ParsedDialog& t : translations) {
    auto merged = ApplyTranslation(base->def, t);
    if (!merged.ok()) {
      problems.push_back(std::string(merged.status().message()));
      continue;
    }
    // The structure is the base's, so structural errors point there; texts
    // were checked against the translation file already.
    auto language = CompileDialogDefinition(*merged, base->Locator(), version);
    if (!language.ok()) {
      problems.push_back(absl::StrCat(t.path, ": ", language.status().message()));
      continue;
    }
    bundle->CheckTyped(**language, t.path, &problems);
    const std::string key = PrimaryLanguage(t.def.locale());
    if (!bundle->by_language_.emplace(key, *language).second) {
      problems.push_back(absl::StrCat(t.path, ": a second translation for language \"",
                                      key, "\""));
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  return std::shared_ptr<const DialogBundle>(std::move(bundle));
}

DialogBundle::Choice DialogBundle::ForLocale(absl::string_view locale) const {
  if (locale.empty()) return {base_, false};
  auto it = by_language_.find(PrimaryLanguage(locale));
  if (it == by_language_.end()) return {base_, true};
  return {it->second, false};
}

std::vector<std::shared_ptr<const CompiledDialog>> DialogBundle::Languages() const {
  std::vector<std::shared_ptr<const CompiledDialog>> all = {base_};
  for (const auto& [language, dialog] : by_language_) {
    if (dialog != base_) all.push_back(dialog);
  }
  std::sort(all.begin() + 1, all.end(),
            [](const auto& a, const auto& b) { return a->locale < b->locale; });
  return all;
}

}  // namespace backchat::engine
