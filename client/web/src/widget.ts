// The embeddable widget. A clinic adds one tag:
//   <script src="https://triage.example/widget.js" data-locale="es"
//           data-title="…" data-accent="#0a7" async></script>
// The widget talks to the server it was loaded from (Connect protocol,
// JSON), so the page needs no configuration and no proxy.

import { createConnectTransport } from "@connectrpc/connect-web";
import { accentText, safeAccent } from "./accent";
import { Conversation, sessionStorageStore } from "./conversation";
import { Panel } from "./panel";
import { stringsFor } from "./strings";

function findOwnScript(): HTMLScriptElement | null {
  // currentScript is null for async scripts run after parsing in some
  // browsers; fall back to the tag whose src ends in /widget.js.
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[src$="/widget.js"]');
}

// The panel's height follows the visual viewport, which shrinks when a
// phone's keyboard opens (100dvh does not, on some phones): --vvh and --vvt
// in widget.css. Set through the CSSOM, which a strict CSP allows.
function followVisualViewport(root: HTMLElement): void {
  const viewport = window.visualViewport;
  if (!viewport) return;
  const update = () => {
    root.style.setProperty("--vvh", `${viewport.height}px`);
    root.style.setProperty("--vvt", `${viewport.offsetTop}px`);
  };
  viewport.addEventListener("resize", update);
  viewport.addEventListener("scroll", update);
  update();
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
  // A stylesheet from BackChat rather than an inline <style>, which a
  // strict Content-Security-Policy blocks. The widget stays hidden until
  // it has loaded, so it never flashes unstyled.
  const stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = `${serverOrigin}/widget.css`;
  const root = document.createElement("div");
  root.className = "root";
  root.lang = locale;
  root.hidden = true;
  root.style.setProperty("--accent", accent);
  root.style.setProperty("--on-accent", accentText(accent));
  const styled = new Promise<void>((resolve) => {
    stylesheet.addEventListener("load", () => resolve());
    stylesheet.addEventListener("error", () => {
      // Usable unstyled is better than invisible; say why for the clinic.
      console.warn(`BackChat: could not load ${stylesheet.href}; does the page's CSP allow it in style-src?`);
      resolve();
    });
  });
  shadow.append(stylesheet, root);
  document.body.append(host);
  followVisualViewport(root);

  const transport = createConnectTransport({ baseUrl: serverOrigin });
  const sessionIds = sessionStorageStore(`backchat:session:${serverOrigin}:${locale}`);
  const conversation = new Conversation(transport, locale, sessionIds);
  const panel = new Panel(root, conversation, t, data.title || t.title, serverOrigin);
  styled.then(() => {
    root.hidden = false;
    // A conversation in progress (this tab, before a reload) reopens at
    // once; only now, so that it is laid out and scrolled to its question.
    if (sessionIds.get()) panel.open();
  });
}

const script = findOwnScript();
if (document.body) {
  mount(script);
} else {
  document.addEventListener("DOMContentLoaded", () => mount(script));
}
