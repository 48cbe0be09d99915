// What every explorer page shares: the GraphQL client, small DOM helpers, downloads.
// The pages are clients of the public /graphql API and nothing else (besides static files).

export const $ = (id) => document.getElementById(id);

/** An element with properties (class, text, attributes, on* handlers) and children. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Replace a container's children, skipping null/false like el() does (replaceChildren would print "null"). */
export function fill(container, ...children) {
  container.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return container;
}

export class ApiError extends Error {
  constructor(message, code, extensions = {}) {
    super(message);
    this.code = code;
    this.extensions = extensions; // fields (field -> reason) for BAD_USER_INPUT, current for CONFLICT
  }
}

// The jobs are for analysts when the server is public: a token is asked for once and kept for
// this tab (the same key as the Cypher page, so one answer serves both).
const TOKEN_KEY = "clusterkg-analyst-token";
let tokenQuestion = null;

function askToken() {
  tokenQuestion ??= Promise.resolve().then(() => {
    const token = window.prompt("This server needs an analyst token for the matching jobs (ask its administrator):");
    if (token) sessionStorage.setItem(TOKEN_KEY, token.trim());
    tokenQuestion = null;
  });
  return tokenQuestion;
}

async function post(query, variables) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  let response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch (error) {
    throw new ApiError("The server did not answer: " + error.message, "NETWORK");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status} without JSON`, "HTTP_" + response.status);
  }
  return [token, body];
}

/** Run a GraphQL operation; its data, or an ApiError with the first error's message and code. */
export async function gql(query, variables = {}) {
  let [used, body] = await post(query, variables);
  const unauthorized = (b) => (b.errors || []).some((e) => e.extensions?.code === "UNAUTHORIZED");
  if (unauthorized(body)) {
    if (sessionStorage.getItem(TOKEN_KEY) === used) await askToken();
    if (sessionStorage.getItem(TOKEN_KEY) !== used) [used, body] = await post(query, variables);
  }
  if (body.errors?.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code || "ERROR", first.extensions || {});
  }
  return body.data;
}

/** The banner a page shows while the graph holds SYNTHETIC demo data. */
export function syntheticBanner(synthetic) {
  const banner = $("synthetic");
  if (!banner) return;
  banner.hidden = !synthetic;
  banner.textContent = synthetic
    ? "SYNTHETIC DATA: the clusters, organisations, partnerships and exchanges in this graph are invented for a demo. Regions, cohesion categories, GDP, ecosystems and calls are real, with their sources."
    : "";
}

export function showError(container, error) {
  container.replaceChildren(el("p", { class: "error", role: "alert" }, error instanceof ApiError ? `${error.message} (${error.code})` : String(error.message || error)));
}

/** Save a FileDownload (base64 from the API) under its own name. */
export function saveFile(file) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mediaType }));
  const link = el("a", { href: url, download: file.filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A table from column labels and rows of cells (strings, numbers or nodes). */
export function table(columns, rows, { caption, numeric = [] } = {}) {
  // focusable, so that a table wider than a phone can be scrolled from the keyboard (axe: scrollable-region-focusable)
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption || columns.join(", ") },
    el("table", {},
      caption ? el("caption", {}, caption) : null,
      el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, rows.map((row) => el("tr", {}, row.map((cell, i) => el("td", { class: numeric.includes(i) ? "num" : null }, cell ?? "")))))));
}

/** The loaders' row-level report as a table: file, row, field, value, reason. */
export function issuesTable(issues, caption) {
  return table(["file", "row", "field", "value", "reason", "severity"],
    issues.map((i) => [i.source, String(i.row), i.field, i.value ?? "", i.reason, i.severity]), { caption, numeric: [1] });
}

export const CATEGORIES = {
  LESS_DEVELOPED: { label: "Less developed", color: "#c4501b" },
  TRANSITION: { label: "Transition", color: "#7a5fb0" },
  MORE_DEVELOPED: { label: "More developed", color: "#1b7f6a" },
};
export const NO_DATA = "#d6d9de";

export function categoryLabel(value) {
  return CATEGORIES[value]?.label || (value ? value.toLowerCase().replace("_", " ") : "unknown");
}

export function number(value, digits = 0) {
  return value === null || value === undefined ? "–" : Number(value).toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Read a File as base64 (for UploadedFile). */
export function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function setBusy(container, text) {
  container.replaceChildren(el("p", { class: "busy", role: "status" }, text));
}

/** The signed-in account ({email, roles, clusters}) or null; asked once per page. */
let signedIn = null;
export function me() {
  signedIn ??= gql("{ me { email roles clusters } }").then((data) => data.me).catch(() => null);
  return signedIn;
}

/** May the signed-in account edit this cluster (its editor, a moderator or an admin)? */
export function mayEdit(account, clusterId) {
  return Boolean(account && (account.clusters.includes(clusterId) || account.roles.includes("moderator") || account.roles.includes("admin")));
}

export function isModerator(account) {
  return Boolean(account && (account.roles.includes("moderator") || account.roles.includes("admin")));
}

/** The header's account link: "Sign in", or the account's e-mail with its review queue for moderators. */
async function accountLink() {
  const link = $("account");
  if (!link) return;
  const account = await me();
  if (!account) return;
  link.textContent = account.email;
  link.href = "/signin";
  link.title = "Signed in: roles " + account.roles.join(", ");
  if (isModerator(account)) link.parentElement.after(el("li", {}, el("a", { href: "/review", id: "review-link" }, "Review")));
}
accountLink();
