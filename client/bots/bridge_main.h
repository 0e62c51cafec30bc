// What every bridge program shares: the flags that connect it to BackChat
// and to its state file, its webhook listener, and how it stops.
//
// Flags (defined in bridge_main.cc): --backchat_address, --backchat_ca_file,
// --dialog, --locale, --state_db, --rpc_timeout, --listen_address,
// --port_file, --max_connections, --admin_token_file, and safety netting's
// --check_ins, --check_in_days, --check_in_delay, --check_in_quiet_hours.
// Each program defines its own --port.
#ifndef BACKCHAT_CLIENT_BOTS_BRIDGE_MAIN_H_
#define BACKCHAT_CLIENT_BOTS_BRIDGE_MAIN_H_

#include <signal.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "backchat/triage/v1/types.pb.h"
#include "client/bots/bridge_admin.h"
#include "client/chat/chat_conversations.h"
#include "client/chat/chat_store.h"
#include "client/chat/check_in_scheduler.h"
#include "client/chat/check_in_store.h"
#include "client/chat/check_ins.h"
#include "client/common/triage_rpc.h"
#include "service/common/http/http_server.h"

namespace backchat::bots {

struct Bridge {
  std::unique_ptr<client::TriageRpc> rpc;
  std::unique_ptr<chat::ChatStore> store;
  std::unique_ptr<chat::ChatConversations> conversations;
  // Every message goes through check_ins (which passes on to
  // conversations whatever is not about a check-in).
  std::unique_ptr<chat::CheckInStore> check_in_store;
  std::unique_ptr<chat::CheckIns> check_ins;
  std::unique_ptr<chat::CheckInScheduler> scheduler;  // with --check_ins
};

// Connects to BackChat (lazily: the server may start later) and opens
// the state file. `address_secret` seals the addresses check-ins are sent
// to ("" when the chat key is the address). INVALID_ARGUMENT for a
// missing --state_db or a bad --check_in_* flag; UNAVAILABLE if the file
// cannot be opened.
absl::StatusOr<Bridge> OpenBridge(triage::v1::Channel channel, bool buttons,
                                  const std::string& address_secret = "");

// With --check_ins, starts sending due check-ins through `sender`, in a
// thread of its own; without, does nothing. Errors are the state file's.
absl::Status StartCheckIns(Bridge* bridge, chat::CheckInSender sender);

// Serves `handler` on --listen_address:`port`, with /admin/forget (see
// bridge_admin.h; its token from --admin_token_file, `chat_key_of` as the
// bridge keys chats) beside it. Writes --port_file, and logs
// "<program>: listening on ADDRESS:PORT".
absl::StatusOr<std::unique_ptr<http::HttpServer>> ServeWebhook(
    const std::string& program, int port, const Bridge& bridge, ChatKeyOf chat_key_of,
    http::HttpHandler handler);

// ServeWebhook, then serves until SIGINT or SIGTERM (see BlockStopSignals)
// and shuts the listener down. The program's exit status.
int ServeUntilStopped(const std::string& program, int port, const Bridge& bridge,
                      ChatKeyOf chat_key_of, http::HttpHandler handler,
                      const sigset_t& signals);

// Blocks SIGINT and SIGTERM in this thread and the threads it starts
// later; call first in main. WaitForStopSignal then returns on either.
sigset_t BlockStopSignals();
void WaitForStopSignal(const sigset_t& signals, const std::string& program);

// Prints "<program>: <message>" to stderr and returns exit status 1.
int Fail(const std::string& program, absl::string_view message);

}  // namespace backchat::bots

#endif  // BACKCHAT_CLIENT_BOTS_BRIDGE_MAIN_H_
