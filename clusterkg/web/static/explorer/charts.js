// Charts drawn with Observable Plot (vendored UMD build, global `Plot`), each in a <figure> with a caption.

import { el, fill } from "./common.js";

/** One image to assistive technology, named with its numbers (Plot's own marks carry ARIA labels no role allows). */
function accessible(chart, text) {
  if (chart instanceof SVGElement || chart.querySelector) {
    const svg = chart instanceof SVGElement ? chart : chart.querySelector("svg");
    svg?.querySelectorAll("g[aria-label], g[aria-description]").forEach((g) => { g.removeAttribute("aria-label"); g.removeAttribute("aria-description"); });
    svg?.setAttribute("role", "img");
    svg?.setAttribute("aria-label", text.length > 600 ? text.slice(0, 597) + "…" : text);
  }
  return chart;
}

function width(container) {
  return Math.max(300, Math.min(760, container.clientWidth || 640));
}

/** A horizontal bar chart of [{value, count}], largest first. */
export function bars(container, caption, rows, { label = (v) => v, color = () => "#0b5cad", limit = 25, note = null, unit = "clusters" } = {}) {
  const data = [...rows].sort((a, b) => b.count - a.count).slice(0, limit).map((r) => ({ ...r, name: label(r.value) }));
  const longest = Math.max(...data.map((d) => d.name.length), 4);
  const chart = data.length
    ? Plot.plot({
      width: width(container), height: 28 + data.length * 22, marginLeft: Math.min(260, 12 + longest * 6.4), marginRight: 36,
      x: { label: unit, grid: true }, y: { label: null, domain: data.map((d) => d.name) },
      marks: [
        Plot.barX(data, { x: "count", y: "name", fill: (d) => color(d.value), title: (d) => `${d.name}: ${d.count}` }),
        Plot.text(data, { x: "count", y: "name", text: (d) => String(d.count), dx: 4, textAnchor: "start" }),
        Plot.ruleX([0]),
      ],
    })
    : el("p", { class: "muted" }, "Nothing to show.");
  accessible(chart, `${caption}: ${data.map((d) => `${d.name} ${d.count}`).join(", ")}`);
  const more = rows.length > limit ? el("p", { class: "muted" }, `The ${limit} largest of ${rows.length}.`) : null;
  const footnote = note ? el("p", { class: "muted", "data-note": "" }, note) : null;
  fill(container, el("figure", { class: "chart" }, el("figcaption", {}, el("h3", {}, caption)), chart, more, footnote));
}

/** Exchanges as a matrix: sender country (rows) by host country (columns). */
export function flowMatrix(container, caption, flows) {
  const chart = flows.length
    ? Plot.plot({
      width: width(container), marginLeft: 48, marginBottom: 40, padding: 0.05,
      x: { label: "host country →", axis: "bottom", tickRotate: 0 }, y: { label: "↑ sender country" },
      color: { scheme: "blues", legend: true, label: "exchanges" },
      marks: [
        Plot.cell(flows, { x: "host", y: "sender", fill: "count", title: (d) => `${d.sender} → ${d.host}: ${d.count}` }),
        Plot.text(flows, { x: "host", y: "sender", text: "count", fill: (d) => (d.count > d3.max(flows, (f) => f.count) / 2 ? "white" : "black") }),
      ],
    })
    : el("p", { class: "muted" }, "No exchanges in the graph.");
  accessible(chart, `${caption}: ${[...flows].sort((a, b) => b.count - a.count).slice(0, 30).map((f) => `${f.sender} to ${f.host} ${f.count}`).join(", ")}`);
  fill(container, el("figure", { class: "chart" }, el("figcaption", {}, el("h3", {}, caption)), chart));
}

/** A line chart of a region's GDP per head (PPS, EU-27 = 100) by year, with the 75 and 100 lines of the cohesion rules. */
export function gdpChart(container, caption, points) {
  const data = points.filter((p) => p.ppsIndex !== null);
  const chart = data.length
    ? Plot.plot({
      width: width(container), height: 240, marginLeft: 44,
      x: { label: "year", tickFormat: "d" }, y: { label: "GDP per head, PPS (EU-27 = 100)", grid: true, domain: [0, Math.max(130, d3.max(data, (d) => d.ppsIndex) + 10)] },
      marks: [
        Plot.ruleY([75, 100], { stroke: "#8a96a3", strokeDasharray: "4 3" }),
        Plot.text([75, 100], { x: d3.min(data, (d) => d.year), y: (d) => d, text: (d) => (d === 75 ? "75: less developed below" : "100: EU average"), dy: -6, textAnchor: "start", fill: "#3b4654" }),
        Plot.line(data, { x: "year", y: "ppsIndex", stroke: "#0b5cad", strokeWidth: 2 }),
        Plot.dot(data, { x: "year", y: "ppsIndex", fill: "#0b5cad", r: 2.5, title: (d) => `${d.year}: ${d.ppsIndex}` }),
      ],
    })
    : el("p", { class: "muted" }, "No GDP series for this region.");
  accessible(chart, `${caption}: ${data.map((d) => `${d.year} ${d.ppsIndex}`).join(", ")}`);
  fill(container, el("figure", { class: "chart" }, el("figcaption", {}, el("h3", {}, caption)), chart));
}
