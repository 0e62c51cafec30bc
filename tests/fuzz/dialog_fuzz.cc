// Fuzzes the dialog text parser and compiler, then runs any dialog that
// compiles through the engine (answering each question with its first
// option). Must never crash, leak or hang, whatever the file says.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "service/dialog_tools/dialog_compiler.h"
#include "service/engine/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto dialog = backchat::engine::CompileDialogText(text, "fuzz.textproto");
  if (!dialog.ok()) return 0;
  backchat::engine::SessionState state = backchat::engine::NewSessionState(**dialog);
  for (int turn = 0; turn < 200; ++turn) {
    const backchat::engine::Step step = backchat::engine::NextStep(**dialog, state);
    if (step.finished) break;
    if (!backchat::engine::ApplyAnswerAt(**dialog, step, step.question, /*options=*/1, &state)
             .ok()) {
      break;
    }
  }
  return 0;
}
