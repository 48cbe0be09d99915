// Saved queries and dashboards, shared on the server (/cypher/saved): save the query in the editor, load one,
// delete your own, and make a dashboard of saved queries (table, bar chart, map by NUTS code, graph) whose link
// opens read-only. A classic script after analyst.js: it uses that page's editor, analystFetch and $.

const VIEWS = ["table", "bar", "map", "graph"];

function savedMessage(text, code) {
  const box = $("saved-status");
  box.textContent = text;
  box.dataset.code = code || "";
}

async function savedJson(url, options = {}) {
  const response = await analystFetch(url, { headers: { "Content-Type": "application/json" }, ...options });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = body.error || {};
    const fields = error.fields ? " (" + Object.entries(error.fields).map(([k, v]) => `${k}: ${v}`).join("; ") + ")" : "";
    throw Object.assign(new Error((error.message || `the server answered ${response.status}`) + fields), { code: error.code });
  }
  return body;
}

function item(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== null && text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

async function loadSaved() {
  let found;
  try {
    found = await savedJson("/cypher/saved");
  } catch (error) {
    savedMessage(error.message, error.code);
    return;
  }
  const list = $("saved-queries");
  list.replaceChildren();
  for (const q of found.queries) {
    const li = item("li", null, { class: "saved-item", "data-id": q.id });
    const open = item("button", q.name, { type: "button", class: "saved-open", title: q.description || q.query });
    open.addEventListener("click", () => { editor.setValue(q.query); $("params").value = JSON.stringify(q.params, null, 1); $("params").dispatchEvent(new Event("input")); });
    li.append(open, item("span", ` ${q.mine ? "yours" : "by " + q.owner}`, { class: "saved-owner" }));
    if (q.mine) {
      const remove = item("button", "delete", { type: "button", class: "saved-delete" });
      remove.addEventListener("click", async () => {
        try { await savedJson(`/cypher/saved/${encodeURIComponent(q.id)}`, { method: "DELETE" }); loadSaved(); }
        catch (error) { savedMessage(error.message, error.code); }
      });
      li.append(" ", remove);
    }
    const panel = item("label", null, { class: "saved-panel" });
    const pick = item("input", null, { type: "checkbox", class: "saved-pick", "data-id": q.id, "aria-label": `put ${q.name} on the dashboard` });
    const view = item("select", null, { class: "saved-view", "data-id": q.id, "aria-label": `how to show ${q.name}` });
    VIEWS.forEach((v) => view.append(item("option", v, { value: v })));
    panel.append(pick, " on a dashboard as ", view);
    li.append(panel);
    list.append(li);
  }
  const boards = $("saved-dashboards");
  boards.replaceChildren();
  for (const d of found.dashboards) {
    const link = item("a", d.name, { href: `/dashboards/${encodeURIComponent(d.key)}`, class: "dashboard-link", target: "_blank" });
    boards.append(item("li", null, {}));
    boards.lastChild.append(link, item("span", ` ${d.panels.length} panels, ${d.mine ? "yours" : "by " + d.owner}`));
  }
  $("saved-empty").hidden = found.queries.length > 0;
}

$("save-query").addEventListener("click", async () => {
  try {
    const params = JSON.parse($("params").value.trim() || "{}");
    const saved = await savedJson("/cypher/saved", {
      method: "POST",
      body: JSON.stringify({ name: $("save-name").value, description: $("save-description").value, query: editor.getValue(), params }),
    });
    savedMessage(`saved as "${saved.name}"`, "SAVED");
    loadSaved();
  } catch (error) {
    savedMessage(error.message, error.code);
  }
});

$("make-dashboard").addEventListener("click", async () => {
  const panels = [...document.querySelectorAll(".saved-pick:checked")].map((pick) => ({
    queryId: pick.dataset.id,
    view: document.querySelector(`.saved-view[data-id="${pick.dataset.id}"]`).value,
  }));
  try {
    const board = await savedJson("/cypher/dashboards", { method: "POST", body: JSON.stringify({ name: $("dashboard-name").value, panels }) });
    const url = new URL(`/dashboards/${encodeURIComponent(board.key)}`, location.href).href;
    savedMessage(`dashboard made: ${url}`, "DASHBOARD");
    $("saved-status").dataset.link = url;
    loadSaved();
  } catch (error) {
    savedMessage(error.message, error.code);
  }
});

document.querySelector(".tab[data-panel='saved-panel']").addEventListener("click", loadSaved);
loadSaved();
