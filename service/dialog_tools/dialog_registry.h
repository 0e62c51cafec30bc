// The dialogs a server runs, by id.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_REGISTRY_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "service/dialog_tools/dialog_bundle.h"

namespace backchat::engine {

// The dialogs of a directory: NAME.textproto is a dialog, and
// NAME.LOCALE.textproto (e.g. back_pain.es.textproto) a translation of it.
struct DialogSet {
  std::vector<std::shared_ptr<const DialogBundle>> bundles;
};

// Loads every dialog of `directory` (see DialogSet). Fails with every
// file's errors (file:line:column) if any file is invalid or unsafe, if a
// translation has no base file, if two dialogs share an id, if there is no
// dialog at all, or if `default_id` is not among them (unless it is empty).
absl::StatusOr<DialogSet> LoadDialogDirectory(const std::string& directory,
                                              const std::string& default_id);

// A directory (as LoadDialogDirectory, with no default id), or one base
// dialog file with the translations beside it (NAME.LOCALE.textproto).
absl::StatusOr<DialogSet> LoadDialogPath(const std::string& path);

// Thread-safe. Sessions hold the compiled dialog they started with, so
// replacing the registry's dialogs (Replace) never changes a conversation
// in flight.
class DialogRegistry {
 public:
  DialogRegistry(DialogSet dialogs, std::string default_id);

  // What a deployment needs of every dialog it serves beyond the dialog
  // check (e.g. the messages its configuration uses): an error that names
  // the dialog, the language and what is missing.
  using Requirement = std::function<absl::Status(const DialogSet&)>;

  // LoadDialogDirectory, then a registry of it that Reload() reads again.
  // With a `requirement`, a set it refuses is an error (its message), here
  // and on every Reload.
  static absl::StatusOr<std::unique_ptr<DialogRegistry>> LoadDirectory(
      const std::string& directory, const std::string& default_id,
      Requirement requirement = nullptr);

  // Loads the directory again (as LoadDirectory) and serves it. If anything
  // fails to load or check, or the requirement refuses it, keeps serving
  // what it served and returns FAILED_PRECONDITION with every problem.
  // FAILED_PRECONDITION too for a registry that was not loaded from a
  // directory.
  absl::Status Reload();

  // The dialog with this id; the default dialog for an empty id. NOT_FOUND
  // names the known ids.
  absl::StatusOr<std::shared_ptr<const DialogBundle>> Find(
      absl::string_view id) const;

  // A dialog as it was at `version`: any version served since this
  // registry was created (sessions keep theirs across reloads). NOT_FOUND
  // for a version this process never loaded.
  absl::StatusOr<std::shared_ptr<const DialogBundle>> FindVersion(
      absl::string_view id, absl::string_view version) const;

  std::vector<std::shared_ptr<const DialogBundle>> All() const;

  // Serves `dialogs` from now on (the default id must be among them).
  void Replace(DialogSet dialogs);

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const DialogBundle>> dialogs_
      ABSL_GUARDED_BY(mu_);
  // "id@version" -> bundle, for every version ever served.
  absl::flat_hash_map<std::string, std::shared_ptr<const DialogBundle>> versions_
      ABSL_GUARDED_BY(mu_);
  const std::string default_id_;
  std::string directory_;
  Requirement requirement_;
};

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_REGISTRY_H_
