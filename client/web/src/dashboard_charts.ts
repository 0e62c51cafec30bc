// The dashboard's charts: bar charts from Chart.js, with only the parts
// they use registered (so the bundle carries nothing else).
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export type Series = { label: string; values: number[]; color: string };

export const colors = {
  started: "#3a6ea5",
  finished: "#0a6e5c",
  abandoned: "#b3261e",
  in_progress: "#8a8a8a",
  EMERGENCY: "#b3261e",
  URGENT: "#c25e00",
  SEE_DOCTOR: "#7a5c00",
  SELF_CARE: "#0a6e5c",
  neutral: "#3a6ea5",
} as Record<string, string>;

/** A bar chart in a new canvas; `stacked` stacks the series, `horizontal`
 *  lays bars across (for long labels such as question ids). */
export function barChart(
  labels: string[],
  series: Series[],
  options: { stacked?: boolean; horizontal?: boolean; label: string },
): HTMLElement {
  const box = document.createElement("div");
  box.className = "chart";
  // Set through the CSSOM, which a strict CSP allows (unlike a style attribute).
  if (options.horizontal) box.style.height = `${Math.max(240, labels.length * 22 + 60)}px`;
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", options.label);
  box.append(canvas);
  const stacked = options.stacked ?? false;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color })),
    },
    options: {
      indexAxis: options.horizontal ? "y" : "x",
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked, ticks: { precision: 0 } },
        // Across, every question is labelled.
        y: { stacked, beginAtZero: true, ticks: { precision: 0, autoSkip: !options.horizontal } },
      },
      plugins: { legend: { display: series.length > 1 } },
    },
  });
  return box;
}
