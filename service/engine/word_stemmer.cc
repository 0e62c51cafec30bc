#include "service/engine/word_stemmer.h"

#include <libstemmer.h>

#include <cstring>
#include <vector>

namespace backchat::engine {
namespace {

// This thread's stemmers, one per algorithm asked for (a dialog has one
// language, a server a handful).
class ThreadStemmers {
 public:
  ~ThreadStemmers() {
    for (auto& entry : stemmers_) {
      if (entry.second != nullptr) sb_stemmer_delete(entry.second);
    }
  }
  // nullptr when libstemmer has no such algorithm.
  sb_stemmer* Get(absl::string_view algorithm) {
    for (auto& entry : stemmers_) {
      if (entry.first == algorithm) return entry.second;
    }
    const std::string name(algorithm);
    stemmers_.emplace_back(name, sb_stemmer_new(name.c_str(), "UTF_8"));
    return stemmers_.back().second;
  }

 private:
  std::vector<std::pair<std::string, sb_stemmer*>> stemmers_;
};

ThreadStemmers& Stemmers() {
  thread_local ThreadStemmers stemmers;
  return stemmers;
}

}  // namespace

bool IsStemmerAlgorithm(absl::string_view algorithm) {
  for (const char** name = sb_stemmer_list(); *name != nullptr; ++name) {
    if (algorithm == *name) return true;
  }
  return false;
}

void StemWord(absl::string_view algorithm, absl::string_view word,
              std::string* stem) {
  stem->assign(word.data(), word.size());
  if (algorithm.empty() || word.size() < 3 ||
      (word[0] >= '0' && word[0] <= '9')) {
    return;
  }
  sb_stemmer* stemmer = Stemmers().Get(algorithm);
  if (stemmer == nullptr) return;
  const sb_symbol* out =
      sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                      static_cast<int>(word.size()));
  if (out == nullptr) return;  // Out of memory: the word as it is.
  stem->assign(reinterpret_cast<const char*>(out),
               static_cast<size_t>(sb_stemmer_length(stemmer)));
}

}  // namespace backchat::engine
