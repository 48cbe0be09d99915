// The postings board: offers and requests of clusters, filtered by kind, the posting cluster's cohesion category
// and country, a competence (its broader and narrower ones count) and words. The filters live in the URL.

import { $, CATEGORIES, el, fill, gql, me, showError, syntheticBanner, table } from "./common.js";
import { competenceOptions, kindLabel, statusLabel } from "./posting-common.js";

const BOARD = `query Board($filter: PostingFilter, $sort: PostingSort!) {
  postings(filter: $filter, sort: $sort, first: 100) {
    totalCount
    edges { node { id kind title status deadline synthetic cluster { id name country { code } region { category } } competences { name } } }
  }
}`;

function readUrl() {
  const params = new URLSearchParams(location.search);
  return {
    kind: params.get("kind") || "", category: params.get("category") || "", country: params.get("country") || "",
    competence: params.get("competence") || "", q: params.get("q") || "", sort: params.get("sort") || "DEADLINE",
  };
}

function filterOf(state) {
  const filter = {};
  if (state.kind) filter.kinds = [state.kind];
  if (state.category) filter.regionCategories = [state.category];
  if (state.country) filter.countries = [state.country.toUpperCase()];
  if (state.competence) filter.competences = [state.competence];
  if (state.q) filter.text = state.q;
  return filter;
}

function select(id, label, options, value) {
  const input = el("select", { id, name: id }, options.map(([v, text]) => el("option", { value: v, selected: v === value ? true : null }, text)));
  return el("div", { class: "field" }, el("label", { for: id }, label), input);
}

async function main() {
  const page = $("page");
  const state = readUrl();
  try {
    const [account, competences, data] = await Promise.all([me(), competenceOptions(), gql(BOARD, { filter: filterOf(state), sort: state.sort })]);
    const form = el("form", { id: "board-filters", class: "card filters", method: "get", action: "/postings" },
      select("kind", "Kind", [["", "Any kind"], ["REQUEST", "Requests"], ["RD_REQUEST", "R&D requests"], ["OFFER", "Offers"]], state.kind),
      select("category", "Region category of the posting cluster", [["", "Any category"], ...Object.entries(CATEGORIES).map(([k, v]) => [k, v.label])], state.category),
      el("div", { class: "field" }, el("label", { for: "country" }, "Country (code)"), el("input", { id: "country", name: "country", value: state.country, size: 4, maxlength: 2 })),
      select("competence", "Competence (broader and narrower count)", [["", "Any competence"], ...competences.map((c) => [c.id, c.name])], state.competence),
      el("div", { class: "field" }, el("label", { for: "q" }, "Words"), el("input", { id: "q", name: "q", type: "search", value: state.q })),
      select("sort", "Order", [["DEADLINE", "Deadline soonest"], ["NEWEST", "Newest"], ["TITLE", "Title"]], state.sort),
      el("button", { type: "submit" }, "Show"));
    const found = data.postings.edges.map((e) => e.node);
    syntheticBanner(found.some((p) => p.synthetic));
    const rows = found.map((p) => [
      el("a", { href: `/posting/${encodeURIComponent(p.id)}` }, p.title), kindLabel(p.kind),
      p.cluster ? el("a", { href: `/cluster/${encodeURIComponent(p.cluster.id)}` }, p.cluster.name) : "",
      p.cluster?.country?.code || "", p.competences.map((c) => c.name).join(", "), p.deadline, statusLabel(p.status),
    ]);
    fill(page,
      el("p", { class: "lead" }, "What clusters offer and seek, for a time. A request you can answer also lifts its cluster in your partner search."),
      account && account.clusters.length ? el("p", {}, el("a", { class: "button", id: "post-new", href: "/postings/new" }, "Post a request or an offer"), " ", el("a", { href: "/inbox", id: "inbox-link" }, "Your inbox")) : null,
      form,
      el("p", { id: "board-count", role: "status" }, `${data.postings.totalCount} posting${data.postings.totalCount === 1 ? "" : "s"}`),
      rows.length ? table(["posting", "kind", "cluster", "country", "competences", "deadline", "status"], rows, { caption: "Postings" })
        : el("p", { class: "muted", id: "board-empty" }, "No posting matches these filters."));
  } catch (error) {
    showError(page, error);
  }
  document.body.dataset.ready = "true";
}

main();
