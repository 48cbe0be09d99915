// Cluster profile and "Find complementary partners": the partnerSearch form, ranked partners with their
// reasons in plain words, the partners on the map, CSV/XLSX, and a link that reproduces the search.

import { $, CATEGORIES, categoryLabel, el, fill, gql, mayEdit, me, number, saveFile, setBusy, showError, syntheticBanner } from "./common.js";
import { editSection, historySection } from "./edit.js";
import { gdpChart } from "./charts.js";
import { drawMap } from "./map.js";
import { PROJECT_FIELDS, projectsSection } from "./projects.js";

const PROFILE = `query Profile($id: ID!) {
  cluster(id: $id) {
    id name acronym website city founded membersTotal smeMembers largeMembers researchMembers excellenceLabel description synthetic
    revision managementFte clusterProgramme contactName contactEmail
    history(first: 30) { changeId at by field before after status }
    country { code name }
    region { nuts name level category categorySource categoryIndex gdp { year ppsIndex }
             parent { nuts name category gdp { year ppsIndex } } }
    ecosystems { id name }
    offers { id name broader { name } }
    seeks { id name broader { name } }
    memberKinds { value count }
    partnerships { id name acronym start end }
    sentExchanges { id start topic host { id name } }
    hostedExchanges { id start topic sender { id name } }
    eccpRegistration { profileId since }
    ${PROJECT_FIELDS}
  }
  ecosystems { id name }
  weights: __type(name: "ScoreWeights") { inputFields { name defaultValue description } }
}`;
const PARTNERS = `query Partners($input: PartnerSearchInput!) {
  partnerSearch(input: $input) {
    score
    partner { ... on Cluster { id name synthetic country { code name } region { nuts name category centroid { lon lat } } } }
    explanation { sentences }
  }
}`;
const PARTNERS_FILE = `query PartnersFile($input: PartnerSearchInput!, $format: TableFormat!) { partnersFile(input: $input, format: $format) { filename mediaType rows base64 } }`;
const WEIGHT_LABELS = { need: "Meets your needs", reciprocity: "You meet theirs", valueChain: "Value-chain fit", overlap: "Penalty for overlap (competitors)", tie: "Penalty for existing ties", collaboration: "Worked together in EU projects (below 0: find new partners)" };
const RESULTS = 20;

const clusterId = decodeURIComponent(location.pathname.split("/").filter(Boolean).at(-1) || "");

function facts(pairs) {
  return el("dl", { class: "facts" }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

function competenceList(items, empty) {
  if (!items.length) return el("p", { class: "muted" }, empty);
  return el("ul", { class: "plain" }, items.map((c) => el("li", {}, c.name, c.broader.length ? el("span", { class: "muted" }, ` (a kind of ${c.broader.map((b) => b.name).join(", ")})`) : "")));
}

function categoryPill(category) {
  return category ? el("span", { class: "pill cat", style: `background:${CATEGORIES[category].color}` }, categoryLabel(category)) : el("span", { class: "muted" }, "category unknown");
}

function profileView(c) {
  const region = c.region;
  const gdpRegion = region && (region.gdp.length ? region : region.parent);
  const chart = el("div", {});
  const exchanges = [
    ...c.sentExchanges.map((x) => [x.start, "sent to", x.host, x.topic]),
    ...c.hostedExchanges.map((x) => [x.start, "hosted from", x.sender, x.topic]),
  ];
  const view = el("div", { class: "grid" },
    el("section", { class: "card", "aria-labelledby": "about-h" }, el("h2", { id: "about-h" }, "About"),
      c.description ? el("p", {}, c.description) : null,
      facts([
        ["acronym", c.acronym], ["country", c.country?.name], ["city", c.city], ["founded", c.founded],
        ["members", c.membersTotal === null ? null : number(c.membersTotal)],
        ["members by kind", c.memberKinds.map((k) => `${k.value} ${k.count}`).join(", ")],
        ["excellence label", c.excellenceLabel || "none"],
        ["ECCP registration", c.eccpRegistration ? `profile ${c.eccpRegistration.profileId || "?"}${c.eccpRegistration.since ? ", since " + c.eccpRegistration.since : ""}` : "not registered"],
        ["website", c.website ? el("a", { href: c.website, rel: "noopener noreferrer" }, c.website) : null],
        ["ecosystems", c.ecosystems.map((e) => e.name).join(", ")],
      ])),
    el("section", { class: "card", "aria-labelledby": "region-h" }, el("h2", { id: "region-h" }, "Region"),
      region ? el("p", {}, el("a", { href: `/region/${encodeURIComponent(region.nuts)}` }, `${region.name} (${region.nuts})`), " ", categoryPill(region.category)) : el("p", { class: "muted" }, "No region in the graph."),
      chart),
    el("section", { class: "card", "aria-labelledby": "offers-h" }, el("h2", { id: "offers-h" }, "Offers"), competenceList(c.offers, "No offers recorded.")),
    el("section", { class: "card", "aria-labelledby": "seeks-h" }, el("h2", { id: "seeks-h" }, "Seeks"), competenceList(c.seeks, "No needs recorded.")),
    el("section", { class: "card", "aria-labelledby": "partnerships-h" }, el("h2", { id: "partnerships-h" }, "Partnerships"),
      c.partnerships.length ? el("ul", { class: "plain" }, c.partnerships.map((p) => el("li", {}, p.name, p.acronym ? ` (${p.acronym})` : "", p.start ? el("span", { class: "muted" }, ` ${p.start} – ${p.end || ""}`) : ""))) : el("p", { class: "muted" }, "None.")),
    el("section", { class: "card", "aria-labelledby": "exchanges-h" }, el("h2", { id: "exchanges-h" }, "ClusterXchange exchanges"),
      exchanges.length ? el("ul", { class: "plain" }, exchanges.map(([start, verb, other, topic]) => el("li", {}, `${start || ""} ${verb} `,
        other ? el("a", { href: `/cluster/${encodeURIComponent(other.id)}` }, other.name) : "?", topic ? el("span", { class: "muted" }, ` · ${topic}`) : ""))) : el("p", { class: "muted" }, "None.")),
    projectsSection(c, c.id),
  );
  return [view, () => gdpRegion && gdpChart(chart, `GDP per head of ${gdpRegion.name}`, gdpRegion.gdp)];
}

// ---------------------------------------------------------------- the partner finder

function readSearch(weights) {
  const params = new URLSearchParams(location.search);
  const search = {
    run: params.has("find"), categories: params.getAll("category"), countries: params.get("countries") || "", ecosystems: params.getAll("ecosystem"),
    excludeTies: params.get("ties") !== "include", weights: {},
  };
  for (const w of weights) search.weights[w.name] = params.has(`w_${w.name}`) ? Number(params.get(`w_${w.name}`)) : Number(w.defaultValue);
  return search;
}

function searchInput(search) {
  const countries = search.countries.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
  return {
    seekerId: clusterId, first: RESULTS, excludeExistingPartners: search.excludeTies, weights: search.weights,
    regionCategories: search.categories.length ? search.categories : null, countries: countries.length ? countries : null,
    ecosystems: search.ecosystems.length ? search.ecosystems : null,
  };
}

function shareLink(search) {
  const params = new URLSearchParams({ find: "1" });
  for (const c of search.categories) params.append("category", c);
  if (search.countries) params.set("countries", search.countries);
  for (const e of search.ecosystems) params.append("ecosystem", e);
  if (!search.excludeTies) params.set("ties", "include");
  for (const [name, value] of Object.entries(search.weights)) params.set(`w_${name}`, String(value));
  return `${location.pathname}?${params}`;
}

function finderForm(search, ecosystems, weights, onSubmit) {
  const form = el("form", { id: "finder", "aria-labelledby": "finder-h" },
    el("fieldset", {}, el("legend", {}, "Partners' region category"),
      Object.entries(CATEGORIES).map(([value, c]) => el("label", {}, el("input", { type: "checkbox", name: "category", value, checked: search.categories.includes(value) }), " ", c.label))),
    el("div", { class: "field" }, el("label", { for: "countries" }, "Countries (codes, e.g. DE, PL; empty: all)"),
      el("input", { type: "text", id: "countries", name: "countries", value: search.countries, autocomplete: "off" })),
    el("details", {}, el("summary", {}, "Ecosystems"),
      el("fieldset", {}, el("legend", {}, "Partners active in"),
        el("div", { class: "facet-values" }, ecosystems.map((e) => el("label", {}, el("input", { type: "checkbox", name: "ecosystem", value: e.id, checked: search.ecosystems.includes(e.id) }), " ", e.name))))),
    el("label", {}, el("input", { type: "checkbox", name: "excludeTies", checked: search.excludeTies }), " Leave out clusters already tied to this one (shared partnership or exchange)"),
    el("details", {}, el("summary", {}, "Weights of the score"),
      weights.map((w) => {
        const output = el("output", { id: `out-${w.name}`, for: `w-${w.name}` }, number(search.weights[w.name], 1));
        return el("div", { class: "field" },
          el("label", { for: `w-${w.name}` }, `${WEIGHT_LABELS[w.name] || w.name}: `, output),
          el("input", { type: "range", id: `w-${w.name}`, name: `w_${w.name}`, min: w.name === "collaboration" ? "-3" : "0", max: "3", step: "0.1", value: String(search.weights[w.name]),
            oninput: (e) => { output.textContent = number(e.target.value, 1); } }));
      })),
    el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Find partners")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    search.categories = data.getAll("category");
    search.countries = String(data.get("countries") || "");
    search.ecosystems = data.getAll("ecosystem");
    search.excludeTies = data.get("excludeTies") !== null;
    for (const w of weights) search.weights[w.name] = Number(data.get(`w_${w.name}`));
    onSubmit();
  });
  return form;
}

function partnerList(matches) {
  if (!matches.length) return el("p", { class: "muted" }, "No cluster matches these filters with a positive score.");
  return el("ol", { class: "partners", id: "partner-list" }, matches.map((m, i) => {
    const p = m.partner;
    return el("li", { "data-id": p.id },
      el("span", { class: "score", title: "score" }, number(m.score, 2)),
      el("strong", {}, `${i + 1}. `, el("a", { href: `/cluster/${encodeURIComponent(p.id)}` }, p.name)),
      el("div", { class: "muted" }, [p.country?.name, p.region ? `${p.region.name} (${p.region.nuts})` : null].filter(Boolean).join(" · "), " ", p.region?.category ? categoryPill(p.region.category) : ""),
      el("ul", { class: "reasons" }, m.explanation.sentences.map((s) => el("li", {}, s))));
  }));
}

async function findPartners(search, results, mapBox) {
  history.replaceState(null, "", shareLink(search));
  setBusy(results, "Searching…");
  let matches;
  try {
    matches = (await gql(PARTNERS, { input: searchInput(search) })).partnerSearch;
  } catch (error) {
    showError(results, error);
    return;
  }
  const link = el("a", { href: shareLink(search), id: "share-link" }, "link to this search");
  fill(results, 
    el("div", { class: "actions" }, `${matches.length} partners, best first · `, link, " · download:",
      el("button", { type: "button", onclick: () => download(search, "CSV") }, "CSV"), el("button", { type: "button", onclick: () => download(search, "XLSX") }, "XLSX")),
    el("div", { id: "download-error" }),
    partnerList(matches));
  const byRegion = new Map();
  for (const m of matches) {
    const region = m.partner.region;
    if (!region) continue;
    const code = region.nuts.slice(0, 4);
    const entry = byRegion.get(code) || { nuts: code, name: region.name, category: region.category, clusters: 0, gdpIndex: null, lon: region.centroid?.lon, lat: region.centroid?.lat, names: [] };
    entry.clusters += 1;
    entry.names.push(m.partner.name);
    byRegion.set(code, entry);
  }
  const regions = [...byRegion.values()];
  const map = await drawMap(mapBox, { regions, title: "Map of the partners' regions", onSelect: (nuts) => { location.href = `/region/${encodeURIComponent(nuts)}`; } });
  map.setMarkers(regions.map((r) => ({ lon: r.lon, lat: r.lat, count: r.clusters, label: `${r.name}: ${r.names.join(", ")}` })));
  document.body.dataset.partners = "ready";
}

async function download(search, format) {
  try {
    saveFile((await gql(PARTNERS_FILE, { input: searchInput(search), format })).partnersFile);
  } catch (error) {
    showError($("download-error"), error);
  }
}

async function main() {
  const page = $("page");
  let data;
  try {
    data = await gql(PROFILE, { id: clusterId });
  } catch (error) {
    showError(page, error);
    return;
  }
  const c = data.cluster;
  document.title = `${c.name} · clusterkg`;
  $("title").textContent = c.name;
  syntheticBanner(c.synthetic);
  const weights = data.weights.inputFields;
  const search = readSearch(weights);
  const results = el("div", { id: "partner-results", "aria-live": "polite" });
  const mapBox = el("div", { id: "partner-map", class: "card" });
  const [profile, drawCharts] = profileView(c);
  const run = () => findPartners(search, results, mapBox);
  const account = await me();
  fill(page, 
    profile,
    mayEdit(account, c.id) ? editSection(c) : null,
    historySection(c.history),
    el("section", { "aria-labelledby": "finder-h" },
      el("h2", { id: "finder-h" }, "Find complementary partners"),
      el("p", { class: "lead" }, "Clusters that offer what this one seeks and seek what it offers, ranked, each with its reasons."),
      el("div", { class: "map-layout" }, results, el("div", { class: "finder-side" }, el("div", { class: "card" }, finderForm(search, data.ecosystems, weights, run)), mapBox))),
  );
  drawCharts();
  document.body.dataset.ready = "true";
  if (search.run) run();
}

main();
