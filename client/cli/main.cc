// backchat: talk to a BackChat server from a terminal or a script.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/time.h"
#include "client/cli/conversation_loop.h"
#include "client/cli/dialog_commands.h"
#include "client/cli/records_commands.h"
#include "client/cli/triage_client.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "Server address host:port.");
ABSL_FLAG(std::string, ca_file, "",
          "PEM CA to verify the server's TLS certificate with; empty for a "
          "server started with --plaintext.");
ABSL_FLAG(std::string, dialog, "", "Dialog id; empty for the server's default.");
ABSL_FLAG(std::string, locale, "", "Language tag, e.g. en or es.");
ABSL_FLAG(bool, json, false, "Print each turn as one line of JSON.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10),
          "Deadline of each call; for records export, of the whole export.");
ABSL_FLAG(std::string, format, "fhir",
          "records export: fhir (an HL7 FHIR R4 Bundle) or jsonl (one record per line).");
ABSL_FLAG(std::string, since, "",
          "records export: only records finished on or after this day, YYYY-MM-DD "
          "(from midnight UTC); empty for all.");
ABSL_FLAG(std::string, output, "", "records export: the file to write; empty for stdout.");
ABSL_FLAG(std::string, admin_key_file, "",
          "records export: a file holding the admin key (a key with the \"records\" scope "
          "from the server's --admin_keys_file, alone). Without it, the key is read from "
          "the environment variable BACKCHAT_ADMIN_KEY.");

namespace {

constexpr char kUsage[] =
    "Talks to a BackChat server.\n"
    "\n"
    "  backchat [flags] chat              interactive conversation\n"
    "  backchat [flags] run ANSWER...     answers from the arguments\n"
    "  backchat [flags] run -             answers from stdin, one per line\n"
    "  backchat dialog check PATH         prove a dialog file (or directory) safe\n"
    "  backchat dialog graph PATH [SVG]   draw it (DOT on stdout, or SVG via dot)\n"
    "  backchat dialog diff OLD NEW       what an edit changes: outcomes path by path, texts\n"
    "                                     (--json for machines; exit 1 if anything changed)\n"
    "  backchat dialog report PATH OUT.html [APPROVED_PATH]\n"
    "                                     the safety report for a clinician's sign-off\n"
    "  backchat [flags] records export    the server's triage records as a file:\n"
    "      [--format=fhir|jsonl] [--since=YYYY-MM-DD] [--output=FILE], with an\n"
    "      admin key from --admin_key_file=FILE or BACKCHAT_ADMIN_KEY\n"
    "\n"
    "Answers are option numbers (\"2\", \"1 3\"), labels, synonyms or your own\n"
    "words (\"3 weeks\"). The words back, restart and quit are commands.\n"
    "Exit status: 0 outcome reached (or records exported), 1 server error, 2\n"
    "usage, 3 answers ran out before the outcome.";

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string mode = args.size() > 1 ? args[1] : "chat";
  if (mode == "dialog") {
    return backchat::cli::RunDialogCommand(
        std::vector<std::string>(args.begin() + 2, args.end()), absl::GetFlag(FLAGS_json),
        std::cout, std::cerr);
  }
  if (mode == "records") {
    backchat::cli::RecordsOptions options;
    options.server = absl::GetFlag(FLAGS_server);
    options.format = absl::GetFlag(FLAGS_format);
    options.since = absl::GetFlag(FLAGS_since);
    options.output = absl::GetFlag(FLAGS_output);
    options.admin_key_file = absl::GetFlag(FLAGS_admin_key_file);
    const char* key_env = std::getenv("BACKCHAT_ADMIN_KEY");
    options.admin_key_env = key_env != nullptr ? key_env : "";
    options.timeout = absl::GetFlag(FLAGS_timeout);
    auto channel = backchat::client::ConnectToBackchat(options.server,
                                                       absl::GetFlag(FLAGS_ca_file));
    if (!channel.ok()) {
      std::cerr << "backchat: --ca_file=" << channel.status().message() << "\n";
      return backchat::cli::kExitUsage;
    }
    return backchat::cli::RunRecordsCommand(
        std::vector<std::string>(args.begin() + 2, args.end()), options, *std::move(channel),
        std::cout, std::cerr);
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
