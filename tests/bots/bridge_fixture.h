// What the bridge tests share: a BackChat server process, a scratch
// folder with the bridges' secrets, and starting a bridge program.
#ifndef BACKCHAT_TESTS_BOTS_BRIDGE_FIXTURE_H_
#define BACKCHAT_TESTS_BOTS_BRIDGE_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"

namespace backchat::testing {

class BridgeTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts BackChat (memory store, tests/support/care_contacts.h's care
  // contacts); `port` 0 picks one. `extra` flags go after the usual ones.
  void StartBackchat(int port = 0, const std::vector<std::string>& extra = {});
  // A file in the scratch folder holding `contents`; returns its path.
  std::string WriteFile(const std::string& name, const std::string& contents);
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  // Every byte of the state file and its journal, to look for what must
  // not be stored.
  std::string StateBytes(const std::string& state_db) const;

  std::string dir_;
  std::unique_ptr<ServerProcess> backchat_;
  int backchat_port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;  // to BackChat, for the oracle
};

// A TwiML or JSON reply's messages, etc. are parsed by each test.

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_BOTS_BRIDGE_FIXTURE_H_
