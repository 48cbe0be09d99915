// The analyst page's parameters panel (one field per $parameter of the query, kept in step with the JSON box)
// and the graph view as PNG or SVG. A classic script after analyst.js: it uses that page's editor, state and $.

const PARAM_NAME = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The query's $parameters in order of first use, leaving out string literals and comments. */
function parameterNames(text) {
  const code = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, " ").replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''");
  return [...new Set([...code.matchAll(PARAM_NAME)].map((m) => m[1]))];
}

function currentParams() {
  try {
    const value = JSON.parse($("params").value.trim() || "{}");
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch (e) {
    return null;
  }
}

/** A field's text as a value: JSON when it reads as JSON (numbers, true, lists, quoted text), else the text itself. */
function fieldValue(text) {
  try { return JSON.parse(text); } catch (e) { return text; }
}

function fieldText(value) {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function renderParamsPanel() {
  const panel = $("params-panel");
  const names = parameterNames(editor.getValue());
  const params = currentParams();
  panel.hidden = !names.length;
  const existing = new Map([...panel.querySelectorAll("input")].map((i) => [i.dataset.name, i]));
  if (names.length === existing.size && names.every((n) => existing.has(n))) {
    // same fields: refresh the values the JSON box holds, keeping the focus where it is
    for (const [name, input] of existing) if (document.activeElement !== input && params) input.value = fieldText(params[name]);
    return;
  }
  panel.replaceChildren();
  for (const name of names) {
    const id = `param-${name}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "$" + name;
    const input = document.createElement("input");
    input.id = id;
    input.dataset.name = name;
    input.placeholder = "text, 42, true or [\"a\", \"b\"]";
    input.value = params ? fieldText(params[name]) : "";
    input.addEventListener("input", () => {
      const next = currentParams() || {};
      if (input.value === "") delete next[name];
      else next[name] = fieldValue(input.value);
      $("params").value = JSON.stringify(next, null, 1);
    });
    panel.append(label, input);
  }
}

let panelTimer = null;
editor.on("change", () => { clearTimeout(panelTimer); panelTimer = setTimeout(renderParamsPanel, 150); });
$("params").addEventListener("input", renderParamsPanel);

// ---------------------------------------------------------------- the graph as PNG or SVG

function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);
}

/** The drawn graph as SVG: the nodes where the layout put them, with their colours and labels, and the edges. */
function graphSvg(cy) {
  const box = cy.elements().boundingBox();
  const pad = 30;
  const width = Math.ceil(box.w + 2 * pad), height = Math.ceil(box.h + 2 * pad);
  const at = (p) => [p.x - box.x1 + pad, p.y - box.y1 + pad];
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`];
  cy.edges().forEach((edge) => {
    const [x1, y1] = at(edge.source().position()), [x2, y2] = at(edge.target().position());
    parts.push(`<line class="edge" x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="#9aa7b5" stroke-width="1.4"><title>${escapeXml(edge.data("label") || "")}</title></line>`);
  });
  cy.nodes().forEach((node) => {
    const [x, y] = at(node.position());
    parts.push(`<g class="node"><circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="9" fill="${escapeXml(node.data("colour"))}"/>` +
      `<text x="${x.toFixed(1)}" y="${(y + 20).toFixed(1)}" font-size="9" text-anchor="middle" fill="#1b1f24">${escapeXml(node.data("label"))}</text></g>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

function setGraphDownloads() {
  const drawn = Boolean(state.cy && state.cy.nodes().length && state.view === "graph");
  $("download-png").disabled = !drawn;
  $("download-svg").disabled = !drawn;
}

$("download-png").addEventListener("click", () => {
  const blob = state.cy.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "graph.png";
  document.body.appendChild(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 0);
});
$("download-svg").addEventListener("click", () => download("graph.svg", "image/svg+xml", graphSvg(state.cy)));
new MutationObserver(setGraphDownloads).observe($("graph"), { childList: true, subtree: true });
$("view-table").addEventListener("click", setGraphDownloads);
$("view-graph").addEventListener("click", setGraphDownloads);
renderParamsPanel();
