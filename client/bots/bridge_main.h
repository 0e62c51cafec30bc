// What every bridge program shares: the flags that connect it to BackChat
// and to its state file, its webhook listener, and how it stops.
//
// Flags (defined in bridge_main.cc): --backchat_address, --backchat_ca_file,
// --dialog, --locale, --state_db, --rpc_timeout, --listen_address,
// --port_file, --max_connections, --admin_token_file. Each program defines
// its own --port.
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
#include "client/common/triage_rpc.h"
#include "service/http/http_server.h"

namespace backchat::bots {

struct Bridge {
  std::unique_ptr<client::TriageRpc> rpc;
  std::unique_ptr<chat::ChatStore> store;
  std::unique_ptr<chat::ChatConversations> conversations;
};

// Connects to BackChat (lazily: the server may start later) and opens
// the state file. INVALID_ARGUMENT for a missing --state_db; UNAVAILABLE
// if the file cannot be opened.
absl::StatusOr<Bridge> OpenBridge(triage::v1::Channel channel, bool buttons);

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
