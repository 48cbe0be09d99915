// The moderators' queue: every change waiting for review, oldest first, as a diff of each field, with
// Approve and Reject (and a comment). A stale change (the profile moved since) is refused by the API: CONFLICT.

import { $, el, fill, gql, isModerator, me, showError } from "./common.js";

const QUEUE = `{ reviewQueue(first: 100) { id clusterId by at kind unmetRules fields { field before after } clusterName } }`;
const DECIDE = `mutation Decide($id: ID!, $decision: ReviewDecision!, $comment: String) {
  reviewChange(id: $id, decision: $decision, comment: $comment) { status revision }
}`;

function shown(value) {
  if (value === null || value === undefined || value === "") return el("span", { class: "muted" }, "(empty)");
  return Array.isArray(value) ? value.join(", ") : String(value);
}

function changeCard(change, refresh) {
  const comment = el("input", { type: "text", name: "comment", "aria-label": "Comment", placeholder: "Comment (optional)" });
  const status = el("p", { class: "muted", role: "status" });
  const decide = (decision) => async () => {
    try {
      const result = (await gql(DECIDE, { id: change.id, decision, comment: comment.value || null })).reviewChange;
      status.textContent = `${result.status}; the profile is at revision ${result.revision}.`;
      await refresh();
    } catch (error) {
      showError(status, error);
    }
  };
  return el("article", { class: "card change", "data-change": change.id },
    el("h3", {}, el("a", { href: `/cluster/${encodeURIComponent(change.clusterId)}` }, change.clusterName || change.clusterId)),
    el("p", { class: "muted" }, `${change.kind} change by ${change.by}, ${change.at.slice(0, 16).replace("T", " ")} UTC`),
    change.unmetRules.length ? el("p", {}, "Waits because the profile does not meet: ", change.unmetRules.join("; ")) : null,
    el("table", { class: "diff" },
      el("thead", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "before"), el("th", {}, "after"))),
      el("tbody", {}, change.fields.map((f) => el("tr", {}, el("th", { scope: "row" }, f.field), el("td", { class: "before" }, shown(f.before)), el("td", { class: "after" }, shown(f.after)))))),
    el("p", {}, comment, " ",
      el("button", { type: "button", class: "approve", onclick: decide("APPROVE") }, "Approve"), " ",
      el("button", { type: "button", class: "reject", onclick: decide("REJECT") }, "Reject")),
    status);
}

async function main() {
  const page = $("page");
  const account = await me();
  if (!isModerator(account)) {
    fill(page, el("p", { class: "lead" }, "The review queue is for moderators: ", el("a", { href: "/signin?next=/review" }, "sign in"), "."));
    document.body.dataset.ready = "true";
    return;
  }
  const list = el("div", { id: "queue" });
  const refresh = async () => {
    try {
      const queue = (await gql(QUEUE)).reviewQueue;
      fill(list, queue.length ? queue.map((c) => changeCard(c, refresh)) : el("p", { class: "muted", id: "queue-empty" }, "Nothing waits for review."));
    } catch (error) {
      showError(list, error);
    }
  };
  fill(page, el("p", { class: "lead" }, "Changes that wait for a moderator, oldest first. Approving publishes the change; a change whose fields moved since is refused."), list);
  await refresh();
  document.body.dataset.ready = "true";
}

main();
