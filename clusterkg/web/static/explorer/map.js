// The map of Europe by NUTS-2 region: Eurostat's NUTS 2024 boundaries (1:20 million) drawn with d3-geo
// in a Lambert azimuthal equal-area projection centred on Europe (as EPSG:3035), no tiles, no network
// beyond this server. One <path> per region of the geometry; colour by the chosen measure.

import { CATEGORIES, categoryLabel, el, fill, NO_DATA, number } from "./common.js";

const GEOMETRY_URL = "/geo/nuts2024_rg_20m_level2.geojson";
const WIDTH = 800;
const HEIGHT = 680;
export const ATTRIBUTION = "© EuroGeographics for the administrative boundaries";
let geometry = null;

export function loadGeometry() {
  geometry ??= fetch(GEOMETRY_URL).then((r) => {
    if (!r.ok) throw new Error(`the map's boundaries did not load (${r.status})`);
    return r.json();
  });
  return geometry;
}

const GDP_STEPS = [75, 90, 100, 125]; // cohesion thresholds (75, 100 of the EU-27 average) and two more steps
const GDP_COLORS = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#2166ac"];

/** How each measure colours a region and what its legend says. */
export const MODES = {
  category: {
    label: "Cohesion category 2021-2027",
    color: (r) => CATEGORIES[r?.category]?.color || NO_DATA,
    legend: () => Object.entries(CATEGORIES).map(([, c]) => [c.color, c.label]),
    describe: (r) => categoryLabel(r.category),
  },
  clusters: {
    label: "Clusters in the region",
    scale: (regions) => d3.scaleSequentialSqrt([0, Math.max(1, d3.max(regions, (r) => r.clusters) || 1)], d3.interpolateBlues),
    color(r, scale) { return r && r.clusters ? scale(r.clusters) : NO_DATA; },
    legend(regions) {
      const top = Math.max(1, d3.max(regions, (r) => r.clusters) || 1);
      const scale = this.scale(regions);
      return [...new Set([1, Math.ceil(top / 8), Math.ceil(top / 3), top])].map((v) => [scale(v), `${v}`]);
    },
    describe: (r) => `${r.clusters} clusters`,
  },
  gdp: {
    label: "GDP per head in PPS, EU-27 = 100 (2015-2017)",
    color: (r) => (r?.gdpIndex === null || r?.gdpIndex === undefined ? NO_DATA : GDP_COLORS[d3.bisectRight(GDP_STEPS, r.gdpIndex)]),
    legend: () => ["< 75", "75-90", "90-100", "100-125", "≥ 125"].map((label, i) => [GDP_COLORS[i], label]),
    describe: (r) => (r.gdpIndex === null || r.gdpIndex === undefined ? "GDP index unknown" : `GDP index ${number(r.gdpIndex, 1)}`),
  },
};

/**
 * Draw the map into `container`. `regions`: [{nuts, name, category, gdpIndex, clusters}] by NUTS-2 code.
 * Returns {setMode, setMarkers, highlight}. `onSelect(nuts)` runs on a click (or Enter in the region list).
 */
export async function drawMap(container, { regions = [], mode = "category", onSelect, title = "Map of Europe by NUTS-2 region" }) {
  const geo = await loadGeometry();
  const byCode = new Map(regions.map((r) => [r.nuts, r]));
  const projection = d3.geoAzimuthalEqualArea().rotate([-10, -52]).fitExtent([[6, 6], [WIDTH - 6, HEIGHT - 6]], geo);
  const path = d3.geoPath(projection);
  const titleId = `map-title-${Math.random().toString(36).slice(2, 8)}`;
  const tooltip = el("div", { class: "map-tooltip", role: "status", hidden: true });
  const legend = el("div", { class: "legend" });
  const svgNode = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  fill(container, el("div", { class: "map-frame" }, svgNode, tooltip), legend);

  const svg = d3.select(svgNode).attr("viewBox", `0 0 ${WIDTH} ${HEIGHT}`).attr("role", "img").attr("aria-labelledby", titleId).attr("class", "map");
  svg.append("title").attr("id", titleId).text(title);
  const shapes = svg.append("g").attr("class", "regions").selectAll("path").data(geo.features).join("path")
    .attr("d", path)
    .attr("data-nuts", (f) => f.properties.id)
    .attr("class", "region");
  const markerLayer = svg.append("g").attr("class", "markers");
  const nameOf = (f) => byCode.get(f.properties.id)?.name || f.properties.na || f.properties.id;
  let current = mode;

  function describe(f) {
    const region = byCode.get(f.properties.id);
    const detail = region ? MODES[current].describe(region) : "no data in the graph";
    return `${nameOf(f)} (${f.properties.id}): ${detail}`;
  }

  shapes
    .on("pointermove", (event, f) => {
      const [x, y] = d3.pointer(event, container.querySelector(".map-frame"));
      tooltip.textContent = describe(f);
      tooltip.hidden = false;
      tooltip.style.left = `${x + 12}px`;
      tooltip.style.top = `${y + 12}px`;
      d3.select(event.currentTarget).classed("hover", true);
    })
    .on("pointerleave", (event) => {
      tooltip.hidden = true;
      d3.select(event.currentTarget).classed("hover", false);
    })
    .on("click", (event, f) => onSelect && onSelect(f.properties.id));

  // keyboard and screen-reader users pick a region from a list instead of 290 tab stops
  const chooser = el("select", { "aria-label": "Go to a region", class: "region-chooser" },
    el("option", { value: "" }, "Go to a region…"),
    [...geo.features].sort((a, b) => nameOf(a).localeCompare(nameOf(b))).map((f) => el("option", { value: f.properties.id }, `${nameOf(f)} (${f.properties.id})`)));
  chooser.addEventListener("change", () => chooser.value && onSelect && onSelect(chooser.value));

  function setMode(name) {
    current = name;
    const spec = MODES[name];
    const scale = spec.scale ? spec.scale(regions) : null;
    shapes.attr("fill", (f) => spec.color(byCode.get(f.properties.id), scale));
    shapes.selectAll("title").remove();
    shapes.append("title").text(describe);
    fill(legend, 
      el("p", { class: "legend-title" }, spec.label),
      el("ul", { class: "swatches" }, [...spec.legend(regions), [NO_DATA, "no data"]].map(([color, label]) =>
        el("li", {}, el("span", { class: "swatch", style: `background:${color}` }), label))),
      onSelect ? chooser : null,
      el("p", { class: "attribution" }, ATTRIBUTION, ". Boundaries: Eurostat GISCO, NUTS 2024, 1:20 million."),
    );
  }

  /** Circles at map centroids: [{lon, lat, label, count}]. */
  function setMarkers(markers) {
    const radius = d3.scaleSqrt([0, d3.max(markers, (m) => m.count) || 1], [0, 14]);
    markerLayer.selectAll("circle").data(markers.filter((m) => m.lon !== null && m.lon !== undefined)).join("circle")
      .attr("class", "marker")
      .attr("cx", (m) => projection([m.lon, m.lat])[0])
      .attr("cy", (m) => projection([m.lon, m.lat])[1])
      .attr("r", (m) => Math.max(4, radius(m.count || 1)))
      .selectAll("title").data((m) => [m]).join("title").text((m) => m.label);
  }

  function highlight(codes) {
    const chosen = new Set(codes);
    shapes.classed("highlighted", (f) => chosen.has(f.properties.id));
  }

  setMode(mode);
  return { setMode, setMarkers, highlight, shapes: geo.features.length };
}
