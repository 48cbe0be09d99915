// A call's progress against its targets: exchanges against the target, the SME and outside-the-community shares
// against their minimums, where the visitors come from; the figures as CSV or XLSX.

import { $, categoryLabel, el, fill, gql, number, saveFile, showError } from "./common.js";
import { bars } from "./charts.js";

const CALL = `query Call($id: ID!) {
  call(id: $id) { id programme title deadline exchangesTarget
    progress { exchanges target sme smeShare smeShareMin outside outsideShare outsideShareMin
      byCountry { country exchanges } byCategory { category exchanges } } }
}`;
const FILE = `query($id: ID!, $format: TableFormat!) { callProgressFile(callId: $id, format: $format) { filename mediaType rows base64 } }`;

function percent(value) {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)}%`;
}

/** A measure against its target: the value, the target, a bar, and whether it is met. */
function gauge(id, label, value, target, { share = false } = {}) {
  const met = target === null || target === undefined ? null : value !== null && value >= target;
  const ratio = target ? Math.min((value || 0) / target, 1) : 0;
  const shown = share ? percent(value) : number(value);
  const goal = target === null || target === undefined ? "no target stated" : `target ${share ? percent(target) : number(target)}`;
  return el("div", { class: "card gauge", id, "data-met": met === null ? "unknown" : String(met) },
    el("h3", {}, label), el("p", { class: "value" }, shown), el("p", { class: "muted" }, `${goal}${met === null ? "" : met ? " · met" : " · not yet"}`),
    el("progress", { max: "1", value: String(ratio), "aria-label": `${label}: ${shown} of ${goal}` }));
}

async function main() {
  const page = $("page");
  const id = decodeURIComponent(location.pathname.split("/call/")[1] || "");
  try {
    const call = (await gql(CALL, { id })).call;
    const p = call.progress;
    $("title").textContent = `${call.id}: progress`;
    document.title = `${call.id} · clusterkg`;
    const country = el("div", { class: "card" });
    const category = el("div", { class: "card" });
    const downloads = ["CSV", "XLSX"].map((format) => {
      const button = el("button", { type: "button", "data-format": format }, `Download ${format}`);
      button.addEventListener("click", async () => saveFile((await gql(FILE, { id, format })).callProgressFile));
      return button;
    });
    fill(page,
      el("p", { class: "lead" }, `${call.title || call.id} (${call.programme || "programme unknown"}${call.deadline ? `, deadline ${call.deadline}` : ""}).`),
      el("div", { class: "grid gauges" },
        gauge("gauge-exchanges", "Exchanges", p.exchanges, p.target),
        gauge("gauge-sme", "Involving an SME", p.smeShare, p.smeShareMin, { share: true }),
        gauge("gauge-outside", "From outside the community", p.outsideShare, p.outsideShareMin, { share: true })),
      el("p", { class: "muted" }, "An exchange counts when it is not cancelled and was made by this call's matching, ran under a partnership the call funded, or was hosted by one of its partners; it involves an SME when its participant is one; it comes from outside the community when its sending cluster is not a partner of the call's partnerships."),
      el("p", {}, downloads),
      el("div", { class: "grid" }, country, category));
    bars(country, "Exchanges by the visitor's country", p.byCountry.map((c) => ({ value: c.country, count: c.exchanges })), { unit: "exchanges" });
    bars(category, "Exchanges by the visitor's region category", p.byCategory.map((c) => ({ value: c.category, count: c.exchanges })),
      { unit: "exchanges", label: (v) => categoryLabel(v.toUpperCase()) });
  } catch (error) {
    showError(page, error);
  }
  document.body.dataset.ready = "true";
}

main();
