// "Post a request": a new posting of a cluster the signed-in editor edits. The API checks every field; its
// answer names the field and the reason, and nothing is written until all are right.

import { $, CATEGORIES, el, fill, gql, me, showError } from "./common.js";
import { KINDS, competenceOptions } from "./posting-common.js";

const CREATE = `mutation Create($cluster: ID!, $input: PostingInput!) { createPosting(clusterId: $cluster, input: $input) { id } }`;

function field(name, label, input) {
  const error = el("span", { class: "field-error error", id: `post-${name}-error`, role: "alert", hidden: true });
  input.setAttribute("aria-describedby", error.id);
  return [el("div", { class: "field" }, el("label", { for: input.id }, label), input, error), error];
}

async function main() {
  const page = $("page");
  try {
    const account = await me();
    if (!account || !account.clusters.length) {
      fill(page, el("p", { id: "post-signin" }, el("a", { href: "/signin?next=/postings/new" }, "Sign in"), " as the editor of a cluster to post."));
      document.body.dataset.ready = "true";
      return;
    }
    const competences = await competenceOptions();
    const inputs = {
      cluster: el("select", { id: "post-cluster" }, account.clusters.map((id) => el("option", { value: id }, id))),
      kind: el("select", { id: "post-kind" }, Object.entries(KINDS).map(([k, v]) => el("option", { value: k }, v))),
      title: el("input", { id: "post-title", maxlength: 200 }),
      text: el("textarea", { id: "post-text", rows: 5 }),
      competences: el("select", { id: "post-competences", multiple: true, size: 8 }, competences.map((c) => el("option", { value: c.id }, c.name))),
      deadline: el("input", { id: "post-deadline", type: "date" }),
      targetCategories: el("select", { id: "post-targetCategories", multiple: true, size: 3 }, Object.entries(CATEGORIES).map(([k, v]) => el("option", { value: k }, v.label))),
    };
    const labels = { cluster: "Cluster", kind: "Kind", title: "Title", text: "What you offer or seek", competences: "Competences (one or more)",
      deadline: "Open until", targetCategories: "For partners in (none: any region category)" };
    const errors = {};
    const rows = Object.entries(inputs).map(([name, input]) => {
      const [row, error] = field(name, labels[name], input);
      errors[name] = error;
      return row;
    });
    const status = el("p", { id: "post-status", role: "status" });
    const form = el("form", { id: "post-form", class: "card" }, rows, el("button", { type: "submit" }, "Publish"), status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      Object.values(errors).forEach((e) => { e.hidden = true; e.textContent = ""; });
      const chosen = (select) => [...select.selectedOptions].map((o) => o.value);
      const input = { kind: inputs.kind.value, title: inputs.title.value, text: inputs.text.value, competences: chosen(inputs.competences),
        deadline: inputs.deadline.value || null, targetCategories: chosen(inputs.targetCategories) };
      try {
        const created = (await gql(CREATE, { cluster: inputs.cluster.value, input })).createPosting;
        location.href = `/posting/${encodeURIComponent(created.id)}`;
      } catch (error) {
        status.dataset.status = error.code;
        for (const [name, reason] of Object.entries(error.extensions?.fields || {})) {
          if (errors[name]) { errors[name].textContent = reason; errors[name].hidden = false; }
        }
        status.textContent = error.code === "BAD_USER_INPUT" ? "Nothing was published: correct the fields marked." : `${error.message} (${error.code})`;
      }
    });
    fill(page, el("p", { class: "lead" }, "Say what your cluster seeks (or offers), until when, and for whom. Clusters that answer it will find it on the board and rank higher in your partner search."), form);
  } catch (error) {
    showError(page, error);
  }
  document.body.dataset.ready = "true";
}

main();
