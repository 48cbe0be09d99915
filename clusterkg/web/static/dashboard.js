// A dashboard, read-only: its saved queries, each as a table, a bar chart, a map by NUTS code or a graph, with a
// selector per parameter. Anyone with the link may look; the queries run read-only within the page's limits.

const $ = (id) => document.getElementById(id);
const key = decodeURIComponent(location.pathname.split("/dashboards/")[1] || "");
const PARAM_NAME = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
const NUTS = /^[A-Z]{2}[0-9A-Z]{0,3}$/;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, v);
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

function cell(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") {
    if (value._type === "node") return `(${value._labels.join(":")} ${value.properties.name ?? value.properties.id ?? value.properties.nuts ?? ""})`;
    if (value._type === "relationship") return `[:${value._rel_type}]`;
    return JSON.stringify(value);
  }
  return String(value);
}

function table(result) {
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "result" },
    el("table", { class: "result" },
      el("thead", {}, el("tr", {}, result.columns.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, result.rows.map((row) => el("tr", {}, row.map((v) => el("td", {}, cell(v))))))));
}

function columnsOf(result) {
  const text = result.columns.findIndex((_, i) => result.rows.some((r) => typeof r[i] === "string"));
  const number = result.columns.findIndex((_, i) => result.rows.length && result.rows.every((r) => typeof r[i] === "number"));
  return { text, number };
}

function bars(result) {
  const { text, number } = columnsOf(result);
  if (text < 0 || number < 0) return el("p", { class: "muted" }, "A bar chart needs a text column and a number column.");
  const data = result.rows.map((r) => ({ name: String(r[text]), value: r[number] }));
  const chart = Plot.plot({
    width: 520, height: 30 + data.length * 20, marginLeft: 160, x: { label: result.columns[number], grid: true }, y: { label: null },
    marks: [Plot.barX(data, { x: "value", y: "name", fill: "#0b5cad" }), Plot.ruleX([0])],
  });
  const svg = chart.querySelector ? chart.querySelector("svg") || chart : chart;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", data.map((d) => `${d.name} ${d.value}`).join(", ").slice(0, 600));
  svg.querySelectorAll("g[aria-label], g[aria-description]").forEach((g) => { g.removeAttribute("aria-label"); g.removeAttribute("aria-description"); });
  return chart;
}

async function map(result) {
  const code = result.columns.findIndex((_, i) => result.rows.length && result.rows.every((r) => typeof r[i] === "string" && NUTS.test(r[i])));
  const { number } = columnsOf(result);
  if (code < 0 || number < 0) return el("p", { class: "muted" }, "A map needs a column of NUTS codes and a number column.");
  const values = new Map(result.rows.map((r) => [r[code], r[number]]));
  const level = Math.min(Math.max(result.rows[0][code].length - 2, 0), 2);
  const geo = await fetch(`/geo/nuts2024_rg_20m_level${level}.geojson`).then((r) => r.json());
  const width = 520, height = 440;
  const projection = d3.geoAzimuthalEqualArea().rotate([-10, -52]).fitSize([width, height], geo);
  const path = d3.geoPath(projection);
  const max = Math.max(...values.values(), 1);
  const colour = d3.scaleSequential(d3.interpolateBlues).domain([0, max]);
  const svg = d3.create("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("role", "img")
    .attr("aria-label", `${result.columns[number]} by region: ` + [...values].map(([k, v]) => `${k} ${v}`).join(", ").slice(0, 500));
  svg.selectAll("path").data(geo.features).join("path").attr("d", path).attr("class", "region")
    .attr("data-nuts", (f) => f.properties.id)
    .attr("fill", (f) => (values.has(f.properties.id) ? colour(values.get(f.properties.id)) : "#eef0f3"))
    .attr("stroke", "#fff").attr("stroke-width", 0.3);
  return el("figure", { class: "chart" }, svg.node(), el("figcaption", { class: "muted" }, "© EuroGeographics for the administrative boundaries"));
}

function graph(result) {
  const nodes = new Map(), edges = new Map();
  const visit = (v) => {
    if (v === null || typeof v !== "object") return;
    if (Array.isArray(v)) { v.forEach(visit); return; }
    if (v._type === "node") nodes.set(v._id, v);
    else if (v._type === "relationship") edges.set(v._id, v);
    else if (v._type === "path") { v.nodes.forEach(visit); v.relationships.forEach(visit); }
  };
  result.rows.forEach((r) => r.forEach(visit));
  const box = el("div", { class: "graph", style: "height: 360px", role: "img", "aria-label": `${nodes.size} nodes and ${edges.size} relationships` });
  requestAnimationFrame(() => {
    const cy = cytoscape({
      container: box,
      elements: [...nodes.values()].map((n) => ({ data: { id: "n" + n._id, label: String(n.properties.name ?? n.properties.id ?? n.properties.nuts ?? "") } }))
        .concat([...edges.values()].filter((e) => nodes.has(e._start) && nodes.has(e._end))
          .map((e) => ({ data: { id: "e" + e._id, source: "n" + e._start, target: "n" + e._end } }))),
      style: [{ selector: "node", style: { label: "data(label)", "font-size": 8, width: 14, height: 14, "background-color": "#0b5cad" } },
        { selector: "edge", style: { width: 1, "line-color": "#9aa7b5" } }],
      layout: { name: "cose", animate: false },
    });
    box.dataset.nodes = String(cy.nodes().length);
  });
  return box;
}

async function draw(container, panel, index, params) {
  const response = await fetch(`/dashboards/${encodeURIComponent(key)}/run`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ panel: index, params }),
  });
  const result = await response.json();
  if (!response.ok) {
    container.replaceChildren(el("p", { class: "error", role: "alert" }, result.error?.message || `the server answered ${response.status}`));
    return;
  }
  const view = panel.view === "bar" ? bars(result) : panel.view === "map" ? await map(result) : panel.view === "graph" ? graph(result) : table(result);
  container.replaceChildren(view, el("p", { class: "muted" }, `${result.rows.length} rows`));
  container.dataset.rows = String(result.rows.length);
}

async function main() {
  const response = await fetch(`/dashboards/${encodeURIComponent(key)}/data`);
  const board = await response.json();
  if (!response.ok) {
    $("panels").replaceChildren(el("p", { class: "error", role: "alert" }, board.error?.message || "no such dashboard"));
    document.body.dataset.ready = "true";
    return;
  }
  $("title").textContent = board.name;
  document.title = `${board.name} · clusterkg`;
  $("description").textContent = board.description || "";
  const defaults = {};
  for (const panel of board.panels) {
    for (const m of (panel.query || "").matchAll(PARAM_NAME)) {
      const saved = panel.params?.[m[1]];
      if (defaults[m[1]] === undefined || (defaults[m[1]] === "" && saved !== undefined)) defaults[m[1]] = saved ?? "";
    }
  }
  const inputs = Object.entries(defaults).map(([name, value]) => {
    const input = el("input", { id: `select-${name}`, name, value: typeof value === "string" ? value : JSON.stringify(value) });
    return [name, input];
  });
  const form = $("selectors");
  form.hidden = !inputs.length;
  form.replaceChildren(...inputs.map(([name, input]) => el("div", { class: "field" }, el("label", { for: input.id }, "$" + name), input)),
    el("button", { type: "submit" }, "Show"));
  const boxes = board.panels.map((panel, i) => {
    const body = el("div", { class: "panel-body", "data-view": panel.view }, el("p", { class: "busy" }, "Loading…"));
    return [panel, body, el("section", { class: "card panel", "data-panel": String(i) }, el("h2", {}, panel.title), body)];
  });
  $("panels").replaceChildren(...boxes.map(([, , section]) => section));
  const values = () => Object.fromEntries(inputs.map(([name, input]) => {
    try { return [name, JSON.parse(input.value)]; } catch (e) { return [name, input.value]; }
  }));
  const refresh = async () => {
    document.body.dataset.ready = "false";
    await Promise.all(boxes.map(([panel, body], i) => (panel.missing ? body.replaceChildren(el("p", { class: "muted" }, "This saved query was deleted.")) : draw(body, panel, i, values()))));
    document.body.dataset.ready = "true";
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  await refresh();
}

main();
