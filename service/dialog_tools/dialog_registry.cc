#include "service/dialog_tools/dialog_registry.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "service/common/quoted.h"

namespace backchat::engine {

namespace {

// Base file name stem -> the base file's path and its translations' paths.
using DialogFiles =
    std::map<std::string, std::pair<std::string, std::vector<std::string>>>;

absl::StatusOr<DialogFiles> ListDialogFiles(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  DialogFiles files;
  for (fs::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    absl::string_view stem = name;
    if (!absl::ConsumeSuffix(&stem, ".textproto")) continue;
    const size_t dot = stem.find('.');
    auto& entry = files[std::string(stem.substr(0, dot))];
    if (dot == absl::string_view::npos) {
      entry.first = it->path().string();
    } else {
      entry.second.push_back(it->path().string());
    }
  }
  if (error) {
    return absl::NotFoundError(absl::StrCat(
        directory, ": cannot read the dialog directory: ", error.message()));
  }
  return files;
}

absl::StatusOr<DialogSet> LoadDialogFiles(const std::string& where,
                                          DialogFiles files,
                                          const std::string& default_id) {
  std::vector<std::string> problems;
  DialogSet set;
  absl::flat_hash_map<std::string, std::string> path_of_id;
  for (auto& [stem, paths] : files) {
    auto& [base, translations] = paths;
    std::sort(translations.begin(), translations.end());
    if (base.empty()) {
      problems.push_back(absl::StrCat(translations.front(), ": a translation of \"",
                                      stem, ".textproto\", which is not there"));
      continue;
    }
    auto bundle = DialogBundle::Load(base, translations);
    if (!bundle.ok()) {
      problems.push_back(std::string(bundle.status().message()));
      continue;
    }
    auto [it, inserted] = path_of_id.emplace((*bundle)->id(), base);
    if (!inserted) {
      problems.push_back(absl::StrCat(base, ": dialog id \"", (*bundle)->id(),
                                      "\" is already used by ", it->second));
      continue;
    }
    set.bundles.push_back(*std::move(bundle));
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  if (set.bundles.empty()) {
    return absl::NotFoundError(absl::StrCat(where, ": no *.textproto dialog files"));
  }
  if (!default_id.empty() && !path_of_id.contains(default_id)) {
    return absl::NotFoundError(absl::StrCat(
        where, ": no dialog has the default id \"", default_id, "\""));
  }
  return set;
}

}  // namespace

absl::StatusOr<DialogSet> LoadDialogDirectory(const std::string& directory,
                                              const std::string& default_id) {
  auto files = ListDialogFiles(directory);
  if (!files.ok()) return files.status();
  return LoadDialogFiles(directory, *std::move(files), default_id);
}

absl::StatusOr<DialogSet> LoadDialogPath(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::is_directory(path, error)) return LoadDialogDirectory(path, "");
  const fs::path file(path);
  const std::string directory =
      file.has_parent_path() ? file.parent_path().string() : ".";
  auto files = ListDialogFiles(directory);
  if (!files.ok()) return files.status();
  const std::string stem = file.filename().string().substr(
      0, file.filename().string().find('.'));
  auto it = files->find(stem);
  if (it == files->end() || it->second.first.empty() ||
      fs::path(it->second.first).filename() != file.filename()) {
    return absl::NotFoundError(
        absl::StrCat(path, ": not a dialog file (NAME.textproto) here"));
  }
  DialogFiles one;
  one.insert(*it);
  return LoadDialogFiles(path, std::move(one), "");
}

DialogRegistry::DialogRegistry(DialogSet dialogs, std::string default_id)
    : default_id_(std::move(default_id)) {
  Replace(std::move(dialogs));
}

absl::StatusOr<std::unique_ptr<DialogRegistry>> DialogRegistry::LoadDirectory(
    const std::string& directory, const std::string& default_id,
    Requirement requirement) {
  auto set = LoadDialogDirectory(directory, default_id);
  if (!set.ok()) return set.status();
  if (requirement != nullptr) {
    if (absl::Status met = requirement(*set); !met.ok()) return met;
  }
  auto registry = std::make_unique<DialogRegistry>(*std::move(set), default_id);
  registry->directory_ = directory;
  registry->requirement_ = std::move(requirement);
  return registry;
}

absl::Status DialogRegistry::Reload() {
  if (directory_.empty()) {
    return absl::FailedPreconditionError(
        "these dialogs were not loaded from a directory");
  }
  auto set = LoadDialogDirectory(directory_, default_id_);
  if (set.ok() && requirement_ != nullptr) {
    if (absl::Status met = requirement_(*set); !met.ok()) set = met;
  }
  if (!set.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "reload failed; still serving the previous dialogs:\n",
        set.status().message()));
  }
  Replace(*std::move(set));
  return absl::OkStatus();
}

void DialogRegistry::Replace(DialogSet dialogs) {
  absl::flat_hash_map<std::string, std::shared_ptr<const DialogBundle>> by_id;
  for (auto& bundle : dialogs.bundles) {
    const std::string id = bundle->id();
    by_id.emplace(id, std::move(bundle));
  }
  absl::MutexLock lock(&mu_);
  for (const auto& [id, bundle] : by_id) {
    versions_.emplace(absl::StrCat(id, "@", bundle->version()), bundle);
  }
  dialogs_.swap(by_id);
}

absl::StatusOr<std::shared_ptr<const DialogBundle>> DialogRegistry::FindVersion(
    absl::string_view id, absl::string_view version) const {
  absl::MutexLock lock(&mu_);
  auto it = versions_.find(absl::StrCat(id, "@", version));
  if (it == versions_.end()) {
    return absl::NotFoundError(absl::StrCat("dialog \"", id, "\" version ",
                                            version, " is not loaded"));
  }
  return it->second;
}

absl::StatusOr<std::shared_ptr<const DialogBundle>> DialogRegistry::Find(
    absl::string_view id) const {
  const absl::string_view wanted = id.empty() ? default_id_ : id;
  absl::MutexLock lock(&mu_);
  auto it = dialogs_.find(wanted);
  if (it != dialogs_.end()) return it->second;
  std::vector<std::string> known;
  for (const auto& [known_id, bundle] : dialogs_) known.push_back(known_id);
  std::sort(known.begin(), known.end());
  return absl::NotFoundError(absl::StrCat("dialog_id: no dialog ", Quoted(wanted),
                                          "; known dialogs: ",
                                          absl::StrJoin(known, ", ")));
}

std::vector<std::shared_ptr<const DialogBundle>> DialogRegistry::All() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::shared_ptr<const DialogBundle>> all;
  for (const auto& [id, bundle] : dialogs_) all.push_back(bundle);
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a->id() < b->id(); });
  return all;
}

}  // namespace backchat::engine
