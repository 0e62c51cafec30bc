#include "tests/support/server_process.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace backchat::testing {

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

int WaitForPortFile(const std::string& path, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) return port;
    if (absl::Now() > deadline) return 0;
    absl::SleepFor(absl::Milliseconds(10));
  }
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::vector<std::string>& flags, absl::Duration timeout) {
  // Tests drive many conversations from one address: no per-client limits
  // unless a test sets them.
  std::vector<std::string> args = {BACKCHAT_SERVER_BINARY, "--port=0", "--plaintext",
                                   "--rate_limit_per_second=0"};
  args.insert(args.end(), flags.begin(), flags.end());
  return StartListening(args, timeout);
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::StartListening(
    const std::vector<std::string>& args, absl::Duration timeout) {
  const std::string kListening = "listening on ";
  auto server = StartProgram(args, kListening, timeout);
  if (!server.ok()) return server.status();
  const std::string log = (*server)->Log();
  const size_t at = log.find(kListening);
  const size_t colon = log.find(':', at + kListening.size());
  const size_t end = log.find_first_of(" \n", colon);
  if (!absl::SimpleAtoi(log.substr(colon + 1, end - colon - 1), &(*server)->port_)) {
    return absl::InternalError(absl::StrCat("no port in the log:\n", log));
  }
  return server;
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::StartProgram(
    const std::vector<std::string>& argv_in, const std::string& ready,
    absl::Duration timeout) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return absl::InternalError("pipe failed");
  std::vector<std::string> args = argv_in;
  // Built before fork: the test process has other threads (gRPC's, a live
  // server's), and a child that allocates could wait forever on an
  // allocator lock one of them held at the fork (seen under ASan as a
  // bridge that "did not start", with no log). Between fork and exec the
  // child calls only async-signal-safe functions.
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  server->pid_ = fork();
  if (server->pid_ < 0) return absl::InternalError("fork failed");
  if (server->pid_ == 0) {
    dup2(pipe_fds[1], STDERR_FILENO);
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  server->reader_ = std::thread([s = server.get(), fd = pipe_fds[0]] { s->ReadLog(fd); });

  // Wait for the ready line (or the end of the log).
  absl::MutexLock lock(&server->mu_);
  auto is_ready = [s = server.get(), &ready]() -> bool {
    s->mu_.AssertHeld();
    // The whole line: the log may arrive in pieces.
    const size_t at = s->log_.find(ready);
    return s->log_closed_ ||
           (at != std::string::npos && s->log_.find('\n', at) != std::string::npos);
  };
  server->mu_.AwaitWithTimeout(absl::Condition(&is_ready), timeout);
  if (server->log_.find(ready) == std::string::npos) {
    return absl::UnavailableError(
        absl::StrCat(args[0], " did not start:\n", server->log_));
  }
  return server;
}

void ServerProcess::ReadLog(int fd) {
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) break;
    absl::MutexLock lock(&mu_);
    log_.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  absl::MutexLock lock(&mu_);
  log_closed_ = true;
}

std::string ServerProcess::address() const { return absl::StrCat("127.0.0.1:", port_); }

int ServerProcess::Stop(int signal) {
  int status = 0;
  if (pid_ > 0) {
    kill(pid_, signal);
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (reader_.joinable()) reader_.join();
  return status;
}

std::string ServerProcess::Log() const {
  absl::MutexLock lock(&mu_);
  return log_;
}

ServerProcess::~ServerProcess() { Stop(SIGKILL); }

}  // namespace backchat::testing
