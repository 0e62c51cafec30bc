// The embeddable widget. A clinic adds one tag:
//   <script src="https://triage.example/widget.js" data-locale="es"
//           data-title="…" data-accent="#0a7" async></script>
// The widget talks to the server it was loaded from (Connect protocol,
// JSON), so the page needs no configuration and no proxy.

import { createConnectTransport } from "@connectrpc/connect-web";
import { Conversation, sessionStorageStore } from "./conversation";
import { Panel } from "./panel";
import { stringsFor } from "./strings";
import { accentText, safeAccent, widgetCss } from "./styles";

function findOwnScript(): HTMLScriptElement | null {
  // currentScript is null for async scripts run after parsing in some
  // browsers; fall back to the tag whose src ends in /widget.js.
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[src$="/widget.js"]');
}

function mount(script: HTMLScriptElement | null): void {
  const data = script?.dataset ?? {};
  const serverOrigin = script?.src ? new URL(script.src, document.baseURI).origin : window.location.origin;
  const locale = data.locale || document.documentElement.lang || navigator.language || "en";
  const t = stringsFor(locale);
  const accent = safeAccent(data.accent);

  const host = document.createElement("div");
  host.setAttribute("data-backchat-widget", "");
  // Open, so automated accessibility and end-to-end tools can see inside;
  // the page's CSS cannot reach it either way.
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = widgetCss(accent, accentText(accent));
  const root = document.createElement("div");
  root.className = "root";
  root.lang = locale;
  shadow.append(style, root);
  document.body.append(host);

  const transport = createConnectTransport({ baseUrl: serverOrigin });
  const sessionIds = sessionStorageStore(`backchat:session:${serverOrigin}:${locale}`);
  const conversation = new Conversation(transport, locale, sessionIds);
  const panel = new Panel(root, conversation, t, data.title || t.title);
  // A conversation in progress (this tab, before a reload) reopens at once.
  if (sessionIds.get()) panel.open();
}

const script = findOwnScript();
if (document.body) {
  mount(script);
} else {
  document.addEventListener("DOMContentLoaded", () => mount(script));
}
