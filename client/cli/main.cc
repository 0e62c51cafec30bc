// backchat: talk to a BackChat server from a terminal or a script.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/time.h"
#include "client/cli/conversation_loop.h"
#include "client/cli/dialog_commands.h"
#include "client/cli/triage_client.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "Server address host:port.");
ABSL_FLAG(std::string, ca_file, "",
          "PEM CA to verify the server's TLS certificate with; empty for a "
          "server started with --plaintext.");
ABSL_FLAG(std::string, dialog, "", "Dialog id; empty for the server's default.");
ABSL_FLAG(std::string, locale, "", "Language tag, e.g. en or es.");
ABSL_FLAG(bool, json, false, "Print each turn as one line of JSON.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline of each call.");

namespace {

constexpr char kUsage[] =
    "Talks to a BackChat server.\n"
    "\n"
    "  backchat [flags] chat              interactive conversation\n"
    "  backchat [flags] run ANSWER...     answers from the arguments\n"
    "  backchat [flags] run -             answers from stdin, one per line\n"
    "  backchat dialog check PATH         prove a dialog file (or directory) safe\n"
    "  backchat dialog graph PATH [SVG]   draw it (DOT on stdout, or SVG via dot)\n"
    "\n"
    "Answers are option numbers (\"2\", \"1 3\"), labels, synonyms or your own\n"
    "words (\"3 weeks\"). The words back, restart and quit are commands.\n"
    "Exit status: 0 outcome reached, 1 server error, 2 usage, 3 answers ran\n"
    "out before the outcome.";

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string mode = args.size() > 1 ? args[1] : "chat";
  if (mode == "dialog") {
    return backchat::cli::RunDialogCommand(
        std::vector<std::string>(args.begin() + 2, args.end()), std::cout, std::cerr);
  }
  if (mode != "chat" && mode != "run") {
    std::cerr << "backchat: unknown command \"" << mode << "\"\n\n"
              << kUsage << "\n";
    return backchat::cli::kExitUsage;
  }
  if (mode == "chat" && args.size() > 2) {
    std::cerr << "backchat: chat takes no arguments; use run ANSWER...\n";
    return backchat::cli::kExitUsage;
  }

  auto channel = backchat::client::ConnectToBackchat(absl::GetFlag(FLAGS_server),
                                                     absl::GetFlag(FLAGS_ca_file));
  if (!channel.ok()) {
    std::cerr << "backchat: --ca_file=" << channel.status().message() << "\n";
    return backchat::cli::kExitUsage;
  }
  backchat::cli::TriageClient client(*std::move(channel), absl::GetFlag(FLAGS_timeout));
  backchat::cli::LoopOptions options;
  options.interactive = mode == "chat";
  options.json = absl::GetFlag(FLAGS_json);
  options.dialog_id = absl::GetFlag(FLAGS_dialog);
  options.locale = absl::GetFlag(FLAGS_locale);

  const bool from_stdin =
      mode == "chat" || (args.size() == 3 && std::string(args[2]) == "-");
  size_t next_arg = 2;
  auto next_line = [&]() -> std::optional<std::string> {
    if (from_stdin) {
      std::string line;
      if (!std::getline(std::cin, line)) return std::nullopt;
      return line;
    }
    if (next_arg >= args.size()) return std::nullopt;
    return std::string(args[next_arg++]);
  };
  return backchat::cli::RunConversation(client, options, next_line, std::cout,
                                        std::cerr);
}
