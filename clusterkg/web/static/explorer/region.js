// Region profile: its cohesion category and how it was derived, GDP per head over time, its clusters,
// and the regions whose clusters complement them (regionPartners).

import { $, CATEGORIES, categoryLabel, el, fill, gql, number, showError, syntheticBanner, table } from "./common.js";
import { gdpChart } from "./charts.js";
import { drawMap } from "./map.js";

const REGION = `query Region($nuts: String!) {
  region(nuts: $nuts) {
    nuts name nameLatin level category categorySource categoryRegion categoryIndex aliases
    country { code name }
    gdp { year ppsIndex ppsPerHead }
    parent { nuts name }
    typologies { urbanRural coastal metropolitan border island mountain capital }
  }
  clusters(filter: { nutsRegion: $nuts }, first: 100) {
    totalCount
    edges { node { id name acronym synthetic excellenceLabel ecosystems { name } } }
  }
}`;
const PARTNERS = `query RegionPartners($input: RegionPartnersInput!) {
  regionPartners(input: $input) {
    score overlap
    region { nuts name category centroid { lon lat } }
    needFit { name }
    reciprocity { name }
  }
}`;

const nuts = decodeURIComponent(location.pathname.split("/").filter(Boolean).at(-1) || "").toUpperCase();

function derivation(r) {
  if (!r.category) return "No cohesion category: the 2021-2027 categories cover the EU's NUTS-2 regions.";
  const index = r.categoryIndex === null ? "" : ` GDP per head in PPS was ${number(r.categoryIndex, 1)} % of the EU-27 average (2015-2017).`;
  if (r.categorySource === "official") return `Official: listed in Commission Implementing Decision (EU) 2021/1130.${index}`;
  if (r.categorySource === "predecessor") return `The category of ${r.categoryRegion.split("+").join(" and ")}: Commission Implementing Decision (EU) 2021/1130 was made on NUTS 2016 regions, and this NUTS 2024 region lies within ${r.categoryRegion.includes("+") ? "them (all of that category)" : "it"}.`;
  if (r.categorySource === "derived") return `Derived by the rule of Regulation (EU) 2021/1060 Art. 108(2) (below 75: less developed; 75 to 100: transition; above 100: more developed) from Eurostat GDP, for a region the decision lists under another code.${index}`;
  return `Source not recorded.${index}`;
}

async function main() {
  const page = $("page");
  let data;
  try {
    data = await gql(REGION, { nuts });
  } catch (error) {
    showError(page, error);
    return;
  }
  const r = data.region;
  document.title = `${r.name} · clusterkg`;
  $("title").textContent = `${r.name} (${r.nuts})`;
  syntheticBanner(data.clusters.edges.some((e) => e.node.synthetic));
  const chart = el("div", {});
  const partnersBox = el("div", { id: "region-partners" });
  const mapBox = el("div", { id: "partners-map", class: "card" });
  const typologies = r.typologies ? Object.entries(r.typologies).filter(([, v]) => v !== null && v !== false).map(([k, v]) => (v === true ? k : `${k}: ${v}`)) : [];
  fill(page, 
    el("div", { class: "grid" },
      el("section", { class: "card", "aria-labelledby": "cat-h" }, el("h2", { id: "cat-h" }, "Cohesion category 2021-2027"),
        el("p", {}, r.category ? el("span", { class: "pill cat", style: `background:${CATEGORIES[r.category].color}` }, categoryLabel(r.category)) : "none"),
        el("p", { id: "derivation" }, derivation(r)),
        el("dl", { class: "facts" },
          el("dt", {}, "country"), el("dd", {}, r.country ? r.country.name : "–"),
          el("dt", {}, "NUTS level"), el("dd", {}, String(r.level)),
          r.parent ? [el("dt", {}, "part of"), el("dd", {}, el("a", { href: `/region/${encodeURIComponent(r.parent.nuts)}` }, `${r.parent.name} (${r.parent.nuts})`))] : [],
          r.aliases.length ? [el("dt", {}, "NUTS 2021 codes"), el("dd", {}, r.aliases.join(", "))] : [],
          typologies.length ? [el("dt", {}, "typologies"), el("dd", {}, typologies.join(", "))] : [])),
      el("section", { class: "card", "aria-labelledby": "gdp-h" }, el("h2", { id: "gdp-h" }, "GDP per head"), chart)),
    el("h2", {}, `Clusters in ${r.name}`),
    el("p", { id: "cluster-count" }, `${number(data.clusters.totalCount)} clusters`, data.clusters.totalCount > 100 ? " (the first 100)" : ""),
    table(["cluster", "acronym", "ecosystems", "label"], data.clusters.edges.map(({ node }) => [
      el("a", { href: `/cluster/${encodeURIComponent(node.id)}` }, node.name), node.acronym || "", node.ecosystems.map((e) => e.name).join(", "), node.excellenceLabel || ""])),
    el("p", {}, el("a", { href: `/directory?region=${encodeURIComponent(r.nuts)}` }, `All clusters of ${r.name} in the directory`)),
    el("h2", {}, "Complementary regions"),
    el("p", { class: "lead" }, "NUTS-2 regions whose clusters offer what this region's clusters seek, and seek what they offer."),
    el("div", { class: "map-layout" }, partnersBox, mapBox),
  );
  gdpChart(chart, `GDP per head in PPS, EU-27 = 100`, r.gdp);
  if (r.level !== 2) {
    fill(partnersBox, el("p", { class: "muted" }, "Complementary regions are computed between NUTS-2 regions: see the NUTS-2 region above or below this one."));
  } else {
    try {
      const partners = (await gql(PARTNERS, { input: { nuts: r.nuts, first: 10 } })).regionPartners;
      fill(partnersBox, partners.length
        ? table(["region", "category", "score", "they offer what you seek", "they seek what you offer"], partners.map((p) => [
          el("a", { href: `/region/${encodeURIComponent(p.region.nuts)}` }, `${p.region.name} (${p.region.nuts})`), categoryLabel(p.region.category), number(p.score, 2),
          p.needFit.map((c) => c.name).join(", "), p.reciprocity.map((c) => c.name).join(", ")]), { numeric: [2] })
        : el("p", { class: "muted" }, "No complementary region: the region's clusters record no needs or offers."));
      const regions = partners.map((p) => ({ nuts: p.region.nuts, name: p.region.name, category: p.region.category, clusters: 1, gdpIndex: null }));
      const map = await drawMap(mapBox, { regions, title: `Regions complementary to ${r.name}`, onSelect: (code) => { location.href = `/region/${encodeURIComponent(code)}`; } });
      map.highlight([r.nuts]);
      map.setMarkers(partners.map((p) => ({ lon: p.region.centroid?.lon, lat: p.region.centroid?.lat, count: 1, label: p.region.name })));
    } catch (error) {
      showError(partnersBox, error);
    }
  }
  document.body.dataset.ready = "true";
}

main();
