#include "service/common/flag_sources.h"

#include <cstdlib>

#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace backchat {

std::vector<std::string> ArgumentsWithEnvironment(int argc, char** argv,
                                                  const std::string& prefix) {
  std::vector<std::string> args = {argc > 0 ? argv[0] : "program"};
  for (int i = 1; i < argc; ++i) {
    if (absl::StartsWith(argv[i], "--flagfile=")) args.emplace_back(argv[i]);
  }
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    const char* value = std::getenv(absl::StrCat(prefix, absl::AsciiStrToUpper(name)).c_str());
    if (value != nullptr) args.push_back(absl::StrCat("--", name, "=", value));
  }
  for (int i = 1; i < argc; ++i) {
    if (!absl::StartsWith(argv[i], "--flagfile=")) args.emplace_back(argv[i]);
  }
  return args;
}

}  // namespace backchat
