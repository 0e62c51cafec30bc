#include "client/cli/conversation_loop.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/cli/turn_printer.h"

namespace backchat::cli {

namespace tv1 = ::backchat::triage::v1;

namespace {

void Show(const tv1::Turn& turn, const LoopOptions& options, std::ostream& out) {
  out << (options.json ? TurnAsJson(turn) + "\n" : TurnAsText(turn));
  out.flush();
}

std::string ErrorText(const absl::Status& status) {
  return absl::StrCat("error: ", absl::StatusCodeToString(status.code()), ": ",
                      status.message());
}

}  // namespace

int RunConversation(TriageClient& client, const LoopOptions& options,
                    const std::function<std::optional<std::string>()>& next_line,
                    std::ostream& out, std::ostream& err) {
  absl::StatusOr<tv1::Turn> turn = client.Start(options.dialog_id, options.locale);
  if (!turn.ok()) {
    err << ErrorText(turn.status()) << "\n";
    return kExitRpcError;
  }
  Show(*turn, options, out);
  if (options.interactive && !options.json) {
    err << "(type a number or your own words; why, back, restart or quit)\n";
  }
  tv1::Turn current = *std::move(turn);
  while (true) {
    if (current.has_outcome() && !options.interactive) return kExitOutcome;
    if (options.interactive) err << "> " << std::flush;
    std::optional<std::string> line = next_line();
    if (!line.has_value()) {
      if (current.has_outcome()) return kExitOutcome;
      err << "input ended before the conversation finished (at question \""
          << current.question().id() << "\")\n";
      return kExitOutOfInput;
    }
    const std::string input(absl::StripAsciiWhitespace(*line));
    const std::string command = absl::AsciiStrToLower(input);
    if (input.empty()) continue;
    if (command == "quit" || command == "exit") return kExitOutcome;

    if (command == "why" && current.has_question()) {
      // Why the question is asked; the question stays.
      out << "  why: "
          << (current.question().why().empty() ? "(this question has no explanation)"
                                               : current.question().why())
          << "\n";
      continue;
    }

    absl::StatusOr<tv1::Turn> next;
    if (command == "back") {
      next = client.Back();
    } else if (command == "restart") {
      next = client.Restart();
    } else if (current.has_outcome()) {
      err << "The conversation has finished: type back, restart or quit.\n";
      continue;
    } else {
      next = client.Answer(input);
    }
    if (!next.ok()) {
      err << ErrorText(next.status()) << "\n";
      if (!options.interactive) return kExitRpcError;
      continue;
    }
    current = *std::move(next);
    Show(current, options, out);
  }
}

}  // namespace backchat::cli
