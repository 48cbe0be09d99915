// Directory: clusters by country, cohesion category, ecosystem, excellence label and words, paged through
// the Relay connection. The filters live in the URL, so a link reproduces the list; CSV/XLSX of the whole list.

import { $, CATEGORIES, categoryLabel, el, fill, gql, number, saveFile, showError, syntheticBanner, table } from "./common.js";

const PAGE_SIZE = 25;
const DIMENSIONS = [
  // URL parameter, facet dimension, filter field, legend
  ["country", "country", "countries", "Country"],
  ["category", "category", "regionCategories", "Region category"],
  ["ecosystem", "ecosystem", "ecosystems", "Industrial ecosystem"],
  ["label", "excellence_label", "excellenceLabels", "Excellence label"],
];

const CLUSTERS = `query Directory($filter: ClusterFilter, $first: Int!, $after: String,
    $noCountry: ClusterFilter, $noCategory: ClusterFilter, $noEcosystem: ClusterFilter, $noLabel: ClusterFilter) {
  clusters(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name acronym synthetic excellenceLabel membersTotal country { code name } region { nuts name category } ecosystems { name } } }
  }
  country: clusterFacets(filter: $noCountry) { dimension value count }
  category: clusterFacets(filter: $noCategory) { dimension value count }
  ecosystem: clusterFacets(filter: $noEcosystem) { dimension value count }
  label: clusterFacets(filter: $noLabel) { dimension value count }
  ecosystems { id name }
}`;
const FILE = `query ClustersFile($filter: ClusterFilter, $format: TableFormat!) { clustersFile(filter: $filter, format: $format) { filename mediaType rows base64 } }`;

function readUrl() {
  const params = new URLSearchParams(location.search);
  const state = { text: params.get("q") || "", region: params.get("region") || "", after: params.get("after") || null };
  for (const [param] of DIMENSIONS) state[param] = params.getAll(param);
  return state;
}

function writeUrl(state) {
  const params = new URLSearchParams();
  if (state.text) params.set("q", state.text);
  if (state.region) params.set("region", state.region);
  for (const [param] of DIMENSIONS) for (const value of state[param]) params.append(param, value);
  if (state.after) params.set("after", state.after);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function filterOf(state, without = null) {
  const filter = {};
  for (const [param, , field] of DIMENSIONS) if (param !== without && state[param].length) filter[field] = state[param];
  if (state.text.trim()) filter.text = state.text.trim();
  if (state.region) filter.nutsRegion = state.region;
  return filter;
}

const state = readUrl();
const cursors = state.after ? [null, state.after] : [null];
let ecosystemNames = new Map();

function facetLabel(param, value) {
  if (param === "category") return categoryLabel(value.toUpperCase());
  if (param === "ecosystem") return ecosystemNames.get(value) || value;
  return value;
}

function renderFacets(container, data) {
  fill(container, ...DIMENSIONS.map(([param, dimension, , legend]) => {
    const rows = data[param].filter((r) => r.dimension === dimension && !["none", "unknown"].includes(r.value));
    const chosen = new Set(state[param]);
    for (const value of chosen) if (!rows.some((r) => facetValue(param, r.value) === value)) rows.push({ value: param === "category" ? value.toLowerCase() : value, count: 0 });
    return el("fieldset", { "data-facet": param }, el("legend", {}, legend),
      el("div", { class: "facet-values" }, rows.map((r) => {
        const value = facetValue(param, r.value);
        return el("label", {}, el("input", { type: "checkbox", name: param, value, checked: chosen.has(value) }),
          el("span", {}, facetLabel(param, r.value)), el("span", { class: "count" }, number(r.count)));
      })));
  }));
}

function facetValue(param, value) {
  return param === "category" ? value.toUpperCase() : value;
}

function renderResults(container, connection) {
  const rows = connection.edges.map(({ node }) => [
    el("a", { href: `/cluster/${encodeURIComponent(node.id)}` }, node.name), node.acronym || "",
    node.country ? node.country.name : "", node.region ? `${node.region.name} (${node.region.nuts})` : "",
    node.region?.category ? el("span", { class: "pill cat", style: `background:${CATEGORIES[node.region.category].color}` }, categoryLabel(node.region.category)) : "",
    node.ecosystems.map((e) => e.name).join(", "), node.excellenceLabel || "", number(node.membersTotal),
  ]);
  const region = state.region
    ? el("span", {}, ` in region ${state.region} `, el("button", { type: "button", onclick: () => { state.region = ""; resetPaging(); refresh(); } }, "any region"))
    : "";
  fill(container, 
    el("p", { id: "total", role: "status" }, `${number(connection.totalCount)} clusters match`, region, cursors.length > 1 ? ` (page ${cursors.length})` : ""),
    table(["cluster", "acronym", "country", "region", "category", "ecosystems", "label", "members"], rows, { numeric: [7] }),
    el("div", { class: "actions" },
      el("button", { type: "button", id: "previous", disabled: cursors.length === 1, onclick: () => { cursors.pop(); state.after = cursors.at(-1); refresh(); } }, "← Previous"),
      el("button", { type: "button", id: "next", disabled: !connection.pageInfo.hasNextPage,
        onclick: () => { state.after = connection.pageInfo.endCursor; cursors.push(state.after); refresh(); } }, "Next →")),
  );
}

async function refresh() {
  writeUrl(state);
  const variables = { filter: filterOf(state), first: PAGE_SIZE, after: state.after };
  for (const [param] of DIMENSIONS) variables[`no${param[0].toUpperCase()}${param.slice(1)}`] = filterOf(state, param);
  try {
    const data = await gql(CLUSTERS, variables);
    ecosystemNames = new Map(data.ecosystems.map((e) => [e.id, e.name]));
    renderFacets($("facets"), data);
    renderResults($("results"), data.clusters);
    syntheticBanner(data.clusters.edges.some((e) => e.node.synthetic));
    document.body.dataset.ready = "true";
  } catch (error) {
    showError($("results"), error);
  }
}

async function download(format) {
  const button = $(`download-${format.toLowerCase()}`);
  button.disabled = true;
  try {
    saveFile((await gql(FILE, { filter: filterOf(state), format })).clustersFile);
  } catch (error) {
    showError($("download-error"), error);
  } finally {
    button.disabled = false;
  }
}

function main() {
  const search = el("input", { type: "search", id: "text", name: "q", value: state.text, placeholder: "hydrogen, ports, batteries…" });
  fill($("page"), 
    el("p", { class: "lead" }, "Every cluster in the graph. Filter on the left; the address bar keeps the filters, so a link reproduces this list."),
    el("div", { class: "directory-layout" },
      el("div", {},
        el("form", { class: "field", role: "search", onsubmit: (e) => { e.preventDefault(); state.text = search.value; resetPaging(); refresh(); } },
          el("label", { for: "text" }, "Words in the name, acronym or description"), search, el("button", { type: "submit" }, "Search")),
        el("div", { id: "facets", class: "facets" })),
      el("div", {},
        el("div", { class: "actions" }, "Download this list:",
          el("button", { type: "button", id: "download-csv", onclick: () => download("CSV") }, "CSV"),
          el("button", { type: "button", id: "download-xlsx", onclick: () => download("XLSX") }, "XLSX")),
        el("div", { id: "download-error" }),
        el("div", { id: "results" }, el("p", { class: "busy" }, "Loading…")))),
  );
  $("facets").addEventListener("change", (event) => {
    const input = event.target;
    const values = new Set(state[input.name]);
    input.checked ? values.add(input.value) : values.delete(input.value);
    state[input.name] = [...values];
    resetPaging();
    refresh();
  });
  refresh();
}

function resetPaging() {
  state.after = null;
  cursors.length = 1;
}

main();
