// Fairness under abuse, measured against a running server's HTTP listener:
// --slow connections from one address (127.0.0.2) each send one byte every
// --byte_every and reconnect when the server drops them (a slowloris), while
// a normal client from another address (127.0.0.3) fetches its session over
// a fresh connection every --request_every. Prints the share of the normal
// client's requests served and their latency; exits 1 if the share is below
// --min_served (the figure the listener promises: 0.99).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tests/support/http_client.h"

ABSL_FLAG(int, port, 0, "the server's HTTP port on 127.0.0.1");
ABSL_FLAG(int, slow, 1500, "slow connections from 127.0.0.2");
ABSL_FLAG(absl::Duration, byte_every, absl::Seconds(3), "each slow connection's pace");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(20), "measured time");
ABSL_FLAG(absl::Duration, request_every, absl::Milliseconds(100), "the normal client's pace");
ABSL_FLAG(double, min_served, 0.99, "exit 1 below this share of normal requests served");

namespace {

using backchat::testing::HttpConnection;

int ConnectFrom(const char* source, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source, &local.sin_addr);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<uint16_t>(port));
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof(server)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The attacker: keeps --slow connections trickling a request head.
void Trickle(int port, int count, absl::Duration pace, absl::Time until, std::atomic<long>* opened) {
  static constexpr char kHead[] =
      "POST /backchat.triage.v1.TriageService/StartSession HTTP/1.1\r\nHost: x\r\nX-Pad: ";
  std::vector<int> fds(count, -1);
  std::vector<size_t> sent(count, 0);
  while (absl::Now() < until) {
    const absl::Time round = absl::Now();
    for (int i = 0; i < count; ++i) {
      if (fds[i] < 0) {
        fds[i] = ConnectFrom("127.0.0.2", port);
        sent[i] = 0;
        if (fds[i] >= 0) opened->fetch_add(1);
      }
      if (fds[i] < 0) continue;
      const char byte = sent[i] < sizeof(kHead) - 1 ? kHead[sent[i]] : 'a';
      if (send(fds[i], &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) {
        close(fds[i]);  // dropped by the server: come back next round
        fds[i] = -1;
        continue;
      }
      ++sent[i];
    }
    absl::SleepFor(pace - (absl::Now() - round));
  }
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int port = absl::GetFlag(FLAGS_port);
  if (port <= 0) {
    std::cerr << "slow_clients: --port (the server's HTTP port) is required\n";
    return 2;
  }
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;  // one descriptor per slow connection
  setrlimit(RLIMIT_NOFILE, &files);

  // The normal client's session, started before the attack.
  auto first = HttpConnection::Open(port, "127.0.0.3");
  if (!first.ok()) {
    std::cerr << "slow_clients: " << first.status() << "\n";
    return 2;
  }
  const std::string start = absl::StrCat(
      "POST /backchat.triage.v1.TriageService/StartSession HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  auto started = (*first)->Exchange(start);
  const size_t id_at = started.ok() ? started->body.find("\"sessionId\":\"") : std::string::npos;
  if (id_at == std::string::npos) {
    std::cerr << "slow_clients: StartSession failed before the attack\n";
    return 2;
  }
  const std::string session_id = started->body.substr(id_at + 13, 32);
  const std::string body = absl::StrCat("{\"sessionId\":\"", session_id, "\"}");
  const std::string get = absl::StrCat(
      "POST /backchat.triage.v1.TriageService/GetSession HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\nConnection: close\r\nContent-Length: ", body.size(),
      "\r\n\r\n", body);

  const absl::Time until = absl::Now() + absl::GetFlag(FLAGS_duration);
  std::atomic<long> opened{0};
  std::thread attacker(Trickle, port, absl::GetFlag(FLAGS_slow), absl::GetFlag(FLAGS_byte_every),
                       until, &opened);
  absl::SleepFor(absl::Seconds(1));  // let the attack build up
  std::vector<double> latencies_ms;
  int requests = 0, served = 0;
  while (absl::Now() < until) {
    const absl::Time begun = absl::Now();
    ++requests;
    auto connection = HttpConnection::Open(port, "127.0.0.3");
    if (connection.ok()) {
      auto reply = (*connection)->Exchange(get);
      if (reply.ok() && reply->status == 200) {
        ++served;
        latencies_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - begun));
      }
    }
    absl::SleepFor(absl::GetFlag(FLAGS_request_every) - (absl::Now() - begun));
  }
  attacker.join();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const auto at = [&](double q) {
    return latencies_ms.empty() ? 0.0
                                : latencies_ms[std::min(latencies_ms.size() - 1,
                                                        static_cast<size_t>(q * latencies_ms.size()))];
  };
  const double share = requests == 0 ? 0 : static_cast<double>(served) / requests;
  std::cout << absl::StrFormat(
      "RESULT slow_clients slow=%d slow_connections_opened=%d normal_requests=%d served=%d "
      "share=%.3f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
      absl::GetFlag(FLAGS_slow), opened.load(), requests, served, share, at(0.50), at(0.99),
      latencies_ms.empty() ? 0.0 : latencies_ms.back());
  return share >= absl::GetFlag(FLAGS_min_served) ? 0 : 1;
}
