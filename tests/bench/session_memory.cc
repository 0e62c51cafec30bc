// session_memory: RSS growth per idle in-memory session. Starts sessions
// through the triage operations (as StartSession does) and reads the
// process's resident set at checkpoints. Prints "sessions,rss_growth_bytes,
// bytes_per_session" lines (CSV) and a RESULT line for the largest count.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "service/api/conversations.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/store/memory_session_store.h"

ABSL_FLAG(std::string, dialogs, "dialogs", "dialog directory");
ABSL_FLAG(std::vector<std::string>, checkpoints, std::vector<std::string>({"10000", "100000", "1000000"}),
          "session counts to report at");

namespace {

long ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto dialogs = backchat::engine::DialogRegistry::LoadDirectory(
      absl::GetFlag(FLAGS_dialogs), "back_pain");
  if (!dialogs.ok()) {
    std::cerr << dialogs.status() << "\n";
    return 1;
  }
  backchat::store::MemoryStoreOptions options;
  options.max_sessions = 100'000'000;
  backchat::store::MemorySessionStore sessions(options);
  backchat::api::Conversations conversations(dialogs->get(), &sessions);
  backchat::triage::v1::Turn turn;
  if (!conversations.Start({}, &turn).ok()) return 1;  // Warms up allocators.
  const long before = ResidentBytes();
  long created = 1;
  std::cout << "sessions,rss_growth_bytes,bytes_per_session\n";
  double last_per_session = 0;
  for (const std::string& checkpoint : absl::GetFlag(FLAGS_checkpoints)) {
    const long target = std::stol(checkpoint);
    for (; created < target; ++created) {
      if (!conversations.Start({}, &turn).ok()) {
        std::cerr << "StartSession failed at " << created << "\n";
        return 1;
      }
    }
    const long growth = ResidentBytes() - before;
    last_per_session = static_cast<double>(growth) / static_cast<double>(created);
    std::cout << absl::StrFormat("%d,%d,%.0f\n", created, growth, last_per_session);
  }
  std::cout << absl::StrFormat("RESULT sessions=%d bytes_per_session=%.0f\n", created,
                               last_per_session);
  return 0;
}
