// The clinic's accent colour (data-accent) and the text colour that goes on
// it. widget.css uses them as --accent and --on-accent.

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
