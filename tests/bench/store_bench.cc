// store_bench: whole conversations through the triage operations
// (service/api/conversations.h) on one session store, without the network,
// to compare the stores' cost. Prints turns/s. Not a test: a program.
//
//   store_bench --store=sqlite --sqlite_path=/tmp/bench.db --conversations=2000
#include <atomic>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "service/api/conversations.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/records/record_stores.h"
#include "service/store/open_session_store.h"
#include "tests/support/dialog_paths.h"

ABSL_FLAG(std::string, store, "memory", "memory, sqlite or redis");
ABSL_FLAG(std::string, sqlite_path, "/tmp/backchat_bench.db", "SQLite file");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379", "Redis host:port");
ABSL_FLAG(std::string, dialogs, "dialogs", "dialog directory");
ABSL_FLAG(int, conversations, 2000, "conversations to run");
ABSL_FLAG(int, threads, 2, "threads running conversations");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  namespace tv1 = backchat::triage::v1;
  auto dialogs = backchat::engine::DialogRegistry::LoadDirectory(
      absl::GetFlag(FLAGS_dialogs), "back_pain");
  if (!dialogs.ok()) {
    std::cerr << dialogs.status() << "\n";
    return 1;
  }
  backchat::store::StoreConfig config;
  config.kind = absl::GetFlag(FLAGS_store);
  config.sqlite_path = absl::GetFlag(FLAGS_sqlite_path);
  config.redis_address = absl::GetFlag(FLAGS_redis_address);
  config.max_sessions = 10'000'000;
  backchat::store::SessionCodec codec(dialogs->get());
  auto sessions = backchat::store::OpenSessionStore(config, &codec);
  auto records = backchat::records::OpenRecordStore(config);
  if (!sessions.ok() || !records.ok()) {
    std::cerr << "cannot open the store: " << sessions.status() << "\n";
    return 1;
  }
  backchat::api::Conversations conversations(dialogs->get(), sessions->get(),
                                             records->get());
  const int total = absl::GetFlag(FLAGS_conversations);
  std::atomic<int> next{0}, turns{0}, errors{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < absl::GetFlag(FLAGS_threads); ++t) {
    threads.emplace_back([&] {
      while (next++ < total) {
        tv1::Turn turn;
        if (!conversations.Start({}, &turn).ok()) {
          ++errors;
          continue;
        }
        ++turns;
        while (turn.has_question()) {
          tv1::SubmitAnswerRequest request;
          request.set_session_id(turn.session_id());
          request.set_question_id(turn.question().id());
          for (const auto& option :
               backchat::testing::BackPainSelfCareAnswers().at(turn.question().id())) {
            request.add_option_ids(option);
          }
          if (!conversations.Answer(request, &turn).ok()) {
            ++errors;
            break;
          }
          ++turns;
        }
        if (!turn.has_outcome() || turn.outcome().level() != tv1::LEVEL_SELF_CARE) ++errors;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::cout << absl::StrFormat(
      "store=%s conversations=%d turns=%d errors=%d seconds=%.2f turns/s=%.0f "
      "conversations/s=%.0f\n",
      config.kind, total, turns.load(), errors.load(), seconds, turns / seconds,
      total / seconds);
  return errors == 0 ? 0 : 1;
}
