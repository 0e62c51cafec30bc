#include "service/engine/dialog_registry.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/engine/dialog_compiler.h"

namespace backchat::engine {

absl::StatusOr<std::unique_ptr<DialogRegistry>> DialogRegistry::LoadDirectory(
    const std::string& directory, const std::string& default_id) {
  namespace fs = std::filesystem;
  std::error_code error;
  std::vector<std::string> paths;
  for (fs::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().extension() == ".textproto") {
      paths.push_back(it->path().string());
    }
  }
  if (error) {
    return absl::NotFoundError(absl::StrCat(
        directory, ": cannot read the dialog directory: ", error.message()));
  }
  std::sort(paths.begin(), paths.end());

  std::vector<std::string> problems;
  std::vector<std::shared_ptr<const CompiledDialog>> dialogs;
  absl::flat_hash_map<std::string, std::string> path_of_id;
  for (const std::string& path : paths) {
    auto dialog = LoadDialogFile(path);
    if (!dialog.ok()) {
      problems.push_back(std::string(dialog.status().message()));
      continue;
    }
    auto [it, inserted] = path_of_id.emplace((*dialog)->id, path);
    if (!inserted) {
      problems.push_back(absl::StrCat(path, ": dialog id \"", (*dialog)->id,
                                      "\" is already used by ", it->second));
      continue;
    }
    dialogs.push_back(*std::move(dialog));
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  if (dialogs.empty()) {
    return absl::NotFoundError(
        absl::StrCat(directory, ": no *.textproto dialog files"));
  }
  if (!path_of_id.contains(default_id)) {
    return absl::NotFoundError(absl::StrCat(
        directory, ": no dialog has the default id \"", default_id, "\""));
  }
  return std::make_unique<DialogRegistry>(std::move(dialogs), default_id);
}

DialogRegistry::DialogRegistry(
    std::vector<std::shared_ptr<const CompiledDialog>> dialogs,
    std::string default_id)
    : default_id_(std::move(default_id)) {
  for (auto& dialog : dialogs) {
    const std::string id = dialog->id;
    dialogs_.emplace(id, std::move(dialog));
  }
}

absl::StatusOr<std::shared_ptr<const CompiledDialog>> DialogRegistry::Find(
    absl::string_view id) const {
  const absl::string_view wanted = id.empty() ? default_id_ : id;
  absl::MutexLock lock(&mu_);
  auto it = dialogs_.find(wanted);
  if (it != dialogs_.end()) return it->second;
  std::vector<std::string> known;
  for (const auto& [known_id, dialog] : dialogs_) known.push_back(known_id);
  std::sort(known.begin(), known.end());
  return absl::NotFoundError(absl::StrCat("dialog_id: no dialog \"", wanted,
                                          "\"; known dialogs: ",
                                          absl::StrJoin(known, ", ")));
}

std::vector<std::shared_ptr<const CompiledDialog>> DialogRegistry::All() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::shared_ptr<const CompiledDialog>> all;
  for (const auto& [id, dialog] : dialogs_) all.push_back(dialog);
  return all;
}

}  // namespace backchat::engine
