// Overview (home): the map by NUTS-2 region, counters, clusters by ecosystem, country and category, exchange flows.

import { $, CATEGORIES, categoryLabel, el, fill, gql, number, showError, syntheticBanner } from "./common.js";
import { bars, flowMatrix } from "./charts.js";
import { MODES, drawMap } from "./map.js";

const OVERVIEW = `query Overview {
  overview {
    clusters organisations partnerships exchanges countries synthetic
    clustersByEcosystem { value count }
    clustersByCountry { value count }
    clustersByCategory { value count }
    exchangeFlows { sender host count }
    mapRegions { nuts name category gdpIndex clusters }
  }
  calls { id title exchangesTarget }
  events(first: 8) { id name start attendees }
}`;

async function main() {
  const page = $("page");
  let overview, programme;
  try {
    const data = await gql(OVERVIEW);
    overview = data.overview;
    programme = data;
  } catch (error) {
    showError(page, error);
    return;
  }
  syntheticBanner(overview.synthetic);
  const counters = [["clusters", overview.clusters], ["organisations", overview.organisations], ["partnerships", overview.partnerships],
    ["exchanges", overview.exchanges], ["countries", overview.countries]];
  const mapBox = el("div", { id: "map", class: "card" });
  const modes = el("fieldset", {}, el("legend", {}, "Colour regions by"),
    Object.entries(MODES).map(([name, spec]) => el("label", {},
      el("input", { type: "radio", name: "mode", value: name, checked: name === "category" }), " ", spec.label)));
  const charts = { ecosystem: el("div", { class: "card" }), country: el("div", { class: "card" }), category: el("div", { class: "card" }), flows: el("div", { class: "card wide" }) };
  fill(page, 
    el("p", { class: "lead" }, "Clusters, their regions and what they offer and seek: click a region for its profile, or open the ",
      el("a", { href: "/directory" }, "directory"), " to find a cluster and its complementary partners."),
    el("ul", { class: "counters", "aria-label": "The knowledge base in numbers" },
      counters.map(([name, value]) => el("li", { "data-counter": name }, el("span", { class: "value" }, number(value)), el("span", { class: "name" }, name)))),
    el("h2", {}, "Regions"),
    el("div", { class: "map-layout" }, mapBox, el("div", { class: "card" }, modes,
      el("p", { class: "muted" }, "Cohesion categories 2021-2027 (Commission Implementing Decision (EU) 2021/1130); GDP per head in PPS relative to the EU-27 average of 2015-2017, the basis of the categories; clusters located in the region."))),
    el("h2", {}, "Clusters and exchanges"),
    el("div", { class: "grid" }, charts.ecosystem, charts.country, charts.category, charts.flows),
    el("h2", {}, "The programme"),
    el("div", { class: "grid" },
      el("section", { class: "card", "aria-labelledby": "calls-h", id: "calls" }, el("h3", { id: "calls-h" }, "Calls: progress against their targets"),
        el("ul", {}, programme.calls.map((c) => el("li", {}, el("a", { href: `/call/${encodeURIComponent(c.id)}` }, c.id), ` ${c.title || ""}`)))),
      el("section", { class: "card", "aria-labelledby": "events-h", id: "events" }, el("h3", { id: "events-h" }, "Events: meetings from request to rating"),
        el("ul", {}, programme.events.map((e) => el("li", {}, el("a", { href: `/event/${encodeURIComponent(e.id)}` }, e.name || e.id), ` ${e.start || ""} · ${e.attendees} attendees`))))),
  );
  const map = await drawMap(mapBox, { regions: overview.mapRegions, onSelect: (nuts) => { location.href = `/region/${encodeURIComponent(nuts)}`; } });
  modes.addEventListener("change", (event) => map.setMode(event.target.value));
  const empty = overview.clustersByEcosystem.filter((r) => r.count === 0).map((r) => r.value);
  bars(charts.ecosystem, "Clusters by industrial ecosystem", overview.clustersByEcosystem, {
    note: empty.length
      ? `All ${overview.clustersByEcosystem.length} ecosystems are shown; ${empty.length} have no cluster yet: ${empty.join(", ")}.`
      : `All ${overview.clustersByEcosystem.length} ecosystems are shown; each has clusters.`,
  });
  bars(charts.country, "Clusters by country", overview.clustersByCountry, { limit: 20 });
  bars(charts.category, "Clusters by cohesion category of their region", overview.clustersByCategory, {
    label: (v) => categoryLabel(v.toUpperCase()), color: (v) => CATEGORIES[v.toUpperCase()]?.color || "#8a96a3",
  });
  flowMatrix(charts.flows, "ClusterXchange exchanges, sender country → host country", overview.exchangeFlows);
  document.body.dataset.ready = "true"; // for tests and benchmarks: the map and charts are drawn
}

main();
