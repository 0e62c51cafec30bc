// Fuzzes the free-text matcher, the duration and number readers and the
// confirmation reply reader with every question of the bundled dialog, in
// every language. Beyond not crashing: a reading never names an option the
// question does not have, and a reading with several options is never
// offered for a single-choice question.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/strings/string_view.h"
#include "service/engine/answer_matcher.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/engine/typed_words.h"
#include "service/engine/value_reader.h"

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
  using backchat::engine::MatchResult;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& bundle : Dialogs().All()) {
    for (const auto& language : bundle->Languages()) {
      const backchat::engine::CompiledDialog& dialog = *language;
      backchat::engine::ReadConfirmationWord(dialog.vocabulary, text);
      for (const auto& question : dialog.questions) {
        const auto words =
            backchat::engine::ReadTypedWords(question, dialog.vocabulary, text);
        backchat::engine::ReadDuration(words, dialog.vocabulary);
        backchat::engine::ReadNumber(words, dialog.vocabulary);
        const MatchResult r =
            backchat::engine::MatchAnswer(question, dialog.vocabulary, text);
        const uint64_t all = question.options.size() >= 64
                                 ? ~uint64_t{0}
                                 : (uint64_t{1} << question.options.size()) - 1;
        if ((r.options & ~all) != 0) __builtin_trap();
        const bool read = r.kind == MatchResult::Kind::kMatched ||
                          r.kind == MatchResult::Kind::kConfirm;
        if (read && r.options == 0) __builtin_trap();
        const bool several = (r.options & (r.options - 1)) != 0;
        if (read && several && !question.multiple_choice()) __builtin_trap();
      }
    }
  }
  return 0;
}
