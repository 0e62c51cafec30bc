// The dialogs a server runs, by id.
#ifndef BACKCHAT_SERVICE_ENGINE_DIALOG_REGISTRY_H_
#define BACKCHAT_SERVICE_ENGINE_DIALOG_REGISTRY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "service/engine/compiled_dialog.h"

namespace backchat::engine {

// Thread-safe. Sessions hold the shared_ptr they started with, so replacing
// the registry's dialogs never changes a conversation in flight.
class DialogRegistry {
 public:
  // Compiles every *.textproto file directly in `directory`. Fails with
  // every file's errors (file:line:column) if any file is invalid, if two
  // files have the same dialog id, if there is no dialog at all, or if
  // `default_id` is not among them.
  static absl::StatusOr<std::unique_ptr<DialogRegistry>> LoadDirectory(
      const std::string& directory, const std::string& default_id);

  // For tests: a registry of already compiled dialogs.
  DialogRegistry(std::vector<std::shared_ptr<const CompiledDialog>> dialogs,
                 std::string default_id);

  // The dialog with this id; the default dialog for an empty id. NOT_FOUND
  // names the known ids.
  absl::StatusOr<std::shared_ptr<const CompiledDialog>> Find(
      absl::string_view id) const;

  std::vector<std::shared_ptr<const CompiledDialog>> All() const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const CompiledDialog>>
      dialogs_ ABSL_GUARDED_BY(mu_);
  std::string default_id_;
};

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_DIALOG_REGISTRY_H_
