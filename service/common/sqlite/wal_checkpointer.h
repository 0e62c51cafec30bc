// Copies a SQLite file's write-ahead log back into the file on a
// connection and thread of its own, so that the writer never waits for a
// checkpoint (its fsyncs took milliseconds, and every answer in the batch
// behind it waited too).
#ifndef BACKCHAT_SERVICE_COMMON_SQLITE_WAL_CHECKPOINTER_H_
#define BACKCHAT_SERVICE_COMMON_SQLITE_WAL_CHECKPOINTER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

struct sqlite3;

namespace backchat::store {

// Thread-safe.
class WalCheckpointer {
 public:
  // A checkpoint once the log has this many pages (SQLite's own default).
  static constexpr int kCheckpointPages = 1000;

  // Opens its connection to `path` (a WAL database) and starts its thread.
  // UNAVAILABLE if it cannot.
  static absl::StatusOr<std::unique_ptr<WalCheckpointer>> Start(const std::string& path,
                                                                bool synchronous_full);
  // Ends the thread (after the checkpoint under way) and the connection.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // The writer committed and the log now has `pages` pages; cheap.
  void LogGrew(int pages);
  // Checkpoints done so far.
  int checkpoints() const;

 private:
  explicit WalCheckpointer(sqlite3* db);
  void Loop();

  sqlite3* const db_;
  mutable absl::Mutex mu_;
  int log_pages_ ABSL_GUARDED_BY(mu_) = 0;
  int checkpoints_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_COMMON_SQLITE_WAL_CHECKPOINTER_H_
