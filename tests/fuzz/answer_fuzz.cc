// Fuzzes the free-text matcher and the duration and number readers with
// every question of the bundled dialog, in every language.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/strings/string_view.h"
#include "service/engine/answer_matcher.h"
#include "service/engine/dialog_registry.h"
#include "service/engine/text_normalizer.h"

namespace {

const backchat::engine::DialogRegistry& Dialogs() {
  static const auto* dialogs = [] {
    auto loaded = backchat::engine::DialogRegistry::LoadDirectory(
        BACKCHAT_SOURCE_DIR "/dialogs", "back_pain");
    if (!loaded.ok()) __builtin_trap();
    return loaded->release();
  }();
  return *dialogs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string normalized = backchat::engine::NormalizeForMatching(text);
  const std::vector<absl::string_view> words = backchat::engine::SplitWords(normalized);
  backchat::engine::ReadNumber(words);
  for (const auto& bundle : Dialogs().All()) {
    for (const auto& language : bundle->Languages()) {
      const backchat::engine::CompiledDialog& dialog = *language;
      backchat::engine::ReadDurationDays(words, dialog.vocabulary);
      for (const auto& question : dialog.questions) {
        backchat::engine::MatchAnswer(question, dialog.vocabulary, text);
      }
    }
  }
  return 0;
}
