// Real processes for fault tests (backchat_server, redis-server): started
// with flags, their log captured, stopped with any signal.
#ifndef BACKCHAT_TESTS_SUPPORT_SERVER_PROCESS_H_
#define BACKCHAT_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace backchat::testing {

// A free loopback port (the kernel's choice), for a program that cannot
// pick one itself (redis-server).
int FreeLoopbackPort();

// The port a process wrote to `path` (--port_file, --http_port_file),
// waiting up to `timeout` for it; 0 if none came.
int WaitForPortFile(const std::string& path, absl::Duration timeout = absl::Seconds(10));

class ServerProcess {
 public:
  // Starts BACKCHAT_SERVER_BINARY with `flags` plus --port=0 and waits (up
  // to `timeout`) for it to log that it is listening. Fails with the log
  // if it exits or does not listen in time.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::vector<std::string>& flags,
      absl::Duration timeout = absl::Seconds(20));

  // Starts any program that logs "listening on ADDRESS:PORT" once it
  // serves (the bridges); port() is that port.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> StartListening(
      const std::vector<std::string>& argv,
      absl::Duration timeout = absl::Seconds(20));

  // Starts any program (argv[0] is its path), its stdout and stderr
  // captured, and waits for a whole log line containing `ready`. port() is
  // 0 for these.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> StartProgram(
      const std::vector<std::string>& argv, const std::string& ready,
      absl::Duration timeout = absl::Seconds(20));
  ~ServerProcess();  // SIGKILL if still running.

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string address() const;
  // Sends `signal` and waits for the process; returns its exit status
  // (as from waitpid).
  int Stop(int signal);
  std::string Log() const;

 private:
  ServerProcess() = default;
  void ReadLog(int fd);

  pid_t pid_ = -1;
  int port_ = 0;
  std::thread reader_;
  mutable absl::Mutex mu_;
  std::string log_ ABSL_GUARDED_BY(mu_);
  bool log_closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_SUPPORT_SERVER_PROCESS_H_
