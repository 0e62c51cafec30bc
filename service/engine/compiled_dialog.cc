#include "service/engine/compiled_dialog.h"

#include <algorithm>

namespace backchat::engine {

bool Rule::Mentions(int question) const {
  if (question < 64) return (first_questions >> question) & 1;
  return std::binary_search(questions.begin(), questions.end(), question);
}

int CompiledQuestion::OptionIndex(absl::string_view option_id) const {
  for (size_t i = 0; i < options.size(); ++i) {
    if (options[i].id == option_id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<absl::string_view> CompiledQuestion::OptionIds(OptionMask mask) const {
  std::vector<absl::string_view> ids;
  for (size_t i = 0; i < options.size(); ++i) {
    if ((mask >> i) & 1) ids.push_back(options[i].id);
  }
  return ids;
}

int CompiledDialog::QuestionIndex(absl::string_view question_id) const {
  auto it = question_index_.find(question_id);
  return it == question_index_.end() ? -1 : it->second;
}

}  // namespace backchat::engine
