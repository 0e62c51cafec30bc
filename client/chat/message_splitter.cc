#include "client/chat/message_splitter.h"

#include "absl/strings/strip.h"

namespace backchat::chat {
namespace {

// Bytes in the UTF-8 character starting with `lead` (1 for a stray byte).
size_t CharBytes(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

// How many UTF-16 units the character of `bytes` bytes takes.
size_t Units(size_t bytes) { return bytes == 4 ? 2 : 1; }

// The byte length of the longest prefix of `text` whose length is at most
// `max_length`, ending on a character boundary.
size_t PrefixBytes(absl::string_view text, size_t max_length) {
  size_t bytes = 0, length = 0;
  while (bytes < text.size()) {
    size_t n = CharBytes(static_cast<unsigned char>(text[bytes]));
    if (bytes + n > text.size()) n = 1;
    if (length + Units(n) > max_length) break;
    length += Units(n);
    bytes += n;
  }
  return bytes;
}

// Where to end a message within `window` (a prefix of the rest of the
// text that fits), preferring a paragraph break, then a line break, then a
// blank; npos when the window holds no break at all.
size_t BreakAt(absl::string_view window) {
  for (absl::string_view separator : {"\n\n", "\n", " "}) {
    const size_t at = window.rfind(separator);
    if (at != absl::string_view::npos && at > 0) return at;
  }
  return absl::string_view::npos;
}

}  // namespace

bool IsValidUtf8(absl::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = bytes[i];
    size_t n = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead < 0x80) {
      n = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      n = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      n = 3;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      n = 4;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return false;
    }
    if (i + n > text.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      const unsigned char next = bytes[i + k];
      if (k == 1 ? (next < low || next > high) : (next < 0x80 || next > 0xBF)) {
        return false;
      }
    }
    i += n;
  }
  return true;
}

size_t MessageLength(absl::string_view text) {
  size_t length = 0;
  for (size_t i = 0; i < text.size();) {
    size_t n = CharBytes(static_cast<unsigned char>(text[i]));
    if (i + n > text.size()) n = 1;
    length += Units(n);
    i += n;
  }
  return length;
}

std::vector<std::string> SplitMessage(absl::string_view text, size_t max_length) {
  std::vector<std::string> messages;
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  while (!rest.empty()) {
    const size_t fits = PrefixBytes(rest, max_length);
    if (fits == rest.size()) {
      messages.emplace_back(rest);
      break;
    }
    // The window plus the byte after it: a break right after the window
    // counts too ("word| next"). Separators are ASCII, so that byte cannot
    // match inside a character.
    size_t end = BreakAt(rest.substr(0, fits + 1));
    if (end == absl::string_view::npos) end = fits;  // one over-long word
    messages.emplace_back(absl::StripTrailingAsciiWhitespace(rest.substr(0, end)));
    rest = absl::StripLeadingAsciiWhitespace(rest.substr(end));
  }
  return messages;
}

}  // namespace backchat::chat
