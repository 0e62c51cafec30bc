// Test helpers: run the engine along a path of answers, and enumerate the
// paths of a dialog.
#ifndef BACKCHAT_TESTS_SUPPORT_DIALOG_PATHS_H_
#define BACKCHAT_TESTS_SUPPORT_DIALOG_PATHS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "service/engine/compiled_dialog.h"
#include "service/engine/engine.h"

namespace backchat::testing {

// Answers by question id: option ids.
using Answers = std::map<std::string, std::vector<std::string>>;

struct PathResult {
  // Question ids in the order asked.
  std::vector<std::string> asked;
  engine::Step outcome;
  engine::SessionState state;

  // Ids of the fired flags, most urgent first.
  std::vector<std::string> FlagIds(const engine::CompiledDialog& dialog) const;
  std::string TechniqueId(const engine::CompiledDialog& dialog) const;
  std::string FrequencyId(const engine::CompiledDialog& dialog) const;
  bool Asked(const std::string& question_id) const;
};

// The dialog in dialogs/ (or tests/dialogs/) of the source tree; aborts the
// test binary with the compiler's message if it does not compile.
std::shared_ptr<const engine::CompiledDialog> LoadSourceDialog(
    const std::string& relative_path);

// Answers each question asked with `answers` if it names it, else with
// `defaults`. Fails the current test (and stops) if a question is asked
// that neither names.
PathResult RunPath(const engine::CompiledDialog& dialog, const Answers& answers,
                   const Answers& defaults);

// Answers that reach SELF_CARE in the bundled back-pain dialog without any
// red flag; tests override the answers they are about.
const Answers& BackPainSelfCareAnswers();

// Calls `visit` for every path the explorer visits (one answer of each
// class; see service/dialog_tools/path_explorer.h), failing the test if it could
// not visit them all. Returns the number of paths.
size_t ForEachPath(const engine::CompiledDialog& dialog,
                   const std::function<void(const PathResult&)>& visit);

// engine::PathTranscript of a path (for failure messages and golden files).
std::string Transcript(const engine::CompiledDialog& dialog,
                       const PathResult& path);

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_SUPPORT_DIALOG_PATHS_H_
