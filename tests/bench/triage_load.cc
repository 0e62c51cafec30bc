// triage_load: a closed-loop load generator on gRPC's callback API.
//
// --mode=triage keeps --in_flight conversations going: each starts a
// session, answers every question along one of four paths (one per outcome
// level, in turn) and checks every reply: a non-OK status, a question the
// path has no answer for, or the wrong outcome level is an error. A
// finished conversation is replaced at once. --mode=echo does the same with
// the trivial EchoService, as the baseline. --mode=connect runs the
// conversations as the web widget does, Connect JSON over HTTP/1.1 on Beast
// and Asio (--server is then the HTTP listener).
//
// With --server_pid, also the server's own cost per turn in the measured
// window, from /proc: CPU time (which the shared CPU's client does not
// blur) and bytes it caused to be written to storage. Always this client's
// own CPU time per turn: on a machine the two share, a client that costs
// more per turn leaves less CPU to the server, whatever the server does.
//
// Prints figures, then one line starting with RESULT for scripts.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "backchat/bench/v1/echo.grpc.pb.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/address.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/string_body.hpp"
#include "boost/beast/http/write.hpp"
#include "google/protobuf/arena.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/support/dialog_paths.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "host:port");
ABSL_FLAG(std::string, mode, "triage", "triage, echo or connect (Connect JSON over HTTP/1.1)");
ABSL_FLAG(int, in_flight, 64, "conversations (or echo calls) in flight");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "measured time");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2), "time before measuring");
ABSL_FLAG(std::string, label, "", "name of this run in the RESULT line");
ABSL_FLAG(int, server_pid, 0,
          "the server's process id (same machine): report its CPU time and bytes written per "
          "turn in the measured window; 0 for none");

namespace {

namespace tv1 = backchat::triage::v1;
namespace bv1 = backchat::bench::v1;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using backchat::testing::Answers;

// The four paths, each with the level it must reach.
struct PathScript {
  Answers answers;
  tv1::Level level;
};
const std::vector<PathScript>& Paths() {
  static const auto* paths = new std::vector<PathScript>{
      {{{"warning_signs", {"both_legs"}}}, tv1::LEVEL_EMERGENCY},
      {{{"symptoms", {"fever"}}}, tv1::LEVEL_URGENT},
      {{{"medical_history", {"pregnant"}}}, tv1::LEVEL_SEE_DOCTOR},
      {{}, tv1::LEVEL_SELF_CARE},
  };
  return *paths;
}

// The options path `path` gives for `question`, or null if it has none.
const std::vector<std::string>* AnswerFor(int path, const std::string& question) {
  const Answers& answers = Paths()[path].answers;
  auto it = answers.find(question);
  if (it != answers.end()) return &it->second;
  const Answers& defaults = backchat::testing::BackPainSelfCareAnswers();
  it = defaults.find(question);
  return it == defaults.end() ? nullptr : &it->second;
}

// Latencies in microseconds of one RPC kind, measured window only.
class Latencies {
 public:
  void Add(double micros) {
    absl::MutexLock lock(&mu_);
    samples_.push_back(micros);
  }
  // The q-quantile (0..1), in milliseconds.
  double Quantile(double q) {
    absl::MutexLock lock(&mu_);
    if (samples_.empty()) return 0;
    std::sort(samples_.begin(), samples_.end());
    const size_t i = std::min(samples_.size() - 1,
                              static_cast<size_t>(q * static_cast<double>(samples_.size())));
    return samples_[i] / 1000.0;
  }
  size_t count() {
    absl::MutexLock lock(&mu_);
    return samples_.size();
  }

 private:
  absl::Mutex mu_;
  std::vector<double> samples_;
};

class Run {
 public:
  explicit Run(std::shared_ptr<grpc::Channel> channel)
      : triage_(tv1::TriageService::NewStub(channel)),
        echo_(bv1::EchoService::NewStub(channel)) {}

  absl::Time measure_from;
  absl::Time measure_until;
  std::atomic<bool> stopping{false};
  std::atomic<int> next_path{0};
  std::atomic<long> conversations{0};
  std::atomic<long> errors{0};
  Latencies start_latency, answer_latency, all_latency;
  // The answers that ended their conversation, counted in answer_latency
  // too: they write a triage record as well as the session, so a store
  // whose record costs a round trip more shows it here first.
  Latencies finishing_latency;
  std::unique_ptr<tv1::TriageService::Stub> triage_;
  std::unique_ptr<bv1::EchoService::Stub> echo_;

  void SlotDone() {
    absl::MutexLock lock(&mu_);
    --active_;
  }
  void SlotStarted() {
    absl::MutexLock lock(&mu_);
    ++active_;
  }
  // Waits until every slot has finished its last call.
  void WaitIdle() {
    absl::MutexLock lock(&mu_);
    auto idle = [this]() -> bool {
      mu_.AssertHeld();
      return active_ == 0;
    };
    mu_.AwaitWithTimeout(absl::Condition(&idle), absl::Seconds(30));
  }
  void Error(const std::string& what) {
    if (errors++ < 5) std::cerr << "error: " << what << "\n";
  }
  // A conversation along `path` ended at `level` (its name): an error if
  // that is not the path's level, else counted if it ended in the measured
  // window.
  void Ended(int path, absl::string_view level) {
    if (level != tv1::Level_Name(Paths()[path].level)) {
      return Error(absl::StrFormat("path %d ended at %s", path, level));
    }
    const absl::Time now = absl::Now();
    if (now >= measure_from && now <= measure_until) ++conversations;
  }
  // Records a successful reply received at `now` for a call sent at `sent`
  // (an answer that `finished` its conversation also in finishing_latency).
  bool Measure(absl::Time sent, absl::Time now, Latencies& kind, bool finished = false) {
    if (now < measure_from || now > measure_until) return false;
    const double micros = absl::ToDoubleMicroseconds(now - sent);
    kind.Add(micros);
    all_latency.Add(micros);
    if (finished) finishing_latency.Add(micros);
    return true;
  }

 private:
  absl::Mutex mu_;
  int active_ = 0;
};

// One conversation slot: a chain of calls, each issued from the previous
// call's completion callback.
class Conversation {
 public:
  explicit Conversation(Run* run) : run_(run) {}

  void Begin() {
    if (run_->stopping) {
      run_->SlotDone();
      return;
    }
    path_ = run_->next_path++ % static_cast<int>(Paths().size());
    NewMessages();
    context_ = std::make_unique<grpc::ClientContext>();
    start_request_->set_channel(tv1::CHANNEL_WEBHOOK);
    sent_ = absl::Now();
    run_->triage_->async()->StartSession(
        context_.get(), start_request_, start_response_, [this](grpc::Status status) {
          if (!status.ok()) return Fail("StartSession: " + status.error_message());
          run_->Measure(sent_, absl::Now(), run_->start_latency);
          turn_->Swap(start_response_->mutable_turn());
          Continue();
        });
  }

 private:
  // A conversation's messages live on one arena, emptied when the next
  // conversation begins: parsing a reply then allocates little and frees
  // nothing, so that the shared CPU goes to the server under test.
  void NewMessages() {
    arena_.Reset();
    turn_ = Make<tv1::Turn>();
    start_request_ = Make<tv1::StartSessionRequest>();
    start_response_ = Make<tv1::StartSessionResponse>();
    answer_request_ = Make<tv1::SubmitAnswerRequest>();
    answer_response_ = Make<tv1::SubmitAnswerResponse>();
  }
  template <typename Message>
  Message* Make() {
    return google::protobuf::Arena::CreateMessage<Message>(&arena_);
  }

  void Fail(const std::string& what) {
    run_->Error(what);
    Begin();
  }

  void Continue() {
    if (turn_->has_outcome()) {
      run_->Ended(path_, tv1::Level_Name(turn_->outcome().level()));
      return Begin();
    }
    const std::string& question = turn_->question().id();
    const std::vector<std::string>* options = AnswerFor(path_, question);
    if (options == nullptr) return Fail("no answer for question " + question);
    answer_request_->Clear();
    answer_request_->set_session_id(turn_->session_id());
    answer_request_->set_question_id(question);
    for (const std::string& option : *options) answer_request_->add_option_ids(option);
    context_ = std::make_unique<grpc::ClientContext>();
    sent_ = absl::Now();
    run_->triage_->async()->SubmitAnswer(
        context_.get(), answer_request_, answer_response_, [this](grpc::Status status) {
          if (!status.ok()) return Fail("SubmitAnswer: " + status.error_message());
          run_->Measure(sent_, absl::Now(), run_->answer_latency,
                        answer_response_->turn().has_outcome());
          turn_->Swap(answer_response_->mutable_turn());
          Continue();
        });
  }

  Run* run_;
  int path_ = 0;
  std::unique_ptr<grpc::ClientContext> context_;
  google::protobuf::Arena arena_;
  // On arena_, made anew by NewMessages().
  tv1::Turn* turn_ = nullptr;
  tv1::StartSessionRequest* start_request_ = nullptr;
  tv1::StartSessionResponse* start_response_ = nullptr;
  tv1::SubmitAnswerRequest* answer_request_ = nullptr;
  tv1::SubmitAnswerResponse* answer_response_ = nullptr;
  absl::Time sent_;
};

// One echo slot.
class EchoLoop {
 public:
  explicit EchoLoop(Run* run) : run_(run) { request_.set_payload(std::string(64, 'x')); }
  void Begin() {
    if (run_->stopping) {
      run_->SlotDone();
      return;
    }
    context_ = std::make_unique<grpc::ClientContext>();
    sent_ = absl::Now();
    run_->echo_->async()->Echo(context_.get(), &request_, &response_,
                               [this](grpc::Status status) {
                                 // Only successful calls count.
                                 if (status.ok()) {
                                   run_->Measure(sent_, absl::Now(), run_->answer_latency);
                                 } else {
                                   run_->Error("Echo: " + status.error_message());
                                 }
                                 Begin();
                               });
  }

 private:
  Run* run_;
  bv1::EchoRequest request_;
  bv1::EchoResponse response_;
  std::unique_ptr<grpc::ClientContext> context_;
  absl::Time sent_;
};

// What the Connect client reads of a reply: the three fields a client
// needs to go on. Scanning for them keeps the generator's own cost near a
// browser's JSON.parse, so that the figures measure the server (protobuf
// 3.21's JSON parser would cost the shared CPU more than the server's
// work). The reply's full JSON is checked field by field in tests/http.
struct ScannedTurn {
  std::string session_id;
  std::string question_id;  // empty at an outcome
  std::string level;        // "LEVEL_..." at an outcome
};

// The string value after `key` (e.g. "\"sessionId\":\""), or "".
std::string ValueAfter(const std::string& json, absl::string_view key) {
  const size_t at = json.find(key.data(), 0, key.size());
  if (at == std::string::npos) return "";
  const size_t begin = at + key.size();
  const size_t end = json.find('"', begin);
  return end == std::string::npos ? "" : json.substr(begin, end - begin);
}

bool ScanTurn(const std::string& json, ScannedTurn* turn) {
  turn->session_id = ValueAfter(json, "\"sessionId\":\"");
  turn->question_id = ValueAfter(json, "\"question\":{\"id\":\"");
  turn->level = ValueAfter(json, "\"outcome\":{\"level\":\"");
  return !turn->session_id.empty() && (turn->question_id.empty() != turn->level.empty());
}

// One Connect slot: its own kept-alive HTTP/1.1 connection, sending JSON
// the way the web widget does, one call at a time (HTTP/1.1 has one call in
// flight per connection), whole conversations until stopping. Event-driven
// like the gRPC slots: every slot shares a few threads, so that the client's
// cost per call is comparable to the baseline's. (A thread per slot, each
// blocking on its socket, made the server wake a sleeping thread for every
// reply, which its CPU time counted.)
class ConnectConversation {
 public:
  ConnectConversation(Run* run, asio::io_context& io, tcp::endpoint server)
      : run_(run), socket_(io), server_(server) {}

  void Begin() {
    socket_.async_connect(server_, [this](const ErrorCode& error) {
      if (error) return Stop("connect: " + error.message());
      ErrorCode no_delay_error;  // as browsers do; a refusal only slows the slot
      socket_.set_option(tcp::no_delay(true), no_delay_error);
      NextConversation();
    });
  }

 private:
  void NextConversation() {
    if (run_->stopping) return Stop("");
    path_ = run_->next_path++ % static_cast<int>(Paths().size());
    Call("StartSession", R"({"channel":"CHANNEL_WEB"})", &run_->start_latency);
  }

  void Call(const std::string& method, std::string json, Latencies* kind) {
    method_ = method;
    kind_ = kind;
    request_ = {};
    request_.method(bhttp::verb::post);
    request_.target("/backchat.triage.v1.TriageService/" + method);
    request_.set(bhttp::field::host, "127.0.0.1");
    request_.set(bhttp::field::content_type, "application/json");
    request_.body() = std::move(json);
    request_.prepare_payload();
    sent_ = absl::Now();
    bhttp::async_write(socket_, request_, [this](const ErrorCode& error, size_t) {
      if (error) return Stop(method_ + ": " + error.message());
      reply_ = {};
      bhttp::async_read(socket_, buffer_, reply_, [this](const ErrorCode& error, size_t) {
        if (error) return Stop(method_ + ": " + error.message());
        OnReply();
      });
    });
  }

  void OnReply() {
    if (reply_.result_int() != 200 || !ScanTurn(reply_.body(), &turn_)) {
      return Stop(absl::StrCat(method_, ": ", reply_.result_int(), " ", reply_.body()));
    }
    run_->Measure(sent_, absl::Now(), *kind_,
                  kind_ == &run_->answer_latency && turn_.question_id.empty());
    if (!turn_.question_id.empty()) {
      const std::vector<std::string>* options = AnswerFor(path_, turn_.question_id);
      if (options == nullptr) return Stop("no answer for question " + turn_.question_id);
      return Call("SubmitAnswer",
                  absl::StrCat(R"({"sessionId":")", turn_.session_id, R"(","questionId":")",
                               turn_.question_id, R"(","optionIds":[")",
                               absl::StrJoin(*options, R"(",")"), R"("]})"),
                  &run_->answer_latency);
    }
    run_->Ended(path_, turn_.level);
    NextConversation();
  }

  // Ends this slot, with an error unless `what` is empty: after a failed
  // call the connection's state is unknown.
  void Stop(const std::string& what) {
    if (!what.empty()) run_->Error(what);
    ErrorCode ignored;
    socket_.close(ignored);
    run_->SlotDone();
  }

  Run* run_;
  tcp::socket socket_;
  const tcp::endpoint server_;
  boost::beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> reply_;
  std::string method_;
  Latencies* kind_ = nullptr;
  absl::Time sent_;
  int path_ = 0;
  ScannedTurn turn_;
};

// What a process has used so far, from /proc/PID/stat and /proc/PID/io.
struct ProcessUsage {
  double cpu_seconds = 0;  // user + system, all threads
  double written_bytes = 0;  // caused to be written to storage
};

std::optional<ProcessUsage> ReadUsage(int pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  // Fields after the command name, which may hold spaces: state is field 3,
  // utime and stime are fields 14 and 15.
  const size_t name_end = line.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  const std::vector<absl::string_view> values =
      absl::StrSplit(absl::string_view(line).substr(name_end + 2), ' ');
  double user = 0, system = 0;
  if (values.size() < 13 || !absl::SimpleAtod(values[11], &user) ||
      !absl::SimpleAtod(values[12], &system)) {
    return std::nullopt;
  }
  ProcessUsage usage;
  usage.cpu_seconds = (user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream io(absl::StrCat("/proc/", pid, "/io"));
  while (std::getline(io, line)) {
    if (absl::StartsWith(line, "write_bytes: ") &&
        !absl::SimpleAtod(line.substr(13), &usage.written_bytes)) {
      return std::nullopt;
    }
  }
  return usage;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  const int in_flight = absl::GetFlag(FLAGS_in_flight);
  if ((mode != "triage" && mode != "echo" && mode != "connect") || in_flight < 1) {
    std::cerr << "usage: triage_load --mode=triage|echo|connect --in_flight=N "
                 "--server=host:port\n  (connect: --server is the HTTP listener)\n";
    return 2;
  }
  grpc::ChannelArguments arguments;
  auto channel = grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server),
                                           grpc::InsecureChannelCredentials(), arguments);
  Run run(channel);
  run.measure_from = absl::Now() + absl::GetFlag(FLAGS_warmup);
  run.measure_until = run.measure_from + absl::GetFlag(FLAGS_duration);

  std::vector<std::unique_ptr<Conversation>> conversations;
  std::vector<std::unique_ptr<EchoLoop>> echoes;
  std::vector<std::unique_ptr<ConnectConversation>> connect_slots;
  asio::io_context connect_io;
  tcp::endpoint http_server;
  if (mode == "connect") {
    const std::string server = absl::GetFlag(FLAGS_server);
    int http_port = 0;
    ErrorCode error;
    const auto address = asio::ip::make_address(server.substr(0, server.rfind(':')), error);
    if (error || !absl::SimpleAtoi(server.substr(server.rfind(':') + 1), &http_port)) {
      std::cerr << "--server must be address:port\n";
      return 2;
    }
    http_server = tcp::endpoint(address, static_cast<uint16_t>(http_port));
  }
  for (int i = 0; i < in_flight; ++i) {
    run.SlotStarted();
    if (mode == "connect") {
      connect_slots.push_back(std::make_unique<ConnectConversation>(&run, connect_io, http_server));
      connect_slots.back()->Begin();
    } else if (mode == "triage") {
      conversations.push_back(std::make_unique<Conversation>(&run));
      conversations.back()->Begin();
    } else {
      echoes.push_back(std::make_unique<EchoLoop>(&run));
      echoes.back()->Begin();
    }
  }
  // One thread per core of this 2-core machine; the slots' handlers never
  // run at once for one slot, as each starts the next.
  std::vector<std::thread> connect_threads;
  if (mode == "connect") {
    for (int i = 0; i < 2; ++i) connect_threads.emplace_back([&connect_io] { connect_io.run(); });
  }
  const int server_pid = absl::GetFlag(FLAGS_server_pid);
  absl::SleepFor(run.measure_from - absl::Now());
  const std::optional<ProcessUsage> usage_from =
      server_pid > 0 ? ReadUsage(server_pid) : std::nullopt;
  const std::optional<ProcessUsage> own_from = ReadUsage(getpid());
  absl::SleepFor(run.measure_until - absl::Now());  // The run itself: timed, not a test.
  const std::optional<ProcessUsage> usage_until =
      server_pid > 0 ? ReadUsage(server_pid) : std::nullopt;
  const std::optional<ProcessUsage> own_until = ReadUsage(getpid());
  if (server_pid > 0 && (!usage_from || !usage_until)) {
    std::cerr << "cannot read /proc/" << server_pid << "/stat and io (--server_pid)\n";
  }
  run.stopping = true;
  run.WaitIdle();
  for (std::thread& thread : connect_threads) thread.join();  // each slot has stopped

  const double seconds = absl::ToDoubleSeconds(absl::GetFlag(FLAGS_duration));
  const double turns = static_cast<double>(run.all_latency.count()) / seconds;
  std::cout << absl::StrFormat(
      "%s: %d in flight, %.0f s: %.0f turns/s (calls/s), %.0f conversations/s, %ld "
      "errors\n",
      mode, in_flight, seconds, turns, static_cast<double>(run.conversations) / seconds,
      run.errors.load());
  std::cout << absl::StrFormat(
      "  all calls      p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms\n", run.all_latency.Quantile(0.5),
      run.all_latency.Quantile(0.99), run.all_latency.Quantile(0.999));
  if (mode != "echo") {
    std::cout << absl::StrFormat(
        "  StartSession   p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms\n"
        "  SubmitAnswer   p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms\n"
        "   to an outcome p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms\n",
        run.start_latency.Quantile(0.5), run.start_latency.Quantile(0.99),
        run.start_latency.Quantile(0.999), run.answer_latency.Quantile(0.5),
        run.answer_latency.Quantile(0.99), run.answer_latency.Quantile(0.999),
        run.finishing_latency.Quantile(0.5), run.finishing_latency.Quantile(0.99),
        run.finishing_latency.Quantile(0.999));
  }
  std::string costs;
  const double count = static_cast<double>(run.all_latency.count());
  if (usage_from && usage_until && count > 0) {
    const double micros = (usage_until->cpu_seconds - usage_from->cpu_seconds) * 1e6 / count;
    const double bytes = (usage_until->written_bytes - usage_from->written_bytes) / count;
    std::cout << absl::StrFormat("  server         %.1f us CPU and %.0f bytes written per turn\n",
                                 micros, bytes);
    costs = absl::StrFormat(" server_us_per_turn=%.1f server_bytes_per_turn=%.0f", micros, bytes);
  }
  if (own_from && own_until && count > 0) {
    const double micros = (own_until->cpu_seconds - own_from->cpu_seconds) * 1e6 / count;
    std::cout << absl::StrFormat("  this client    %.1f us CPU per turn\n", micros);
    absl::StrAppend(&costs, absl::StrFormat(" client_us_per_turn=%.1f", micros));
  }
  std::cout << absl::StrFormat(
      "RESULT label=%s mode=%s in_flight=%d turns_per_s=%.0f conversations_per_s=%.0f "
      "p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f errors=%ld%s\n",
      absl::GetFlag(FLAGS_label), mode, in_flight, turns,
      static_cast<double>(run.conversations) / seconds, run.all_latency.Quantile(0.5),
      run.all_latency.Quantile(0.99), run.all_latency.Quantile(0.999), run.errors.load(),
      costs);
  return run.errors == 0 ? 0 : 1;
}
