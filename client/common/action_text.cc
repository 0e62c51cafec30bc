#include "client/common/action_text.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace backchat::client {

std::string ActionLine(const triage::v1::OutcomeAction& action) {
  if (action.display().empty() || absl::StrContains(action.label(), action.display())) {
    return action.label();
  }
  return absl::StrCat(action.label(), ": ", action.display());
}

}  // namespace backchat::client
