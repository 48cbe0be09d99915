// An event's meetings as a process: requests made and accepted, meetings scheduled, held and rated, by attendee kind;
// the figures as CSV or XLSX.

import { $, el, fill, gql, saveFile, showError, table } from "./common.js";

const EVENT = `query Event($id: ID!) {
  event(id: $id) { id name start end attendees }
  eventProgress(eventId: $id) {
    byKind { kind attendees requested accepted scheduled held rated averageRating followUps }
    total { attendees requested accepted scheduled held rated averageRating followUps }
  }
}`;
const FILE = `query($id: ID!, $format: TableFormat!) { eventProgressFile(eventId: $id, format: $format) { filename mediaType rows base64 } }`;
const MEASURES = [["requested", "requested"], ["accepted", "accepted"], ["scheduled", "scheduled"], ["held", "held"], ["rated", "rated"]];

function funnel(container, rows) {
  const data = rows.flatMap((r) => MEASURES.map(([key, label]) => ({ kind: r.kind, measure: label, count: r[key] })));
  const chart = Plot.plot({
    width: Math.max(300, Math.min(760, container.clientWidth || 640)), height: 60 + rows.length * 90, marginLeft: 90,
    fy: { label: null }, x: { label: "count", grid: true }, y: { label: null, domain: MEASURES.map(([, l]) => l) },
    marks: [Plot.barX(data, { x: "count", y: "measure", fy: "kind", fill: "#0b5cad", title: (d) => `${d.kind} ${d.measure}: ${d.count}` }), Plot.ruleX([0])],
  });
  const svg = chart.querySelector ? chart.querySelector("svg") || chart : chart;
  svg.querySelectorAll?.("g[aria-label], g[aria-description]").forEach((g) => { g.removeAttribute("aria-label"); g.removeAttribute("aria-description"); });
  svg.setAttribute?.("role", "img");
  svg.setAttribute?.("aria-label", `Meetings by attendee kind: ${data.map((d) => `${d.kind} ${d.measure} ${d.count}`).join(", ")}`.slice(0, 600));
  fill(container, el("figure", { class: "chart" }, el("figcaption", {}, el("h3", {}, "From request to rating, by attendee kind")), chart));
}

async function main() {
  const page = $("page");
  const id = decodeURIComponent(location.pathname.split("/event/")[1] || "");
  try {
    const data = await gql(EVENT, { id });
    const event = data.event;
    const rows = data.eventProgress.byKind;
    $("title").textContent = event.name || event.id;
    document.title = `${event.name || event.id} · clusterkg`;
    const chart = el("div", { class: "card wide" });
    const downloads = ["CSV", "XLSX"].map((format) => {
      const button = el("button", { type: "button", "data-format": format }, `Download ${format}`);
      button.addEventListener("click", async () => saveFile((await gql(FILE, { id, format })).eventProgressFile));
      return button;
    });
    const columns = ["kind", "attendees", "requested", "accepted", "scheduled", "held", "rated", "average rating", "follow-ups"];
    const cells = (r, kind) => [kind, r.attendees, r.requested, r.accepted, r.scheduled, r.held, r.rated, r.averageRating ?? "–", r.followUps];
    fill(page,
      el("p", { class: "lead" }, `${event.start}${event.end && event.end !== event.start ? ` to ${event.end}` : ""} · ${event.attendees} attendees.`),
      table(columns, [...rows.map((r) => cells(r, r.kind)), cells(data.eventProgress.total, "all")], { caption: "Meetings by attendee kind", numeric: [1, 2, 3, 4, 5, 6, 7, 8] }),
      el("p", { class: "muted" }, "A meeting counts once for each kind of its two attendees; it was held when the event's last day has passed; ratings are each attendee's own (1 to 5)."),
      el("p", {}, downloads), chart);
    if (rows.length) funnel(chart, rows);
  } catch (error) {
    showError(page, error);
  }
  document.body.dataset.ready = "true";
}

main();
