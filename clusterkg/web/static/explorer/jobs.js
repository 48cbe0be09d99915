// Organisers' jobs: B2B meeting schedules, ClusterXchange assignments and consortia, each a form over the
// background jobs of the GraphQL API. Files are checked before anything runs (row-level errors shown);
// jobs and their files live on the server, so a reload or another day finds them on this page.

import { $, categoryLabel, el, fileBase64, fill, gql, issuesTable, number, saveFile, setBusy, showError, table } from "./common.js";

const JOB_FIELDS = `id kind title status progress message created started finished synthetic inputs parameters summary result
  solver { method status objective bound gap seconds greedyObjective greedyGap note }
  issues { source row field value reason severity }
  files { name mediaType }`;
const JOBS = `query Jobs { jobs { id kind title status progress created finished synthetic } }`;
const JOB = `query Job($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;
const FILE = `query JobFile($id: ID!, $name: String!) { job(id: $id) { file(name: $name) { filename mediaType rows base64 } } }`;
const DELETE = `mutation Delete($id: ID!) { deleteJob(id: $id) }`;
const STARTED = `job { id } issues { source row field value reason severity }`;
const START = {
  event: `mutation StartEvent($input: EventJobInput!) { startEventJob(input: $input) { ${STARTED} } }`,
  exchanges: `mutation StartExchanges($input: ExchangeJobInput!) { startExchangeJob(input: $input) { ${STARTED} } }`,
  consortium: `mutation StartConsortium($input: ConsortiumInput!) { startConsortiumJob(input: $input) { ${STARTED} } }`,
};
const DEFAULTS = `query Defaults {
  event: __type(name: "EventJobInput") { inputFields { name defaultValue } }
  exchanges: __type(name: "ExchangeJobInput") { inputFields { name defaultValue } }
  consortium: __type(name: "ConsortiumInput") { inputFields { name defaultValue } }
  calls { id title programme }
}`;
const LEAD_SEARCH = `query Leads($text: String!) { search(text: $text, first: 10) { item { __typename ... on Cluster { id name country { code } } } } }`;
const KIND_NAMES = { EVENT: "B2B meetings", EXCHANGES: "ClusterXchange", CONSORTIUM: "Consortium" };
const POLL_MS = 1000;

function defaultsOf(type) {
  const found = {};
  for (const f of type.inputFields) {
    try {
      found[f.name] = f.defaultValue === null ? null : JSON.parse(f.defaultValue);
    } catch {
      found[f.name] = f.defaultValue; // enum names and the like: not used by these forms
    }
  }
  return found;
}

function numberField(name, label, value, { step = "1", min = "0", max } = {}) {
  return el("div", { class: "field" }, el("label", { for: name }, label),
    el("input", { type: "number", id: name, name, value: value === null || value === undefined ? "" : String(value), step, min, max }));
}

function fileField(name, label, help) {
  return el("div", { class: "field" }, el("label", { for: name }, label),
    el("input", { type: "file", id: name, name, accept: ".csv,.xlsx,.json", required: true }),
    el("span", { class: "muted" }, help, " (docs/formats.md)"));
}

const optionalNumber = (value) => (value === "" || value === null ? null : Number(value));

async function uploaded(form, name) {
  const file = form.elements[name].files[0];
  if (!file) throw new Error(`choose the ${name} file`);
  return { filename: file.name, base64: await fileBase64(file) };
}

function eventForm(d) {
  return el("form", { id: "event-form", "data-kind": "event" },
    fileField("attendees", "Attendees", "CSV, XLSX or JSON: attendee_id, name, offers, seeks, available_slots, wants…"),
    el("div", { class: "field" }, el("label", { for: "event-name" }, "Event name (printed on the agendas)"), el("input", { type: "text", id: "event-name", name: "name", value: d.name })),
    el("div", { class: "grid" },
      numberField("slots", "Meeting slots", 8, { min: "1", max: "200" }), numberField("tables", "Tables", 10, { min: "1" }),
      numberField("maxMeetings", "Meetings per attendee (empty: one per slot)", d.maxMeetings, { min: "0" }),
      numberField("slotMinutes", "Minutes per slot", d.slotMinutes, { min: "1" }),
      el("div", { class: "field" }, el("label", { for: "start" }, "First slot starts"), el("input", { type: "time", id: "start", name: "start", value: d.start })),
      numberField("eventTime", "Solver time limit (s)", d.timeLimitSeconds, { min: "1", step: "1" })),
    el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Check and schedule")));
}

async function eventInput(form) {
  const v = (name) => form.elements[name].value;
  return {
    attendees: await uploaded(form, "attendees"), name: v("name"), slots: Number(v("slots")), tables: Number(v("tables")),
    maxMeetings: optionalNumber(v("maxMeetings")), slotMinutes: Number(v("slotMinutes")), start: v("start"), timeLimitSeconds: Number(v("eventTime")),
  };
}

function exchangeForm(d) {
  return el("form", { id: "exchanges-form", "data-kind": "exchanges" },
    fileField("applicants", "Applicants", "applicant_id, name, sending_cluster_id, topics, earliest, latest, days…"),
    fileField("hosts", "Hosts", "cluster_id, capacity, available_from, available_to, offers"),
    el("div", { class: "grid" },
      numberField("smeShare", "Minimum share of SME participants", d.smeShare, { step: "0.05", max: "1" }),
      numberField("outsideShare", "Minimum share from outside the partnerships' community", d.outsideShare, { step: "0.05", max: "1" }),
      numberField("exchangeTime", "Solver time limit (s)", d.timeLimitSeconds, { min: "1" })),
    el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Check and assign")));
}

async function exchangeInput(form) {
  const v = (name) => Number(form.elements[name].value);
  return { applicants: await uploaded(form, "applicants"), hosts: await uploaded(form, "hosts"), smeShare: v("smeShare"), outsideShare: v("outsideShare"), timeLimitSeconds: v("exchangeTime") };
}

function consortiumForm(d, calls) {
  const lead = el("input", { type: "hidden", name: "lead", id: "lead" });
  const chosen = el("p", { id: "lead-chosen", class: "muted" }, "No lead chosen yet.");
  const hits = el("ul", { class: "plain", id: "lead-hits" });
  const box = el("input", { type: "search", id: "lead-search", placeholder: "a cluster's name or words of its description" });
  const find = async () => {
    if (!box.value.trim()) return;
    try {
      const found = (await gql(LEAD_SEARCH, { text: box.value })).search.map((h) => h.item).filter((i) => i.__typename === "Cluster");
      fill(hits, ...(found.length ? found.map((c) => el("li", {}, el("button", { type: "button", "data-id": c.id,
        onclick: () => { lead.value = c.id; chosen.textContent = `Lead: ${c.name} (${c.id})`; fill(hits); } }, `${c.name} (${c.country?.code || "?"})`))) : [el("li", { class: "muted" }, "No cluster found.")]));
    } catch (error) {
      showError(hits, error);
    }
  };
  return el("form", { id: "consortium-form", "data-kind": "consortium" },
    el("div", { class: "field" }, el("label", { for: "lead-search" }, "Lead cluster"),
      el("div", { class: "actions" }, box, el("button", { type: "button", onclick: find }, "Search")), hits, chosen, lead),
    el("div", { class: "field" }, el("label", { for: "call" }, "Call"),
      el("select", { id: "call", name: "call" }, calls.map((c) => el("option", { value: c.id, selected: c.id === d.call }, `${c.id}${c.title ? ": " + c.title : ""}`)))),
    el("div", { class: "grid" },
      numberField("minSize", "Smallest consortium", d.minSize, { min: "1" }), numberField("maxSize", "Largest consortium", d.maxSize, { min: "1" }),
      numberField("proposals", "Proposals", d.proposals, { min: "1", max: "10" }), numberField("consortiumTime", "Solver time limit (s)", d.timeLimitSeconds, { min: "1" })),
    el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Check and propose")));
}

function consortiumInput(form) {
  const v = (name) => form.elements[name].value;
  if (!v("lead")) throw new Error("search for the lead cluster and choose it");
  return { lead: v("lead"), call: v("call"), minSize: Number(v("minSize")), maxSize: Number(v("maxSize")), proposals: Number(v("proposals")), timeLimitSeconds: Number(v("consortiumTime")) };
}

// ---------------------------------------------------------------- one job

function solverTable(s) {
  if (!s) return null;
  return table(["method", "status", "objective", "bound", "gap", "greedy objective", "greedy gap", "seconds"],
    [[s.method, s.status, number(s.objective, 3), number(s.bound, 3), `${number(s.gap * 100, 1)} %`, number(s.greedyObjective, 3),
      s.greedyGap === null ? "–" : `${number(s.greedyGap * 100, 1)} %`, number(s.seconds, 2)]], { caption: "Solver", numeric: [2, 3, 4, 5, 6, 7] });
}

function eventPreview(result) {
  const bySlot = el("div", { id: "by-slot" });
  const slots = [...new Set(result.meetings.map((m) => m.slot))].sort((a, b) => a - b);
  const slotChooser = el("select", { id: "slot", "aria-label": "Slot" }, slots.map((slot) => el("option", { value: String(slot) },
    `Slot ${slot} at ${result.meetings.find((m) => m.slot === slot).time}`)));
  const slotTable = el("div", {});
  const showSlot = () => {
    const meetings = result.meetings.filter((m) => m.slot === Number(slotChooser.value));
    fill(slotTable, table(["table", "attendee", "meets", "score", "why"], meetings.map((m) => [String(m.table), m.name_a, m.name_b, number(m.score, 2), m.reasons]),
      { caption: `${meetings.length} meetings`, numeric: [0, 3] }));
  };
  slotChooser.addEventListener("change", showSlot);
  bySlot.append(slotChooser, slotTable);
  if (slots.length) showSlot();
  else fill(bySlot, el("p", { class: "muted" }, "No meetings could be scheduled."));
  const byAttendee = el("div", { id: "by-attendee", hidden: true });
  const chooser = el("select", { id: "attendee", "aria-label": "Attendee" }, result.attendees.map((a) => el("option", { value: a.id }, `${a.name} (${a.meetings} meetings)`)));
  const agenda = el("div", {});
  const showAgenda = () => {
    const id = chooser.value;
    const rows = result.meetings.filter((m) => m.attendee_a === id || m.attendee_b === id)
      .map((m) => [m.time, String(m.table), m.attendee_a === id ? `${m.name_b} (${m.organisation_b})` : `${m.name_a} (${m.organisation_a})`, m.reasons]);
    fill(agenda, rows.length ? table(["time", "table", "meets", "why"], rows) : el("p", { class: "muted" }, "No meetings for this attendee."));
  };
  chooser.addEventListener("change", showAgenda);
  byAttendee.append(chooser, agenda);
  showAgenda();
  return [el("h3", {}, "Schedule"), ...tabs([["Per slot", bySlot], ["Per attendee", byAttendee]])];
}

function tabs(views) {
  const buttons = views.map(([label, view], i) => el("button", { type: "button", role: "tab", "aria-selected": i === 0 ? "true" : "false",
    onclick: () => { views.forEach(([, v], j) => { v.hidden = j !== i; buttons[j].setAttribute("aria-selected", j === i ? "true" : "false"); }); } }, label));
  return [el("div", { class: "tabs", role: "tablist" }, buttons), ...views.map(([, v]) => v)];
}

function exchangePreview(result) {
  return [
    table(["quota", "required", "reached", "met", "note"], result.quotas.map((q) => [q.name, `${number(q.required * 100)} %`, `${number(q.reached * 100, 1)} %`, q.met ? "yes" : "no", q.message || ""]), { caption: "The call's quotas" }),
    table(["applicant", "SME", "from", "host", "country", "start", "end", "score", "why"], result.assigned.map((a) => [
      a.name, a.sme ? "yes" : "no", `${a.sending_cluster_id} (${a.sender_country})`, a.host_name || a.host_cluster_id, a.host_country, a.start, a.end, number(a.score, 2), a.reasons]),
    { caption: `${result.assigned.length} exchanges assigned`, numeric: [7] }),
    result.unassigned.length ? table(["applicant", "name", "why not"], result.unassigned.map((u) => [u.applicant_id, u.name, u.reason]), { caption: "Not assigned" }) : null,
  ];
}

function consortiumPreview(result) {
  return result.proposals.map((p) => el("section", { class: "card" },
    el("h3", {}, `Proposal ${p.rank}: objective ${number(p.objective, 3)}`),
    table(["member", "role", "country", "category", "brings", "seeks, from"], p.members.map((m) => [
      el("a", { href: `/cluster/${encodeURIComponent(m.id)}` }, m.name), m.role, m.country, categoryLabel((m.category || "").toUpperCase()),
      m.brings.map((b) => `${b.competence} (for ${b.sought_by.join(", ")})`).join("; "),
      m.seeks_from.map((s) => `${s.competence} (from ${s.offered_by.join(", ")})`).join("; ")])),
    table(["rule", "required", "actual", "met", "from"], p.rules.map((r) => [r.rule, r.required, r.actual, r.met ? "yes" : "no", r.origin]), { caption: "Call rules" })));
}

async function showJob(id) {
  const page = $("page");
  let job;
  try {
    job = (await gql(JOB, { id })).job;
  } catch (error) {
    showError(page, error);
    return;
  }
  $("title").textContent = job.title;
  const running = job.status === "QUEUED" || job.status === "RUNNING";
  const files = el("ul", { class: "plain", id: "job-files" }, job.files.map((f) => el("li", {}, el("button", { type: "button", "data-file": f.name,
    onclick: async () => saveFile((await gql(FILE, { id, name: f.name })).job.file) }, `Download ${f.name}`))));
  const preview = job.status !== "DONE" ? [] : job.kind === "EVENT" ? eventPreview(job.result) : job.kind === "EXCHANGES" ? exchangePreview(job.result) : consortiumPreview(job.result);
  const warnings = job.issues.filter((i) => i.severity !== "error");
  const errors = job.issues.filter((i) => i.severity === "error");
  fill(page,
    el("p", {}, el("a", { href: "/jobs" }, "← all jobs")),
    job.synthetic ? el("p", { class: "synthetic" }, "SYNTHETIC input: the people and organisations in this job are invented for a demo.") : null,
    el("p", { id: "job-status", role: "status" }, el("span", { class: `status-${job.status.toLowerCase()}` }, job.status.toLowerCase()), ` · ${job.message}`),
    el("progress", { class: "progress", max: "1", value: String(job.progress), "aria-label": "progress" }),
    el("p", { class: "muted" }, `${KIND_NAMES[job.kind]} · created ${job.created}${job.finished ? " · finished " + job.finished : ""} · inputs: ${job.inputs.join(", ") || "none"}`),
    errors.length ? issuesTable(errors, "Rows that stopped the job") : null,
    solverTable(job.solver),
    job.files.length ? el("h3", {}, "Files") : null, files,
    ...preview,
    warnings.length ? el("details", {}, el("summary", {}, `${warnings.length} warnings`), issuesTable(warnings)) : null,
    running ? null : el("div", { class: "actions" }, el("button", { type: "button", id: "delete", onclick: async () => { await gql(DELETE, { id }); location.href = "/jobs"; } }, "Delete this job and its files")),
  );
  document.body.dataset.job = job.status.toLowerCase();
  if (running) setTimeout(() => showJob(id), POLL_MS);
}

// ---------------------------------------------------------------- the list and the forms

async function showJobs() {
  const page = $("page");
  let data, jobs;
  try {
    [data, jobs] = await Promise.all([gql(DEFAULTS), gql(JOBS).then((d) => d.jobs)]);
  } catch (error) {
    showError(page, error);
    return;
  }
  const forms = {
    event: eventForm(defaultsOf(data.event)),
    exchanges: exchangeForm(defaultsOf(data.exchanges)),
    consortium: consortiumForm(defaultsOf(data.consortium), data.calls),
  };
  const outcome = el("div", { id: "outcome", "aria-live": "polite" });
  for (const [kind, form] of Object.entries(forms)) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      setBusy(outcome, "Checking the input…");
      try {
        const input = kind === "event" ? await eventInput(form) : kind === "exchanges" ? await exchangeInput(form) : consortiumInput(form);
        const started = Object.values(await gql(START[kind], { input }))[0];
        if (started.job) {
          location.href = `/jobs?id=${encodeURIComponent(started.job.id)}`;
          return;
        }
        fill(outcome, el("p", { class: "error", role: "alert" }, `Nothing was run: ${started.issues.filter((i) => i.severity === "error").length} problems in the input. Fix these rows and try again.`),
          issuesTable(started.issues, "Problems in the input"));
      } catch (error) {
        showError(outcome, error);
      } finally {
        button.disabled = false;
      }
    });
  }
  const list = jobs.length
    ? table(["created", "kind", "job", "status"], jobs.map((j) => [j.created.replace("T", " ").slice(0, 19), KIND_NAMES[j.kind],
      el("a", { href: `/jobs?id=${encodeURIComponent(j.id)}` }, j.title), el("span", { class: `status-${j.status.toLowerCase()}` }, j.status.toLowerCase())]))
    : el("p", { class: "muted" }, "No jobs yet.");
  fill(page,
    el("p", { class: "lead" }, "Upload your lists, check them, and let the solver do the matching in the background. Jobs and their files stay on this server until you delete them."),
    ...tabs([["B2B meetings", el("section", { class: "card" }, el("h2", {}, "B2B meeting schedule"), forms.event)],
      ["ClusterXchange", el("section", { class: "card", hidden: true }, el("h2", {}, "ClusterXchange assignment"), forms.exchanges)],
      ["Consortium", el("section", { class: "card", hidden: true }, el("h2", {}, "Consortium proposals"), forms.consortium)]]),
    outcome,
    el("h2", {}, "Jobs"), el("div", { id: "job-list" }, list),
  );
  document.body.dataset.ready = "true";
}

function main() {
  const id = new URLSearchParams(location.search).get("id");
  id ? showJob(id) : showJobs();
}

main();
