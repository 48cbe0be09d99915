// About: what the knowledge base holds, where the data comes from, and the ways in (pages, GraphQL, Cypher, CLI).

import { $, el, fill, gql, number, showError, syntheticBanner, table } from "./common.js";
import { ATTRIBUTION } from "./map.js";

const STATS = `query About { stats { nodes { label count } } overview { synthetic } calls { id programme title } }`;

async function main() {
  const page = $("page");
  fill(page, 
    el("p", { class: "lead" }, "clusterkg is an open-source knowledge graph of the European cluster ecosystem: cluster organisations, their members and competences, NUTS regions with their EU cohesion category, industrial ecosystems and value chains, European Strategic Cluster Partnerships and ClusterXchange exchanges."),
    el("h2", {}, "Ways in"),
    el("ul", { class: "plain" },
      el("li", {}, el("a", { href: "/" }, "Overview"), ": the map of regions and the figures at a glance."),
      el("li", {}, el("a", { href: "/directory" }, "Directory"), ": every cluster, with filters, its profile and complementary partners."),
      el("li", {}, el("a", { href: "/jobs" }, "Organisers' jobs"), ": B2B meeting schedules, ClusterXchange assignments and consortium proposals from your files."),
      el("li", {}, el("a", { href: "/graphql" }, "GraphQL"), ": the API these pages use, with GraphiQL and example operations."),
      el("li", {}, el("a", { href: "/cypher" }, "Cypher"), ": read-only queries for analysts, with the query library and the schema.")),
    el("h2", {}, "Data and sources"),
    el("p", {}, "Reference data is real and shipped with its sources and licences (clusterkg/data/reference/SOURCES.md): NUTS 2024 regions and their names (Eurostat), the 2021-2027 cohesion categories (Commission Implementing Decision (EU) 2021/1130), GDP per head in PPS (Eurostat), the 14 industrial ecosystems and the calls of the programmes. ",
      "Cluster-level data in a demo graph is SYNTHETIC and says so wherever it shows."),
    el("p", { id: "map-attribution" }, `Maps: ${ATTRIBUTION}. Boundaries: Eurostat GISCO, NUTS 2024, 1:20 million (clusterkg/data/geo/README.md).`),
    el("div", { id: "contents" }, el("p", { class: "busy" }, "Loading the graph's contents…")),
  );
  try {
    const data = await gql(STATS);
    syntheticBanner(data.overview.synthetic);
    fill($("contents"), 
      table(["label", "nodes"], data.stats.nodes.filter((n) => n.count).map((n) => [n.label, number(n.count)]), { caption: "What the graph holds", numeric: [1] }),
      table(["call", "programme", "title"], data.calls.map((c) => [c.id, c.programme || "", c.title || ""]), { caption: "Calls (reference data)" }));
  } catch (error) {
    showError($("contents"), error);
  }
  document.body.dataset.ready = "true";
}

main();
