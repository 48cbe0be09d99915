// "Edit this profile" for a cluster's editors and the moderators, and the profile's history for everyone.
// The form sends updateCluster with the revision the page read; the API's answer decides: published at once,
// waiting for a moderator, CONFLICT (someone changed it since: reload), or a message per field.

import { el, gql } from "./common.js";

const UPDATE = `mutation Update($id: ID!, $changes: ClusterChanges!, $revision: Int!) {
  updateCluster(id: $id, changes: $changes, revision: $revision) { status revision change { id unmetRules } }
}`;

// [API field, label, input type]: what an editor may change (clusterkg.changes.fields)
const FIELDS = [
  ["name", "Name", "text"], ["acronym", "Acronym", "text"], ["website", "Website", "url"], ["city", "City", "text"],
  ["founded", "Founded (year)", "number"], ["membersTotal", "Members in all", "number"], ["smeMembers", "SME members", "number"],
  ["largeMembers", "Large-company members", "number"], ["researchMembers", "Research members", "number"],
  ["managementFte", "Management staff (full-time equivalents)", "number"], ["clusterProgramme", "Regional or national cluster programme", "text"],
  ["contactName", "Contact name", "text"], ["contactEmail", "Contact e-mail", "email"], ["description", "Description", "textarea"],
];
const NUMBERS = new Set(["founded", "membersTotal", "smeMembers", "largeMembers", "researchMembers"]);

function valueOf(input, name) {
  const text = input.value.trim();
  if (text === "") return null;
  if (name === "managementFte") return Number(text);
  return NUMBERS.has(name) ? Math.trunc(Number(text)) : text;
}

export function editSection(cluster) {
  const inputs = {};
  const errors = {};
  const rows = FIELDS.map(([name, label, type]) => {
    const id = `edit-${name}`;
    const value = cluster[name] ?? "";
    const input = type === "textarea"
      ? el("textarea", { id, name, rows: 4 }, String(value))
      : el("input", { id, name, type, value: String(value), step: name === "managementFte" ? "0.1" : null });
    input.dataset.initial = String(value);
    inputs[name] = input;
    errors[name] = el("span", { class: "field-error error", id: `${id}-error`, role: "alert", hidden: true });
    input.setAttribute("aria-describedby", `${id}-error`);
    return el("div", { class: "field" }, el("label", { for: id }, label), input, errors[name]);
  });
  const status = el("p", { id: "edit-status", role: "status" });
  const form = el("form", { id: "edit-form", class: "card", hidden: true }, rows, el("button", { type: "submit" }, "Save changes"), status);
  const open = el("button", { type: "button", id: "edit-open" }, "Edit this profile");
  open.addEventListener("click", () => { form.hidden = !form.hidden; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    Object.values(errors).forEach((e) => { e.hidden = true; e.textContent = ""; });
    const changes = {};
    for (const [name, input] of Object.entries(inputs)) if (input.value !== input.dataset.initial) changes[name] = valueOf(input, name);
    if (!Object.keys(changes).length) {
      status.textContent = "Nothing changed.";
      return;
    }
    try {
      const result = (await gql(UPDATE, { id: cluster.id, changes, revision: cluster.revision })).updateCluster;
      status.dataset.status = result.status;
      status.textContent = result.status === "PUBLISHED"
        ? `Published: the profile is at revision ${result.revision}. Reload to see it.`
        : `Saved; it waits for a moderator before it is published${result.change.unmetRules.length ? " (the profile does not meet: " + result.change.unmetRules.join("; ") + ")" : ""}.`;
    } catch (error) {
      status.dataset.status = error.code;
      const fields = error.extensions?.fields || {};
      for (const [name, reason] of Object.entries(fields)) {
        if (errors[name]) { errors[name].textContent = reason; errors[name].hidden = false; }
      }
      status.textContent = error.code === "CONFLICT"
        ? "Someone changed this profile since you opened it: reload the page and make your change again."
        : error.code === "BAD_USER_INPUT" ? "Nothing was saved: correct the fields marked." : `${error.message} (${error.code})`;
    }
  });
  return el("section", { "aria-labelledby": "edit-h", id: "edit" }, el("h2", { id: "edit-h" }, "Your profile"),
    el("p", { class: "muted" }, `Revision ${cluster.revision}. Changes publish at once while the profile meets the publication rules; otherwise a moderator reviews them.`),
    open, form);
}

function shown(value) {
  if (value === null || value === undefined || value === "") return "(empty)";
  return Array.isArray(value) ? value.join(", ") : String(value);
}

export function historySection(history) {
  const body = history.length
    ? el("table", { id: "history" },
      el("thead", {}, el("tr", {}, ["when", "who", "field", "before", "after", "status"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, history.map((h) => el("tr", {}, el("td", {}, h.at.slice(0, 16).replace("T", " ")), el("td", {}, h.by), el("td", {}, h.field),
        el("td", {}, shown(h.before)), el("td", {}, shown(h.after)), el("td", {}, h.status.toLowerCase().replace("_", " "))))))
    : el("p", { class: "muted", id: "history-empty" }, "No change since it was loaded.");
  return el("section", { "aria-labelledby": "history-h" }, el("h2", { id: "history-h" }, "History"), body);
}
