#include "tests/bots/bridge_fixture.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/support/care_contacts.h"

namespace backchat::testing {

void BridgeTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  dir_ = absl::StrCat(::testing::TempDir(), "/bridge_", getpid(), "_", info->name());
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  StartBackchat();
}

void BridgeTest::TearDown() {
  // What the server said, to tell a refusal from an outage in a failure.
  if (HasFailure() && backchat_ != nullptr) std::cerr << "backchat_server's log:\n" << backchat_->Log();
  backchat_.reset();
  std::filesystem::remove_all(dir_);
}

void BridgeTest::StartBackchat(int port, const std::vector<std::string>& extra) {
  std::vector<std::string> flags = {absl::StrCat("--dialogs=", BACKCHAT_SOURCE_DIR, "/dialogs"),
                                    "--store=memory", absl::StrCat("--port=", port),
                                    "--care_contacts=" + WriteFile("care.textproto",
                                                                   kTestCareContacts)};
  flags.insert(flags.end(), extra.begin(), extra.end());
  auto server = ServerProcess::Start(flags);
  ASSERT_TRUE(server.ok()) << server.status();
  backchat_ = *std::move(server);
  backchat_port_ = backchat_->port();
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", backchat_port_),
                                 grpc::InsecureChannelCredentials());
}

std::string BridgeTest::WriteFile(const std::string& name, const std::string& contents) {
  const std::string path = Path(name);
  std::ofstream(path) << contents;
  return path;
}

std::string BridgeTest::StateBytes(const std::string& state_db) const {
  std::string bytes;
  for (const char* suffix : {"", "-wal", "-journal"}) {
    std::ifstream in(state_db + suffix, std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    bytes += contents.str();
  }
  return bytes;
}

}  // namespace backchat::testing
