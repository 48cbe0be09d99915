// GraphiQL, served from this server (no CDN): the example operations of clusterkg/graphql/operations as tabs.
const operations = JSON.parse(document.getElementById("operations").textContent);
const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
const root = ReactDOM.createRoot(document.getElementById("graphiql"));
root.render(React.createElement(GraphiQL, {
  fetcher,
  defaultEditorToolsVisibility: true,
  // the first tab opens active; GraphiQL fills its variables editor from this prop, not from the tab
  variables: operations[0]?.variables,
  defaultTabs: operations.map((op) => ({ query: op.query, variables: op.variables })),
}));

// GraphiQL 3's markup fails a few accessibility rules (axe-core: unlabelled editors, tab buttons nested in
// role=tab items, low-contrast tab names). Mend them after each render, without touching its behaviour.
const EDITOR_LABELS = [
  [".graphiql-query-editor textarea", "GraphQL query"],
  [".graphiql-editor-tool .graphiql-editor:nth-of-type(1) textarea", "Variables (JSON)"],
  [".graphiql-editor-tool .graphiql-editor:nth-of-type(2) textarea", "Headers (JSON)"],
  [".result-window textarea", "Result"],
];

function mend() {
  for (const [selector, label] of EDITOR_LABELS) {
    document.querySelectorAll(selector).forEach((t) => t.getAttribute("aria-label") !== label && t.setAttribute("aria-label", label));
  }
  // a toolbar of buttons (the current one marked) instead of tabs that nest buttons
  document.querySelectorAll(".graphiql-tabs[role=tablist]").forEach((list) => list.setAttribute("role", "toolbar"));
  document.querySelectorAll(".graphiql-tab[role=tab]").forEach((item) => {
    item.setAttribute("role", "none");
    item.removeAttribute("aria-selected");
  });
  document.querySelectorAll(".graphiql-tab").forEach((item) => {
    const button = item.querySelector(".graphiql-tab-button");
    const current = item.classList.contains("graphiql-tab-active") ? "true" : "false";
    if (button && button.getAttribute("aria-current") !== current) button.setAttribute("aria-current", current);
  });
  document.querySelectorAll(".CodeMirror-scroll[tabindex='-1']").forEach((s) => s.setAttribute("tabindex", "0"));
}

let pending = false;
new MutationObserver(() => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; mend(); });
}).observe(document.getElementById("graphiql"), { subtree: true, childList: true, attributes: true, attributeFilter: ["role", "class", "tabindex"] });
