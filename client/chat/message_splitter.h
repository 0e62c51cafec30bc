// Splitting long chat text into messages a platform accepts.
#ifndef BACKCHAT_CLIENT_CHAT_MESSAGE_SPLITTER_H_
#define BACKCHAT_CLIENT_CHAT_MESSAGE_SPLITTER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace backchat::chat {

// Length as chat platforms count it: UTF-16 code units (Telegram's 4096,
// and SMS's 1600, are in these), so a character outside the Basic
// Multilingual Plane counts 2. A byte that is not valid UTF-8 counts 1.
size_t MessageLength(absl::string_view text);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or
// code points past U+10FFFF). Text that is not is refused before it
// reaches BackChat, whose protobuf strings must be UTF-8.
bool IsValidUtf8(absl::string_view text);

// Splits `text` into messages of at most `max_length` (MessageLength)
// each, preferring a break between paragraphs, then lines, then words; it
// never breaks inside a word unless one word alone is longer than
// `max_length`, and never inside a UTF-8 character. The blanks at a break
// are dropped. Empty text gives no messages. `max_length` must be >= 2.
std::vector<std::string> SplitMessage(absl::string_view text, size_t max_length);

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_MESSAGE_SPLITTER_H_
