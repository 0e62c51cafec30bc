#include "client/bots/sms/twiml.h"

#include "absl/strings/str_cat.h"

namespace backchat::sms {
namespace {

void AppendXmlText(const std::string& text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&': out->append("&amp;"); break;
      case '<': out->append("&lt;"); break;
      case '>': out->append("&gt;"); break;
      case '"': out->append("&quot;"); break;
      case '\'': out->append("&apos;"); break;
      default:
        // XML 1.0 allows no control characters but tab, newline and return.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out->push_back(' ');
        } else {
          out->push_back(c);
        }
    }
  }
}

}  // namespace

std::string TwimlReply(const std::vector<std::string>& messages) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (messages.empty()) return absl::StrCat(out, "<Response/>\n");
  out.append("<Response>");
  for (const std::string& message : messages) {
    out.append("<Message>");
    AppendXmlText(message, &out);
    out.append("</Message>");
  }
  out.append("</Response>\n");
  return out;
}

}  // namespace backchat::sms
