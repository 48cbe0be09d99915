// EU projects (CORDIS) of a cluster or an organisation, and who it worked with most: one card for both pages.

import { el, number, table } from "./common.js";

// The GraphQL selection both pages ask for.
export const PROJECT_FIELDS = `projects(first: 15) { id acronym title programme start end participant participantId role ecContribution }
    frequentPartners(first: 10) { id name kind country projects }`;

export function partnerLink(partner) {
  const path = partner.kind === "CLUSTER" ? "cluster" : "organisation";
  return el("a", { href: `/${path}/${encodeURIComponent(partner.id)}` }, partner.name || partner.id);
}

export function projectsSection(entity, selfId) {
  const body = [];
  if (!entity.projects.length && !entity.frequentPartners.length) {
    body.push(el("p", { class: "muted" }, "No EU projects recorded. They come from CORDIS: clusterkg load cordis (README, \"Real organisations: CORDIS\")."));
  } else {
    body.push(table(["project", "programme", "start", "who", "role", "EU contribution (EUR)"], entity.projects.map((p) => [
      el("span", { title: p.title || "" }, p.acronym || p.id), p.programme || "", p.start || "",
      p.participantId === selfId ? "itself" : el("a", { href: `/organisation/${encodeURIComponent(p.participantId)}` }, p.participant || p.participantId),
      p.role || "", p.ecContribution === null ? "" : number(p.ecContribution, 0)]), { caption: "EU projects, newest first", numeric: [5] }));
    body.push(el("h3", {}, "Worked with most"));
    body.push(entity.frequentPartners.length
      ? el("ol", { class: "partners-list", id: "frequent-partners" }, entity.frequentPartners.map((p) => el("li", {}, partnerLink(p),
          el("span", { class: "muted" }, ` ${p.country || ""} · ${p.projects} project${p.projects === 1 ? "" : "s"} together`))))
      : el("p", { class: "muted" }, "Nobody else in the graph took part in these projects."));
    body.push(el("p", { class: "muted small" }, "Projects and participants: © European Union, CORDIS (CC BY 4.0)."));
  }
  return el("section", { class: "card wide", id: "projects", "aria-labelledby": "projects-h" }, el("h2", { id: "projects-h" }, "EU projects (CORDIS)"), ...body);
}
