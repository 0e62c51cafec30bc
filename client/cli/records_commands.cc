#include "client/cli/records_commands.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "backchat/admin/v1/admin.grpc.pb.h"
#include "client/cli/conversation_loop.h"
#include "grpcpp/client_context.h"

namespace backchat::cli {
namespace {

namespace av1 = ::backchat::admin::v1;

constexpr char kUsage[] =
    "usage: backchat records export [--format=fhir|jsonl] [--since=YYYY-MM-DD] "
    "[--output=FILE] [--admin_key_file=FILE]";

struct ExportSummary {
  int record_count = 0;
  std::string content_type;
};

// Streams the export's chunks into `sink`, in order.
absl::StatusOr<ExportSummary> StreamExport(std::shared_ptr<grpc::Channel> channel,
                                           const av1::ExportRecordsRequest& request,
                                           const std::string& key, absl::Duration timeout,
                                           std::ostream& sink) {
  auto stub = av1::AdminService::NewStub(std::move(channel));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context.AddMetadata("authorization", "Bearer " + key);
  auto reader = stub->ExportRecords(&context, request);
  ExportSummary summary;
  av1::ExportRecordsResponse chunk;
  for (bool first = true; reader->Read(&chunk); first = false) {
    if (first) {
      summary.record_count = chunk.record_count();
      summary.content_type = chunk.content_type();
    }
    sink.write(chunk.data().data(), static_cast<std::streamsize>(chunk.data().size()));
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return summary;
}

// What the person can do about a refused or failed export.
std::string Explain(const absl::Status& status, const RecordsOptions& options) {
  const std::string what =
      absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message());
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      return absl::StrCat("cannot reach a BackChat server at ", options.server, " (", what,
                          "). Is it running? Name it with --server=host:port, and pass "
                          "--ca_file if it serves TLS.");
    case absl::StatusCode::kDeadlineExceeded:
      return absl::StrCat("the export did not finish within --timeout (", what,
                          "). For a large store, allow more, e.g. --timeout=10m.");
    case absl::StatusCode::kUnauthenticated:
      return absl::StrCat("the server did not accept the admin key (", what,
                          "). Give a key from the server's --admin_keys_file, in the "
                          "file named by --admin_key_file or in BACKCHAT_ADMIN_KEY.");
    case absl::StatusCode::kPermissionDenied:
      return absl::StrCat("this admin key may not export records (", what,
                          "). Ask whoever runs the server for a key with the "
                          "\"records\" scope.");
    default:
      return absl::StrCat("the export failed (", what, ").");
  }
}

// Tells how the export went; returns the exit code.
int Report(const absl::StatusOr<ExportSummary>& exported, const RecordsOptions& options,
           std::ostream& err) {
  if (!exported.ok()) {
    err << "backchat records: " << Explain(exported.status(), options) << "\n";
    return kExitRpcError;
  }
  err << "exported " << exported->record_count
      << (exported->record_count == 1 ? " record" : " records") << " ("
      << exported->content_type << ") to "
      << (options.output.empty() ? "standard output" : options.output) << "\n";
  return kExitOutcome;
}

}  // namespace

absl::StatusOr<av1::ExportRecordsRequest> ExportRequest(const std::string& format,
                                                        const std::string& since) {
  av1::ExportRecordsRequest request;
  if (format == "fhir") {
    request.set_format(av1::EXPORT_FORMAT_FHIR_R4);
  } else if (format == "jsonl") {
    request.set_format(av1::EXPORT_FORMAT_JSON_LINES);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--format=", format,
        ": use fhir (an HL7 FHIR R4 Bundle) or jsonl (one record per line, JSON)"));
  }
  if (!since.empty()) {
    absl::Time day;
    std::string error;
    if (since.size() != 10 ||
        !absl::ParseTime("%Y-%m-%d", since, absl::UTCTimeZone(), &day, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--since=", since, ": expected a date as YYYY-MM-DD, e.g. 2026-03-01"));
    }
    request.set_finished_since_unix_micros(absl::ToUnixMicros(day));
  }
  return request;
}

absl::StatusOr<std::string> AdminKey(const std::string& key_file, const std::string& key_env) {
  if (key_file.empty()) {
    const std::string key(absl::StripAsciiWhitespace(key_env));
    if (key.empty()) {
      return absl::InvalidArgumentError(
          "no admin key: name a file holding it with --admin_key_file=FILE, or set "
          "BACKCHAT_ADMIN_KEY (a key with the \"records\" scope from the server's "
          "--admin_keys_file)");
    }
    return key;
  }
  std::ifstream in(key_file);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--admin_key_file=", key_file, ": cannot read it"));
  }
  const std::vector<std::string> words =
      absl::StrSplit(text.str(), absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
  if (words.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--admin_key_file=", key_file,
        words.empty() ? ": the file is empty; it should hold the key alone"
                      : ": the file should hold the key alone (from a line NAME SCOPES "
                        "KEY of the server's --admin_keys_file, only the KEY)"));
  }
  return words[0];
}

int RunRecordsCommand(const std::vector<std::string>& args, const RecordsOptions& options,
                      std::shared_ptr<grpc::Channel> channel, std::ostream& out,
                      std::ostream& err) {
  if (args.size() != 1 || args[0] != "export") {
    err << kUsage << "\n";
    return kExitUsage;
  }
  const auto request = ExportRequest(options.format, options.since);
  if (!request.ok()) {
    err << "backchat records: " << request.status().message() << "\n";
    return kExitUsage;
  }
  const auto key = AdminKey(options.admin_key_file, options.admin_key_env);
  if (!key.ok()) {
    err << "backchat records: " << key.status().message() << "\n";
    return kExitUsage;
  }
  if (options.output.empty()) {
    auto exported = StreamExport(std::move(channel), *request, *key, options.timeout, out);
    out.flush();
    return Report(exported, options, err);
  }
  // Through a file beside the output, renamed into place once complete: a
  // failed export leaves no file behind, and never half of one.
  const std::string partial = options.output + ".partial";
  std::ofstream file(partial, std::ios::binary | std::ios::trunc);
  if (!file) {
    err << "backchat records: --output=" << options.output << ": cannot write " << partial
        << "\n";
    return kExitUsage;
  }
  auto exported = StreamExport(std::move(channel), *request, *key, options.timeout, file);
  file.close();
  if (exported.ok() && (!file || std::rename(partial.c_str(), options.output.c_str()) != 0)) {
    std::remove(partial.c_str());
    err << "backchat records: --output=" << options.output << ": writing it failed\n";
    return kExitRpcError;
  }
  if (!exported.ok()) std::remove(partial.c_str());
  return Report(exported, options, err);
}

}  // namespace backchat::cli
