// `backchat records export`: a server's triage records as a file, for clinic
// staff (AdminService.ExportRecords, which needs an admin key with the
// "records" scope).
#ifndef BACKCHAT_CLIENT_CLI_RECORDS_COMMANDS_H_
#define BACKCHAT_CLIENT_CLI_RECORDS_COMMANDS_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "backchat/admin/v1/admin.pb.h"
#include "grpcpp/channel.h"

namespace backchat::cli {

struct RecordsOptions {
  std::string server;           // host:port, for messages.
  std::string format = "fhir";  // "fhir" (FHIR R4 Bundle) or "jsonl".
  std::string since;            // YYYY-MM-DD (from midnight UTC), or empty: all.
  std::string output;           // File to write, or empty: `out`.
  std::string admin_key_file;   // A file holding the key, else `admin_key_env`.
  std::string admin_key_env;    // The BACKCHAT_ADMIN_KEY environment variable.
  absl::Duration timeout = absl::Seconds(10);  // Deadline of the whole export.
};

// The request for `format` and `since`; INVALID_ARGUMENT naming the flag.
absl::StatusOr<admin::v1::ExportRecordsRequest> ExportRequest(const std::string& format,
                                                              const std::string& since);

// The admin key: the only word in `key_file` if given, else `key_env`.
// INVALID_ARGUMENT saying what to do when there is none, the file cannot be
// read, or it holds more than one word (a line of the server's key file).
absl::StatusOr<std::string> AdminKey(const std::string& key_file, const std::string& key_env);

// args: "export". Streams the export into `options.output` (written whole or
// not at all: a failed export leaves no file) or into `out`; says how many
// records went where on `err`. Errors on `err` with what to do. Returns an
// exit code of conversation_loop.h: 1 when the server was not reached or
// refused, or the output could not be written; 2 for bad arguments, flags
// or key, or an output file that cannot be created.
int RunRecordsCommand(const std::vector<std::string>& args, const RecordsOptions& options,
                      std::shared_ptr<grpc::Channel> channel, std::ostream& out,
                      std::ostream& err);

}  // namespace backchat::cli

#endif  // BACKCHAT_CLIENT_CLI_RECORDS_COMMANDS_H_
