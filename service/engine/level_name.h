// A level's name without the enum's prefix, for reports and codes:
// "EMERGENCY", "URGENT", "SEE_DOCTOR", "SELF_CARE".
#ifndef BACKCHAT_SERVICE_ENGINE_LEVEL_NAME_H_
#define BACKCHAT_SERVICE_ENGINE_LEVEL_NAME_H_

#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "backchat/triage/v1/types.pb.h"

namespace backchat::engine {

// A view of protobuf's own name string, valid for the program's life.
inline absl::string_view LevelName(triage::v1::Level level) {
  return absl::StripPrefix(triage::v1::Level_Name(level), "LEVEL_");
}

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_LEVEL_NAME_H_
