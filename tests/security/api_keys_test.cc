#include "service/security/api_keys.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backchat::security {
namespace {

using ::testing::HasSubstr;

constexpr char kGood[] =
    "# admin keys\n"
    "ops     dialogs,records  ops-key-0123456789abcdef012345\n"
    "grafana metrics          grafana-key-0123456789abcdef0123  # scraper\n"
    "\n"
    "root    *                root-key-0123456789abcdef0123456\n";

TEST(ApiKeysTest, ParsesNamesScopesAndKeys) {
  auto keys = ParseApiKeys(kGood, "keys.txt");
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 3u);
  EXPECT_EQ((*keys)[0].name, "ops");
  EXPECT_THAT((*keys)[0].scopes, ::testing::ElementsAre("dialogs", "records"));
  EXPECT_EQ((*keys)[1].key, "grafana-key-0123456789abcdef0123");
}

TEST(ApiKeysTest, BadLinesSayFileAndLine) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c : std::vector<Case>{
           {"a b\n", "keys.txt:1: expected NAME"},
           {"\nops root ops-key-0123456789abcdef012345\n", "keys.txt:2: unknown scope \"root\""},
           {"ops dialogs short\n", "keys.txt:1: the key of \"ops\" must be at least 24"},
           {"ops dialogs has\"quote0123456789abcdef0123\n", "must be at least 24 characters of"},
           {"ops dialogs ops-key-0123456789abcdef012345\nops records other-key-0123456789abcdef01\n",
            "keys.txt:2: \"ops\" appears twice"},
       }) {
    auto keys = ParseApiKeys(c.text, "keys.txt");
    ASSERT_FALSE(keys.ok()) << c.text;
    EXPECT_THAT(keys.status().message(), HasSubstr(c.says));
  }
}

TEST(ApiKeysTest, AuthorizesByKeyAndScope) {
  auto keyring = ApiKeyring::FromKeys(*ParseApiKeys(kGood, "keys.txt"));
  EXPECT_EQ(*keyring->Authorize("Bearer ops-key-0123456789abcdef012345", "records"), "ops");
  EXPECT_EQ(*keyring->Authorize("Bearer root-key-0123456789abcdef0123456", "privacy"), "root");
  EXPECT_TRUE(absl::IsPermissionDenied(
      keyring->Authorize("Bearer grafana-key-0123456789abcdef0123", "records").status()));
  for (const char* bad : {"", "Bearer ", "Bearer nope", "ops-key-0123456789abcdef012345",
                          "Basic ops-key-0123456789abcdef012345",
                          "Bearer ops-key-0123456789abcdef01234",  // one short
                          "Bearer ops-key-0123456789abcdef0123456"}) {
    EXPECT_TRUE(absl::IsUnauthenticated(keyring->Authorize(bad, "dialogs").status())) << bad;
  }
}

TEST(ApiKeysTest, NoKeysRefusesEverythingAndSaysHowToConfigure) {
  ApiKeyring none;
  const auto result = none.Authorize("Bearer ops-key-0123456789abcdef012345", "dialogs");
  ASSERT_TRUE(absl::IsUnauthenticated(result.status()));
  EXPECT_THAT(result.status().message(), HasSubstr("--admin_keys_file"));
}

TEST(ApiKeysTest, ReloadTakesNewKeysAndKeepsOldOnesOnError) {
  const std::string path = ::testing::TempDir() + "/api_keys_test.txt";
  std::ofstream(path) << "ops dialogs ops-key-0123456789abcdef012345\n";
  auto keyring = ApiKeyring::Load(path);
  ASSERT_TRUE(keyring.ok()) << keyring.status();
  std::ofstream(path) << "new dialogs new-key-0123456789abcdef012345\n";
  ASSERT_TRUE((*keyring)->Reload().ok());
  EXPECT_FALSE((*keyring)->Authorize("Bearer ops-key-0123456789abcdef012345", "dialogs").ok());
  EXPECT_TRUE((*keyring)->Authorize("Bearer new-key-0123456789abcdef012345", "dialogs").ok());
  std::ofstream(path) << "broken\n";
  EXPECT_FALSE((*keyring)->Reload().ok());
  EXPECT_TRUE((*keyring)->Authorize("Bearer new-key-0123456789abcdef012345", "dialogs").ok());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace backchat::security
