// Sign in: paste the token `clusterkg users add` printed (kept by the server as an HttpOnly session cookie,
// never in this page's storage), or use the deployment's identity provider when it has one.

import { $, el, fill, me } from "./common.js";

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error?.message || `the server answered ${response.status}`);
  return answer;
}

async function main() {
  const page = $("page");
  const account = await me();
  const providers = await fetch("/auth/providers").then((r) => (r.ok ? r.json() : { oidc: null })).catch(() => ({ oidc: null }));
  if (account) {
    const out = el("button", { type: "button", id: "sign-out" }, "Sign out");
    out.addEventListener("click", async () => { await post("/auth/logout", {}); location.href = "/"; });
    fill(page,
      el("p", { class: "lead", id: "signed-in" }, `Signed in as ${account.email} (${account.roles.join(", ")}).`),
      account.clusters.length ? el("p", {}, "You edit: ", account.clusters.map((id, i) => [i ? ", " : "", el("a", { href: `/cluster/${encodeURIComponent(id)}` }, id)])) : null,
      out);
    document.body.dataset.ready = "true";
    return;
  }
  const token = el("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: true });
  const refused = new URLSearchParams(location.search).get("error");
  const message = el("p", { id: "signin-error", class: "error", role: "alert", hidden: !refused }, refused || "");
  const form = el("form", { id: "signin-form", class: "card" },
    el("label", { for: "token" }, "Your token (from `clusterkg users add`, or a colleague who made you a co-editor)"), token,
    el("button", { type: "submit" }, "Sign in"), message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.hidden = true;
    try {
      await post("/auth/session", { token: token.value.trim() });
      location.href = new URLSearchParams(location.search).get("next") || "/signin";
    } catch (error) {
      message.textContent = error.message;
      message.hidden = false;
    }
  });
  fill(page,
    el("p", { class: "lead" }, "Cluster managers sign in to keep their cluster's profile true; moderators to review changes."),
    providers.oidc ? el("p", {}, el("a", { class: "button", id: "oidc-login", href: "/auth/login" }, `Sign in with ${providers.oidc}`)) : null,
    form);
  document.body.dataset.ready = "true";
}

main();
