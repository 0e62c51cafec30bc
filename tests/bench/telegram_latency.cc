// Prints the end-to-end latency of Telegram turns through the bridge: from
// an update becoming available at a fake Bot API on loopback (the bridge
// long-polling it) to the bot's reply arriving there. The real
// backchat_server and backchat_telegram processes; whole conversations
// along the self-care path, typed answers.
//
//   telegram_latency --turns=300
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/bots/chat_oracle.h"
#include "tests/bots/fake_bot_api.h"
#include "tests/support/server_process.h"

ABSL_FLAG(int, turns, 300, "Turns to measure (after 20 to warm up).");

namespace {

using backchat::testing::ServerProcess;

int Fail(const std::string& message) {
  std::fprintf(stderr, "telegram_latency: %s\n", message.c_str());
  return 1;
}

double Percentile(std::vector<double> sorted, double p) {
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int turns = absl::GetFlag(FLAGS_turns);
  const std::string dir = absl::StrCat(std::filesystem::temp_directory_path().string(),
                                       "/telegram_latency_", getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/token") << "1:bench";

  auto backchat = ServerProcess::Start(
      {absl::StrCat("--dialogs=", BACKCHAT_SOURCE_DIR, "/dialogs"), "--store=memory"});
  if (!backchat.ok()) return Fail(std::string(backchat.status().message()));
  auto api = backchat::testing::FakeBotApi::Start("1:bench");
  if (!api.ok()) return Fail(std::string(api.status().message()));
  auto bridge = ServerProcess::StartProgram(
      {BACKCHAT_TELEGRAM_BINARY, "--token_file=" + dir + "/token",
       "--api_base_url=" + (*api)->base_url(), "--state_db=" + dir + "/telegram.db",
       absl::StrCat("--backchat_address=127.0.0.1:", (*backchat)->port())},
      "polling");
  if (!bridge.ok()) return Fail(std::string(bridge.status().message()));

  const auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*backchat)->port()),
                                           grpc::InsecureChannelCredentials());
  const backchat::testing::Answers& answers = backchat::testing::PathsToEachLevel()[3].answers;
  const int64_t chat = 77;
  std::vector<double> millis;
  size_t seen = 0;
  auto turn = [&](const std::string& text) -> bool {
    const absl::Time sent = absl::Now();
    (*api)->SendText(chat, text);
    const size_t got = (*api)->WaitForCount(chat, seen + 1, absl::Seconds(10)).size();
    if (got < seen + 1) return false;
    millis.push_back(absl::ToDoubleMilliseconds(absl::Now() - sent));
    seen = got;
    return true;
  };
  while (static_cast<int>(millis.size()) < turns + 20) {
    backchat::testing::ChatOracle oracle(channel, "en");
    oracle.Start();
    if (!turn("/start")) return Fail("no reply to /start\n" + (*bridge)->Log());
    while (oracle.turn().has_question()) {
      const std::string numbers = oracle.NumbersText(answers);
      oracle.Answer(answers);
      if (!turn(numbers)) return Fail("no reply to an answer\n" + (*bridge)->Log());
    }
  }
  std::vector<double> measured(millis.begin() + 20, millis.end());
  std::sort(measured.begin(), measured.end());
  double sum = 0;
  for (double m : measured) sum += m;
  std::printf(
      "Telegram turn through the bridge (fake Bot API on loopback, long polling):\n"
      "  turns %zu  mean %.2f ms  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n",
      measured.size(), sum / measured.size(), Percentile(measured, 0.5),
      Percentile(measured, 0.9), Percentile(measured, 0.99), measured.back());
  (*bridge)->Stop(SIGTERM);
  (*backchat)->Stop(SIGTERM);
  std::filesystem::remove_all(dir);
  return 0;
}
