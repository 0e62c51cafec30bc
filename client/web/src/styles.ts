// The widget's CSS, scoped by its shadow root: nothing here reaches the host
// page, and `all: initial` on :host keeps the page's inherited styles out.
// Colours meet WCAG AA (4.5:1 for text); the clinic's accent is paired with
// whichever of black or white text contrasts more (see accentText).

export function widgetCss(accent: string, accentText: string): string {
  return `
:host { all: initial; }
* { box-sizing: border-box; }
.root { --accent: ${accent}; --on-accent: ${accentText};
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; }
button, input { font: inherit; }
:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; box-shadow: 0 0 0 5px #fff; }
.launcher { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;
  background: var(--accent); color: var(--on-accent); border: 0; border-radius: 24px;
  padding: 12px 18px; max-width: calc(100vw - 32px); cursor: pointer;
  box-shadow: 0 2px 10px rgba(0,0,0,.25); }
.panel { position: fixed; right: 8px; bottom: 8px; z-index: 2147483001;
  width: min(400px, calc(100vw - 16px)); height: min(640px, calc(100vh - 16px));
  display: flex; flex-direction: column; background: #fff; border-radius: 12px;
  box-shadow: 0 4px 24px rgba(0,0,0,.3); overflow: hidden; transition: opacity .15s; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; gap: 8px; padding: 10px 12px;
  background: var(--accent); color: var(--on-accent); }
header h2 { flex: 1; margin: 0; font-size: 1.05rem; }
.close { background: transparent; color: inherit; border: 0; font-size: 1.4rem;
  line-height: 1; padding: 4px 10px; cursor: pointer; border-radius: 6px; }
.progress { padding: 6px 12px 0; font-size: .85rem; color: #444; }
.bar { height: 6px; background: #e4e4e4; border-radius: 3px; margin-top: 4px; overflow: hidden; }
.fill { height: 100%; background: var(--accent); width: 0; transition: width .2s; }
.log { flex: 1 1 auto; min-height: 120px; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
.msg { max-width: 88%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; }
.bot { background: #f0f0f0; align-self: flex-start; }
.bot .help { display: block; font-size: .88rem; color: #444; margin-top: 4px; }
.user { background: var(--accent); color: var(--on-accent); align-self: flex-end; }
.user.unsent { opacity: .75; font-style: italic; }
.notice { background: #fff4d6; border: 1px solid #b58100; align-self: flex-start; }
.status { padding: 0 12px; }
.status:empty { display: none; }
.status p { margin: 6px 0; color: #8a1c1c; }
.choices { padding: 4px 12px; display: flex; flex-wrap: wrap; gap: 6px; flex: 0 0 auto;
  max-height: 55%; overflow-y: auto; }
.choices:empty { display: none; }
.confirm { display: flex; gap: 6px; width: 100%; }
.choice { border: 2px solid var(--accent); background: #fff; color: #1a1a1a;
  border-radius: 18px; padding: 6px 12px; cursor: pointer; text-align: left; }
.choice:hover { background: #f4f4f4; }
fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; width: 100%; }
legend { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.check { display: flex; gap: 8px; align-items: flex-start; padding: 4px 2px; cursor: pointer; }
.check input { flex: none; width: 20px; height: 20px; margin-top: 2px; accent-color: var(--accent); }
.primary { background: var(--accent); color: var(--on-accent); border: 0; border-radius: 18px;
  padding: 8px 16px; cursor: pointer; }
.primary:disabled, .choice:disabled, .secondary:disabled { opacity: .55; cursor: default; }
form { display: flex; gap: 6px; padding: 8px 12px; border-top: 1px solid #ddd; }
form[hidden] { display: none; }
form input { flex: 1; min-width: 0; padding: 8px 10px; border: 1px solid #767676; border-radius: 8px; }
footer { display: flex; justify-content: space-between; gap: 6px; padding: 6px 12px 10px; }
.secondary { background: #fff; color: #1a1a1a; border: 1px solid #767676; border-radius: 8px;
  padding: 6px 12px; cursor: pointer; }
.hint { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.outcome { border-radius: 12px; padding: 12px; border: 2px solid #555; background: #fafafa; }
.outcome h3 { margin: 0 0 6px; font-size: 1rem; }
.outcome h4 { margin: 10px 0 4px; font-size: .95rem; }
.outcome p, .outcome ul { margin: 4px 0; }
.outcome ul { padding-left: 20px; }
.outcome .badge { display: inline-block; font-size: .8rem; font-weight: 700; text-transform: uppercase;
  letter-spacing: .04em; padding: 2px 8px; border-radius: 10px; background: #555; color: #fff; margin-bottom: 6px; }
.outcome .disclaimer { font-size: .82rem; color: #444; }
.level-emergency { border-color: #b00020; background: #fdecee; }
.level-emergency .badge { background: #b00020; }
.level-emergency .call { font-size: 1.2rem; font-weight: 700; color: #8a0019; margin: 0 0 6px; }
.level-urgent { border-color: #a34400; background: #fff1e6; }
.level-urgent .badge { background: #a34400; }
.level-see-doctor { border-color: #1d4f91; background: #eef4fc; }
.level-see-doctor .badge { background: #1d4f91; }
.level-self-care { border-color: #1e6b3a; background: #eef8f1; }
.level-self-care .badge { background: #1e6b3a; }
@media (prefers-reduced-motion: reduce) { *, .panel, .fill { transition: none !important; animation: none !important; } }
`;
}

/** Black or white, whichever contrasts more with `color` (#rgb or #rrggbb). */
export function accentText(color: string): string {
  const hex = color.replace("#", "");
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
  const channels = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255);
  const linear = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  // Contrast with white is 1.05 / (L + 0.05); with black (L + 0.05) / 0.05.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#ffffff" : "#000000";
}

/** The accent if it is a plain hex colour, otherwise the default. */
export function safeAccent(requested: string | undefined): string {
  return requested && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(requested) ? requested : "#0a6e5c";
}
