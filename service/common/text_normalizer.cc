#include "service/common/text_normalizer.h"

#include "absl/strings/str_split.h"

namespace backchat::engine {
namespace {

// ASCII folding of U+00C0..U+00FF (upper then lower half); ' ' for the
// multiplication and division signs.
constexpr char kLatin1Fold[] =
    "aaaaaaaceeeeiiiidnooooo ouuuuyts"
    "aaaaaaaceeeeiiiidnooooo ouuuuyty";

void AppendSpace(std::string& out) {
  if (!out.empty() && out.back() != ' ') out.push_back(' ');
}

}  // namespace

std::string NormalizeForMatching(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = bytes[i];
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') {
        out.push_back(static_cast<char>(c - 'A' + 'a'));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.push_back(static_cast<char>(c));
      } else if (c == '\'' || c == '`') {
        // Dropped, so that "don't" and "dont" read the same.
      } else if (c == '.' && !out.empty() && out.back() >= '0' &&
                 out.back() <= '9' && i + 1 < n && bytes[i + 1] >= '0' &&
                 bytes[i + 1] <= '9') {
        out.push_back('.');  // A decimal point: "1.5 weeks".
      } else {
        AppendSpace(out);
      }
      ++i;
      continue;
    }
    if (c == 0xC2 || c == 0xC3) {  // U+0080..U+00FF
      if (i + 1 < n && (bytes[i + 1] & 0xC0) == 0x80) {
        const unsigned code = ((c & 0x1F) << 6) | (bytes[i + 1] & 0x3F);
        if (code >= 0xC0) {
          const char folded = kLatin1Fold[code - 0xC0];
          if (folded == ' ') {
            AppendSpace(out);
          } else {
            out.push_back(folded);
          }
        } else {
          AppendSpace(out);  // Latin-1 punctuation: ¡ ¿ « » and the like.
        }
        i += 2;
        continue;
      }
    }
    if (c == 0xE2 && i + 2 < n && bytes[i + 1] == 0x80) {  // U+2000..U+203F
      const unsigned char last = bytes[i + 2];
      if (last == 0x98 || last == 0x99) {
        // Typographic apostrophes, as phones type them: dropped.
      } else {
        AppendSpace(out);  // Dashes, quotes, ellipsis, spaces.
      }
      i += 3;
      continue;
    }
    out.push_back(static_cast<char>(c));  // Other scripts: kept as they are.
    ++i;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<absl::string_view> SplitWords(absl::string_view normalized) {
  return absl::StrSplit(normalized, ' ', absl::SkipEmpty());
}

std::vector<std::string> NormalizedWords(absl::string_view text) {
  return absl::StrSplit(NormalizeForMatching(text), ' ', absl::SkipEmpty());
}

}  // namespace backchat::engine
