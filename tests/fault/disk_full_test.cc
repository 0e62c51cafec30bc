// The real server on SQLite on a 2 MB tmpfs that fills up: new sessions
// fail with a clear UNAVAILABLE, every existing session still reads, the
// health check turns 503 (the gRPC health service follows the same probe),
// and all of it comes back by itself once there is room again. Needs root
// to mount the tmpfs (CI runs as root); skipped with a message otherwise.
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;

// The /healthz status, polled (bounded) until it is `wanted`; the last one.
int AwaitHealth(int http_port, int wanted) {
  int status = 0;
  for (int i = 0; i < 50 && status != wanted; ++i) {
    auto reply = SendRawHttp(http_port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    status = reply.ok() ? reply->status : -1;
    if (status != wanted) absl::SleepFor(absl::Milliseconds(100));
  }
  return status;
}

// Writes zeros to `path` until the filesystem refuses (bounded by `limit`).
void FillDisk(const std::string& path, size_t limit) {
  FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  const std::string chunk(4096, '\0');
  for (size_t written = 0; written < limit; written += chunk.size()) {
    if (std::fwrite(chunk.data(), 1, chunk.size(), file) != chunk.size() ||
        std::fflush(file) != 0) {
      break;
    }
  }
  std::fclose(file);
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a 2 MB tmpfs";
    dir_ = absl::StrCat(::testing::TempDir(), "/diskfull_", getpid());
    std::filesystem::create_directories(dir_);
    if (mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=2m") != 0) {
      const int error = errno;
      std::filesystem::remove(dir_);
      dir_.clear();
      GTEST_SKIP() << "cannot mount a tmpfs here (errno " << error << ")";
    }
  }
  void TearDown() override {
    if (dir_.empty()) return;
    umount2(dir_.c_str(), MNT_DETACH);
    std::filesystem::remove(dir_);
  }
  std::string dir_;
};

TEST_F(DiskFullTest, ReadsAndHealthSurviveAFullDiskAndRecover) {
  const std::string port_file =
      absl::StrCat(::testing::TempDir(), "/diskfull_http_", getpid(), ".port");
  std::filesystem::remove(port_file);
  auto server = ServerProcess::Start(
      {absl::StrCat("--dialogs=", BACKCHAT_SOURCE_DIR, "/dialogs"), "--store=sqlite",
       absl::StrCat("--sqlite_path=", dir_, "/backchat.db"), "--health_check_interval=100ms",
       "--rate_limit_per_second=0", "--http_port=0", absl::StrCat("--http_port_file=", port_file),
       absl::StrCat("--web_dir=", BACKCHAT_SOURCE_DIR, "/client/web/example")});
  ASSERT_TRUE(server.ok()) << server.status();
  const int http_port = WaitForPortFile(port_file);
  ASSERT_GT(http_port, 0);
  auto stub = tv1::TriageService::NewStub(
      grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials()));
  auto start = [&](tv1::Turn* turn) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    tv1::StartSessionResponse response;
    const grpc::Status status = stub->StartSession(&context, {}, &response);
    if (turn != nullptr) *turn = response.turn();
    return status;
  };

  std::vector<std::string> sessions;
  for (int i = 0; i < 5; ++i) {
    tv1::Turn turn;
    ASSERT_TRUE(start(&turn).ok());
    sessions.push_back(turn.session_id());
  }
  ASSERT_EQ(AwaitHealth(http_port, 200), 200);

  FillDisk(absl::StrCat(dir_, "/filler"), 4 << 20);
  grpc::Status refused;
  for (int i = 0; i < 300 && refused.ok(); ++i) refused = start(nullptr);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << "no write failed";
  EXPECT_NE(refused.error_message().find("session store"), std::string::npos)
      << refused.error_message();

  for (const std::string& id : sessions) {
    grpc::ClientContext context;
    tv1::GetSessionRequest request;
    request.set_session_id(id);
    tv1::GetSessionResponse response;
    const grpc::Status read = stub->GetSession(&context, request, &response);
    EXPECT_TRUE(read.ok()) << "a read failed on a full disk: " << read.error_message();
  }
  EXPECT_EQ(AwaitHealth(http_port, 503), 503) << "health stayed up while writes fail";

  std::filesystem::remove(absl::StrCat(dir_, "/filler"));
  EXPECT_EQ(AwaitHealth(http_port, 200), 200) << "health did not come back by itself";
  const grpc::Status again = start(nullptr);
  EXPECT_TRUE(again.ok()) << again.error_message();
  (*server)->Stop(SIGTERM);
  std::filesystem::remove(port_file);
}

}  // namespace
}  // namespace backchat::testing
