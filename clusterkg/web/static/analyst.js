// The analyst page. Safety lives on the server (POST /cypher/run): this script only
// edits, sends, and shows. No build step: CodeMirror 5 and cytoscape.js are vendored.
"use strict";

const MAX_GRAPH_NODES = 300;
const HISTORY_KEY = "clusterkg.cypher.history";
const HISTORY_SIZE = 50;
const KEYWORDS = ("MATCH OPTIONAL WHERE RETURN WITH UNWIND ORDER BY SKIP LIMIT DISTINCT AS AND OR NOT IN " +
  "STARTS ENDS CONTAINS IS NULL COUNT COLLECT CASE WHEN THEN ELSE END EXISTS CALL YIELD UNION ALL ASC DESC " +
  "EXPLAIN PROFILE size labels type properties toLower toUpper coalesce sum avg min max").split(" ");

const state = { result: null, sort: null, view: "table", cy: null, schema: null, errorMark: null };
const $ = (id) => document.getElementById(id);

const editor = CodeMirror.fromTextArea($("query"), {
  mode: "cypher",
  lineNumbers: true,
  viewportMargin: Infinity,
  extraKeys: { "Ctrl-Enter": () => run(), "Cmd-Enter": () => run(), "Ctrl-Space": "autocomplete" },
  hintOptions: { hint: cypherHint, completeSingle: false },
});
window.clusterkgEditor = editor; // for scripts and tests driving the page

// ---------------------------------------------------------------- completion

// Served beyond loopback, the Cypher endpoints want an analyst token: asked for once, kept for this tab.
const TOKEN_KEY = "clusterkg-analyst-token";
let tokenQuestion = null; // one prompt, however many requests are refused at once

function askToken() {
  tokenQuestion ??= Promise.resolve().then(() => {
    const token = window.prompt("This server needs an analyst token for Cypher (ask its administrator):");
    if (token) sessionStorage.setItem(TOKEN_KEY, token.trim());
    tokenQuestion = null;
  });
  return tokenQuestion;
}

async function analystFetch(url, options = {}) {
  const send = () => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = { ...(options.headers || {}) };
    if (token) headers.Authorization = "Bearer " + token;
    return [token, fetch(url, { ...options, headers })];
  };
  let [used, pending] = send();
  let response = await pending;
  if (response.status === 401) {
    if (sessionStorage.getItem(TOKEN_KEY) === used) await askToken();
    if (sessionStorage.getItem(TOKEN_KEY) !== used) response = await send()[1];
  }
  return response;
}

function cypherHint(cm) {
  const cursor = cm.getCursor();
  const line = cm.getLine(cursor.line);
  let start = cursor.ch;
  while (start > 0 && /[\w]/.test(line.charAt(start - 1))) start--;
  const word = line.slice(start, cursor.ch);
  const before = line.charAt(start - 1);
  const schema = state.schema || { labels: [], relationships: [], propertyKeys: [] };
  let words;
  if (before === ":") {
    words = schema.labels.map((l) => l.label).concat(schema.relationships.map((r) => r.type));
  } else if (before === ".") {
    words = schema.propertyKeys;
  } else {
    words = KEYWORDS.concat(schema.labels.map((l) => l.label), schema.propertyKeys);
  }
  const lower = word.toLowerCase();
  const list = [...new Set(words)].filter((w) => w.toLowerCase().startsWith(lower)).sort();
  return { list, from: CodeMirror.Pos(cursor.line, start), to: CodeMirror.Pos(cursor.line, cursor.ch) };
}

editor.on("inputRead", (cm, change) => {
  if (change.text.length === 1 && /^[:.]$/.test(change.text[0])) cm.showHint({ hint: cypherHint, completeSingle: false });
});

// ---------------------------------------------------------------- running

function readParams() {
  const text = $("params").value.trim() || "{}";
  let params;
  try {
    params = JSON.parse(text);
  } catch (e) {
    throw new Error("Parameters are not valid JSON: " + e.message);
  }
  if (params === null || typeof params !== "object" || Array.isArray(params)) throw new Error("Parameters must be a JSON object, such as {\"nuts\": \"ITF5\"}");
  return params;
}

async function run(prefix = "") {
  clearError();
  let params;
  try {
    params = readParams();
  } catch (e) {
    showError({ code: "PARAMS", message: e.message });
    return;
  }
  const query = prefix + editor.getValue();
  const seconds = Math.max(1, Math.round(Number($("timeout").value) || 10));
  $("status").textContent = "running…";
  $("run").disabled = true;
  let response, body;
  try {
    response = await analystFetch("/cypher/run", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query, params, timeoutMs: seconds * 1000 }),
    });
    body = await response.json();
  } catch (e) {
    showError({ code: "NETWORK", message: "The server did not answer: " + e.message });
    $("run").disabled = false;
    return;
  }
  $("run").disabled = false;
  if (!response.ok) {
    showError(body.error || { code: "HTTP " + response.status, message: "unexpected answer" });
    return;
  }
  remember(editor.getValue(), $("params").value);
  shareState();
  show(body);
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
  if (state.errorMark) { state.errorMark.clear(); state.errorMark = null; }
}

function showError(error) {
  const where = error.line ? ` (line ${error.line}, column ${error.column})` : "";
  $("error").textContent = `${error.code}: ${error.message}${where}`;
  $("error").dataset.code = error.code;
  $("error").hidden = false;
  $("status").textContent = "not run";
  if (error.line) {
    const line = error.line - 1;
    const ch = Math.max(0, (error.column || 1) - 1);
    state.errorMark = editor.markText(CodeMirror.Pos(line, ch), CodeMirror.Pos(line, ch + 1), { className: "cm-error-mark" });
    editor.setCursor(CodeMirror.Pos(line, ch));
  }
}

function show(result) {
  state.result = result;
  state.sort = null;
  $("engine").textContent = result.engine ? "on " + result.engine : "";
  const plan = $("plan");
  if (result.plan) {
    plan.textContent = result.plan.join("\n");
    plan.hidden = false;
    $("table-view").hidden = $("graph-view").hidden = true;
    $("status").textContent = result.mode === "profile" ? "profile (the query ran; row counts per operation)" : "plan (the query did not run)";
    setDownloads(false);
    $("note").hidden = true;
    return;
  }
  plan.hidden = true;
  const rows = result.rowCount === 1 ? "1 row" : `${result.rowCount} rows`;
  $("status").textContent = `${rows} in ${result.elapsedMs} ms`;
  const note = $("note");
  note.hidden = !result.truncated;
  note.textContent = result.truncated ? `Only the first ${result.maxRows} rows are shown: the server caps results. Add a LIMIT, or aggregate.` : "";
  setDownloads(true);
  renderTable();
  setView(state.view);
}

function setDownloads(enabled) {
  $("download-csv").disabled = !enabled;
  $("download-json").disabled = !enabled;
}

// ---------------------------------------------------------------- table

function cellText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object" && !Array.isArray(value)) {
    if (value._type === "node") {
      const p = value.properties || {};
      const key = p.id ?? p.nuts ?? p.code ?? value._id;
      return `(:${value._labels.join(":")} ${key})`;
    }
    if (value._type === "relationship") return `[:${value._rel_type}]`;
    if (value._type === "path") return `path of ${value.relationships.length} relationships`;
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function sortedRows() {
  const rows = state.result.rows.slice();
  if (!state.sort) return rows;
  const { index, direction } = state.sort;
  const key = (row) => row[index];
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    const compared = typeof x === "number" && typeof y === "number" ? x - y : cellText(x).localeCompare(cellText(y));
    return compared * direction;
  });
  return rows;
}

function renderTable() {
  const table = $("result-table");
  table.textContent = "";
  const result = state.result;
  const head = table.createTHead().insertRow();
  result.columns.forEach((column, index) => {
    const th = document.createElement("th");
    th.textContent = column;  // the sort arrow is CSS, so the text stays the column's name (as in the CSV)
    if (state.sort && state.sort.index === index) th.className = state.sort.direction > 0 ? "sorted-asc" : "sorted-desc";
    th.title = "sort";
    th.addEventListener("click", () => {
      const direction = state.sort && state.sort.index === index ? -state.sort.direction : 1;
      state.sort = { index, direction };
      renderTable();
    });
    head.appendChild(th);
  });
  const body = table.createTBody();
  for (const row of sortedRows()) {
    const tr = body.insertRow();
    row.forEach((value) => {
      const td = tr.insertCell();
      td.textContent = cellText(value);
      if (value === null) td.className = "null";  // shown as "null" by CSS; empty in the text and the CSV
      else if (typeof value === "number") td.className = "num";
    });
  }
}

// ---------------------------------------------------------------- graph

function collectGraph(rows) {
  const nodes = new Map(), edges = new Map();
  const visit = (value) => {
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) { value.forEach(visit); return; }
    if (value._type === "node") { nodes.set(value._id, value); return; }
    if (value._type === "relationship") { edges.set(value._id, value); return; }
    if (value._type === "path") { value.nodes.forEach(visit); value.relationships.forEach(visit); return; }
    Object.values(value).forEach(visit);
  };
  rows.forEach((row) => row.forEach(visit));
  return { nodes, edges };
}

const PALETTE = ["#1f6feb", "#d1242f", "#1a7f37", "#8250df", "#bf8700", "#0a7ea4", "#cf222e", "#6e7781", "#e16f24", "#116329"];
function colour(label) {
  let hash = 0;
  for (const c of label) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

function renderGraph() {
  const { nodes, edges } = collectGraph(state.result.rows);
  const shown = [...nodes.values()].slice(0, MAX_GRAPH_NODES);
  const ids = new Set(shown.map((n) => n._id));
  const drawn = [...edges.values()].filter((e) => ids.has(e._start) && ids.has(e._end));
  const elements = shown.map((n) => {
    const p = n.properties || {};
    const label = n._labels[0] || "";
    return { data: { id: "n" + n._id, label: String(p.name ?? p.id ?? p.nuts ?? p.code ?? label), kind: label, colour: colour(label) } };
  }).concat(drawn.map((e) => ({ data: { id: "e" + e._id, source: "n" + e._start, target: "n" + e._end, label: e._rel_type } })));
  const notes = [];
  if (!nodes.size) notes.push("No nodes in this result: return nodes, relationships or paths (e.g. RETURN c, r, x) to draw them.");
  if (nodes.size > shown.length) notes.push(`${shown.length} of ${nodes.size} nodes drawn.`);
  if (edges.size > drawn.length) notes.push(`${edges.size - drawn.length} relationships whose end nodes are not in the result are not drawn.`);
  $("graph-note").textContent = notes.join(" ");
  $("graph-note").hidden = !notes.length;
  if (state.cy) state.cy.destroy();
  state.cy = cytoscape({
    container: $("graph"),
    elements,
    style: [
      { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 9, color: "#1b1f24", "text-valign": "bottom", "text-margin-y": 3, width: 18, height: 18 } },
      { selector: "edge", style: { width: 1.4, "line-color": "#9aa7b5", "target-arrow-color": "#9aa7b5", "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(label)", "font-size": 7, color: "#6b7785" } },
    ],
    layout: { name: elements.length > 150 ? "grid" : "cose", animate: false },
  });
  window.clusterkgGraph = state.cy;
}

function setView(view) {
  state.view = view;
  $("view-table").classList.toggle("active", view === "table");
  $("view-graph").classList.toggle("active", view === "graph");
  $("view-table").setAttribute("aria-selected", view === "table");
  $("view-graph").setAttribute("aria-selected", view === "graph");
  if (!state.result || state.result.plan) return;
  $("table-view").hidden = view !== "table";
  $("graph-view").hidden = view !== "graph";
  if (view === "graph") renderGraph();
}

// ---------------------------------------------------------------- downloads, sharing, history

// A cell starting with = + - @ (or a tab or CR) is a formula to a spreadsheet: a leading ' keeps it text
// (OWASP's rule, as clusterkg/spreadsheet.py applies to every file the server writes). Numbers stay numbers.
function safeText(value, text) {
  return typeof value !== "number" && /^[=+\-@\t\r]/.test(text) ? "'" + text : text;
}

function csvField(text) {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function resultCsv() {
  const lines = [state.result.columns.map((c) => csvField(safeText(c, c))).join(",")];
  for (const row of sortedRows()) lines.push(row.map((v) => csvField(safeText(v, cellText(v)))).join(","));
  return lines.join("\r\n") + "\r\n";
}

function download(name, type, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  document.body.appendChild(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 0);
}

function shareState() {
  const url = new URL(window.location.href);
  url.searchParams.set("q", editor.getValue());
  url.searchParams.set("params", $("params").value);
  history.replaceState(null, "", url);
}

function remember(query, params) {
  const items = loadHistory().filter((h) => h.query !== query || h.params !== params);
  items.unshift({ query, params, at: new Date().toISOString() });
  localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_SIZE)));
  renderHistory();
}

function loadHistory() {
  try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { return []; }
}

function renderHistory() {
  const list = $("history");
  list.textContent = "";
  for (const item of loadHistory()) {
    const li = document.createElement("li");
    li.innerHTML = `<div class="desc"></div><div class="name"></div>`;
    li.querySelector(".desc").textContent = new Date(item.at).toLocaleString();
    li.querySelector(".name").textContent = item.query.length > 140 ? item.query.slice(0, 140) + "…" : item.query;
    li.addEventListener("click", () => { editor.setValue(item.query); $("params").value = item.params; });
    list.appendChild(li);
  }
}

// ---------------------------------------------------------------- side panels

async function loadLibrary() {
  const queries = await (await analystFetch("/cypher/library")).json();
  const list = $("library");
  for (const q of queries) {
    const li = document.createElement("li");
    li.className = "library-item";
    li.dataset.name = q.name;
    li.innerHTML = `<div class="name"></div><div class="desc"></div><div class="params-list"></div>`;
    li.querySelector(".name").textContent = q.name;
    li.querySelector(".desc").textContent = q.description;
    li.querySelector(".params-list").textContent = q.params.map((p) => `$${p.name}: ${p.type}`).join("  ");
    li.title = q.params.map((p) => `$${p.name} (${p.type}): ${p.description}`).join("\n");
    li.addEventListener("click", () => {
      editor.setValue(q.text);
      $("params").value = JSON.stringify(q.example || {}, null, 1);
      clearError();
      $("status").textContent = `loaded “${q.name}”: Ctrl+Enter runs it`;
    });
    list.appendChild(li);
  }
  $("library-filter").addEventListener("input", (event) => {
    const needle = event.target.value.toLowerCase();
    for (const li of list.children) li.hidden = !li.textContent.toLowerCase().includes(needle);
  });
}

async function loadSchema() {
  const schema = await (await analystFetch("/cypher/schema")).json();
  state.schema = schema;
  if (schema.syntheticNodes) {
    const banner = $("synthetic");
    banner.textContent = `This graph holds SYNTHETIC data: ${schema.syntheticNodes.toLocaleString("en")} nodes have synthetic = true (invented clusters, members, partnerships and exchanges for demos). Reference data (regions, categories, ecosystems, calls) is real.`;
    banner.hidden = false;
  }
  const box = $("schema");
  box.textContent = "";
  const group = (title, items, name, example) => {
    const section = document.createElement("div");
    section.className = "schema-group";
    section.innerHTML = `<h3></h3><ul></ul>`;
    section.querySelector("h3").textContent = title;
    for (const item of items) {
      const li = document.createElement("li");
      li.innerHTML = `<span class="count"></span><div class="name"></div><div class="keys"></div>`;
      li.querySelector(".count").textContent = item.count.toLocaleString("en");
      li.querySelector(".name").textContent = name(item);
      li.querySelector(".keys").textContent = item.properties.map((p) => `${p.key} ${p.count.toLocaleString("en")}`).join(" · ");
      li.title = item.description;
      li.addEventListener("click", () => editor.setValue(example(item)));
      section.querySelector("ul").appendChild(li);
    }
    box.appendChild(section);
  };
  group("Labels", schema.labels, (l) => ":" + l.label, (l) => `MATCH (n:${l.label})\nRETURN n LIMIT 25`);
  group("Relationship types", schema.relationships, (r) => "[:" + r.type + "]", (r) => `MATCH (a)-[r:${r.type}]->(b)\nRETURN a, r, b LIMIT 25`);
}

document.querySelectorAll(".tab").forEach((tab) => tab.addEventListener("click", () => {
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t === tab));
  document.querySelectorAll(".panel").forEach((p) => { p.hidden = p.id !== tab.dataset.panel; });
}));

// ---------------------------------------------------------------- wiring

$("run").addEventListener("click", () => run());
$("explain").addEventListener("click", () => run("EXPLAIN "));
$("view-table").addEventListener("click", () => setView("table"));
$("view-graph").addEventListener("click", () => setView("graph"));
$("download-csv").addEventListener("click", () => download("result.csv", "text/csv", resultCsv()));
$("download-json").addEventListener("click", () => download("result.json", "application/json",
  JSON.stringify(sortedRows().map((row) => Object.fromEntries(state.result.columns.map((c, i) => [c, row[i]]))), null, 2)));
$("share").addEventListener("click", async () => {
  shareState();
  try { await navigator.clipboard.writeText(window.location.href); $("status").textContent = "link copied"; }
  catch (e) { window.prompt("Copy this link:", window.location.href); }
});
document.addEventListener("keydown", (event) => {
  // Ctrl+Enter runs from the parameters box too (the editor handles its own)
  if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && !event.target.closest(".CodeMirror")) {
    event.preventDefault();
    run();
  }
});
$("clear-history").addEventListener("click", () => { localStorage.removeItem(HISTORY_KEY); renderHistory(); });

const shared = new URLSearchParams(window.location.search);
if (shared.has("q")) {
  editor.setValue(shared.get("q"));
  if (shared.has("params")) $("params").value = shared.get("params");
}
renderHistory();
Promise.all([loadLibrary(), loadSchema()]).then(() => {
  document.body.dataset.ready = "true";
  if (shared.has("q")) run();
});
