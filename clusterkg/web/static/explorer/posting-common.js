// What the postings pages share: labels of kinds and statuses, the competence list for the forms.

import { el, gql } from "./common.js";

export const KINDS = { REQUEST: "Request", RD_REQUEST: "R&D request", OFFER: "Offer" };

export function kindLabel(kind) {
  return KINDS[kind] || kind;
}

export function statusLabel(status) {
  return status.charAt(0) + status.slice(1).toLowerCase();
}

/** Every competence of the taxonomy ({id, name}), by name (two pages of the API's 100). */
export async function competenceOptions() {
  const query = `query($offset: Int!) { competences(first: 100, offset: $offset) { id name } }`;
  const found = [];
  for (let offset = 0; ; offset += 100) {
    const page = (await gql(query, { offset })).competences;
    found.push(...page);
    if (page.length < 100) break;
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

const DECIDE = {
  accept: `mutation($id: ID!) { acceptInterest(id: $id) { id status } }`,
  decline: `mutation($id: ID!) { declineInterest(id: $id) { id status } }`,
};

/** Interests with Accept and Decline for the pending ones (the posting page and the inbox); onDecided redraws. */
export function interestTable(interests, onDecided) {
  const rows = interests.map((i) => {
    const cell = el("td", {});
    if (i.status === "PENDING") {
      for (const [verb, label] of [["accept", "Accept"], ["decline", "Decline"]]) {
        const button = el("button", { type: "button", class: verb, "data-interest": i.id }, label);
        button.addEventListener("click", async () => {
          try {
            await gql(DECIDE[verb], { id: i.id });
            onDecided();
          } catch (error) {
            cell.textContent = `${error.message} (${error.code})`;
          }
        });
        cell.append(button, " ");
      }
    } else cell.textContent = statusLabel(i.status);
    return el("tr", { class: "interest" }, el("td", {}, el("a", { href: `/cluster/${encodeURIComponent(i.clusterId)}` }, i.cluster?.name || i.clusterId)),
      el("td", {}, i.postingTitle ? el("a", { href: `/posting/${encodeURIComponent(i.postingId)}` }, i.postingTitle) : null, i.message || ""), el("td", {}, i.at.slice(0, 10)), cell);
  });
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Interests" },
    el("table", { id: "interests" }, el("thead", {}, el("tr", {}, ["cluster", "message", "when", "decision"].map((h) => el("th", { scope: "col" }, h)))), el("tbody", {}, rows)));
}
