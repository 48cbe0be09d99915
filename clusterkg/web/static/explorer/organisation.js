// Organisation profile: who it is, where, its clusters and competences, its EU projects and its most frequent partners.

import { $, CATEGORIES, categoryLabel, el, fill, gql, showError, syntheticBanner } from "./common.js";
import { PROJECT_FIELDS, projectsSection } from "./projects.js";

const PROFILE = `query Organisation($id: ID!) {
  organisation(id: $id) {
    id name kind synthetic
    region { nuts name category }
    clusters { id name }
    offers { id name }
    seeks { id name }
    ${PROJECT_FIELDS}
  }
}`;

const organisationId = decodeURIComponent(location.pathname.split("/").filter(Boolean).at(-1) || "");

async function main() {
  const page = $("page");
  let data;
  try {
    data = await gql(PROFILE, { id: organisationId });
  } catch (error) {
    showError(page, error);
    document.body.dataset.ready = "true";
    return;
  }
  const o = data.organisation;
  document.title = `${o.name} · clusterkg`;
  $("title").textContent = o.name;
  syntheticBanner(o.synthetic);
  const region = o.region;
  fill(page, el("div", { class: "grid" },
    el("section", { class: "card", "aria-labelledby": "about-h" }, el("h2", { id: "about-h" }, "About"),
      el("dl", { class: "facts" },
        el("dt", {}, "kind"), el("dd", {}, o.kind || "unknown"),
        el("dt", {}, "region"), el("dd", {}, region
          ? [el("a", { href: `/region/${encodeURIComponent(region.nuts)}` }, `${region.name} (${region.nuts})`), " ",
             region.category ? el("span", { class: "pill cat", style: `background:${CATEGORIES[region.category].color}` }, categoryLabel(region.category)) : ""]
          : "not placed in a region"),
        el("dt", {}, "member of"), el("dd", {}, o.clusters.length
          ? o.clusters.flatMap((c, i) => [i ? ", " : "", el("a", { href: `/cluster/${encodeURIComponent(c.id)}` }, c.name)])
          : "no cluster in the graph"))),
    el("section", { class: "card", "aria-labelledby": "competences-h" }, el("h2", { id: "competences-h" }, "Competences"),
      el("p", {}, el("strong", {}, "Offers: "), o.offers.map((c) => c.name).join(", ") || "none recorded"),
      el("p", {}, el("strong", {}, "Seeks: "), o.seeks.map((c) => c.name).join(", ") || "none recorded")),
    projectsSection(o, o.id)));
  document.body.dataset.ready = "true";
}

main();
