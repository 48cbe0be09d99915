"""Files the matching jobs hand out: meetings CSV, an XLSX workbook and printable HTML agendas
for events; assignment, unassigned and loader-ready exchange files for ClusterXchange.

Every file says SYNTHETIC at the top when any attendee row is synthetic. Every
CSV and XLSX cell goes through clusterkg.spreadsheet: a name that looks like a
formula is written as text, never as something a spreadsheet runs.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import xlsxwriter

from clusterkg.matching.event import EventPlan, Meeting
from clusterkg.matching.consortium import ConsortiumPlan
from clusterkg.matching.consortium_explain import MemberRow
from clusterkg.spreadsheet import XLSX_OPTIONS, csv_text, safe_cell, write_csv
from clusterkg.matching.exchanges import ExchangePlan, exchange_rows

MEETING_COLUMNS = ["slot", "time", "table", "attendee_a", "name_a", "organisation_a", "attendee_b", "name_b", "organisation_b", "score", "mutual", "wanted", "reasons"]
SYNTHETIC_NOTE = "SYNTHETIC DATA: the attendees are invented for a demo; none is real."


def _meeting_row(plan: EventPlan, meeting: Meeting) -> list:
    a, b = plan.attendees[meeting.pair.a], plan.attendees[meeting.pair.b]
    pair = meeting.pair
    return [meeting.slot, meeting.time, meeting.table, a.id, a.name, a.organisation, b.id, b.name, b.organisation, round(pair.score, 3), pair.mutual, pair.wanted, pair.reasons]


def meeting_rows(plan: EventPlan) -> list[list]:
    """The schedule, one meeting per row (MEETING_COLUMNS), by slot and table."""
    return [_meeting_row(plan, m) for m in sorted(plan.meetings, key=lambda m: (m.slot, m.table))]


def meetings_csv(plan: EventPlan) -> str:
    """The schedule as CSV text: the meetings.csv of `clusterkg match event`."""
    return csv_text(MEETING_COLUMNS, meeting_rows(plan))


def meeting_records(plan: EventPlan, event_id: str) -> tuple[list[dict], int]:
    """The schedule as rows of the meetings file format (docs/formats.md), for `--commit`; and how many meetings
    were left out because an attendee is not an organisation or cluster of the graph."""
    rows, skipped = [], 0
    for meeting in sorted(plan.meetings, key=lambda m: (m.slot, m.table)):
        a, b = plan.attendees[meeting.pair.a], plan.attendees[meeting.pair.b]
        if not (a.graph_id and b.graph_id):
            skipped += 1
            continue
        rows.append({
            "id": f"{event_id}-s{meeting.slot}-t{meeting.table}", "event_id": event_id, "participant_a": a.graph_id, "participant_b": b.graph_id,
            "slot": meeting.slot, "time": meeting.time, "table": meeting.table, "score": round(meeting.pair.score, 4), "reasons": meeting.pair.reasons,
            "synthetic": "true" if (a.synthetic or b.synthetic) else "false",
        })
    return rows, skipped


def pairs_csv(plan: EventPlan) -> str:
    """The ranked recommended pairs with their reasons (each attendee's best ten)."""
    scheduled = {(m.pair.a, m.pair.b) for m in plan.meetings}
    rows = []
    for rank, pair in enumerate(plan.recommended(), start=1):
        a, b = plan.attendees[pair.a], plan.attendees[pair.b]
        rows.append([rank, a.id, a.name, b.id, b.name, round(pair.score, 3), pair.mutual, pair.wanted, (pair.a, pair.b) in scheduled, pair.reasons])
    return csv_text(["rank", "attendee_a", "name_a", "attendee_b", "name_b", "score", "mutual", "wanted", "scheduled", "reasons"], rows)


def _sheet_name(attendee_id: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "_", attendee_id)[:28] or "attendee"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:25]}~{n}"
    used.add(name.lower())
    return name


def write_workbook(plan: EventPlan, path: Path) -> Path:
    """An overview sheet (settings, solver figures, every meeting) and one agenda sheet per attendee."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, **XLSX_OPTIONS})
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    overview = workbook.add_worksheet("Overview")
    row = 0
    if plan.synthetic:
        overview.write(row, 0, SYNTHETIC_NOTE, bold)
        row += 1
    for key, value in plan.summary().items():
        overview.write(row, 0, key, bold)
        overview.write(row, 1, safe_cell(value if isinstance(value, (int, float, str)) else str(value)))
        row += 1
    row += 1
    overview.write_row(row, 0, MEETING_COLUMNS, bold)
    for meeting in sorted(plan.meetings, key=lambda m: (m.slot, m.table)):
        row += 1
        overview.write_row(row, 0, [safe_cell(v) for v in _meeting_row(plan, meeting)])
    overview.set_column(0, 2, 8)
    overview.set_column(3, 11, 18)
    overview.set_column(12, 12, 80)
    used = {"overview"}
    for index, attendee in enumerate(plan.attendees):
        sheet = workbook.add_worksheet(_sheet_name(attendee.id, used))
        sheet.set_column(0, 1, 8)
        sheet.set_column(2, 4, 24)
        sheet.set_column(5, 5, 80)
        line = 0
        if plan.synthetic:
            sheet.write(line, 0, SYNTHETIC_NOTE, bold)
            line += 1
        sheet.write(line, 0, safe_cell(f"Agenda of {attendee.name} ({attendee.organisation})"), bold)
        line += 2
        sheet.write_row(line, 0, ["time", "table", "meets", "organisation", "country", "why"], bold)
        for meeting in plan.meetings_of(index):
            other = plan.attendees[meeting.pair.b if meeting.pair.a == index else meeting.pair.a]
            line += 1
            sheet.write_row(line, 0, [safe_cell(v) for v in (meeting.time, meeting.table, other.name, other.organisation, other.country)])
            sheet.write(line, 5, safe_cell(meeting.pair.reasons), wrap)
    workbook.close()
    return path


AGENDA_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; }
h1 { font-size: 1.4rem; margin-bottom: 0.2rem; }
.synthetic { background: #fff3cd; border: 1px solid #e0c060; padding: 0.4rem 0.6rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; table-layout: fixed; }
th.time { width: 9%; } th.table { width: 7%; } th.meets { width: 36%; }
th, td { border-bottom: 1px solid #ccc; padding: 0.35rem 0.4rem; text-align: left; vertical-align: top; }
td.why { font-size: 0.8rem; color: #333; }
@page { size: A4; margin: 10mm; }
@media print {
  body { margin: 0; font-size: 9pt; }
  h1 { font-size: 14pt; margin: 0 0 2pt; }
  p { margin: 2pt 0 4pt; }
  .synthetic { padding: 2pt 4pt; margin: 0 0 4pt; }
  th, td { padding: 2pt 3pt; }
  td.why { font-size: 7pt; }
  a { color: inherit; text-decoration: none; }
}
"""
AGENDA_REASONS = 3  # reasons per meeting on a printed agenda (all of them are in the CSV and the workbook)


def _short_reasons(reasons: str) -> str:
    parts = reasons.split("; ")
    return "; ".join(parts[:AGENDA_REASONS]) + (f"; and {len(parts) - AGENDA_REASONS} more" if len(parts) > AGENDA_REASONS else "")


def agenda_html(plan: EventPlan, index: int, event_name: str) -> str:
    """One attendee's agenda: a single printed page."""
    attendee = plan.attendees[index]
    esc = html.escape
    rows = []
    for meeting in plan.meetings_of(index):
        other = plan.attendees[meeting.pair.b if meeting.pair.a == index else meeting.pair.a]
        rows.append(
            f"<tr><td>{esc(meeting.time)}</td><td>{meeting.table}</td><td>{esc(other.name)}<br><small>{esc(other.organisation)}"
            f"{' (' + esc(other.country) + ')' if other.country else ''}</small></td><td class=why>{esc(_short_reasons(meeting.pair.reasons))}</td></tr>"
        )
    body = "".join(rows) or "<tr><td colspan=4>No meetings scheduled.</td></tr>"
    banner = f"<p class=synthetic>{esc(SYNTHETIC_NOTE)}</p>" if plan.synthetic else ""
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{esc(event_name)}: agenda of {esc(attendee.name)}</title>"
        f"<style>{AGENDA_STYLE}</style></head><body>{banner}<h1>{esc(attendee.name)}</h1><p>{esc(attendee.organisation)} · {esc(event_name)} · "
        f"{len(plan.meetings_of(index))} meetings of {plan.settings.slot_minutes} minutes</p>"
        f"<table><thead><tr><th class=time>time</th><th class=table>table</th><th class=meets>meets</th><th>why</th></tr></thead><tbody>{body}</tbody></table></body></html>"
    )


def write_agendas(plan: EventPlan, directory: Path, event_name: str = "B2B meetings") -> Path:
    """agendas/<attendee_id>.html for each attendee and an index.html linking them all."""
    directory.mkdir(parents=True, exist_ok=True)
    links = []
    for index, attendee in enumerate(plan.attendees):
        filename = re.sub(r"[^A-Za-z0-9._-]", "_", attendee.id) + ".html"
        (directory / filename).write_text(agenda_html(plan, index, event_name), encoding="utf-8")
        links.append(f"<li><a href='{html.escape(filename)}'>{html.escape(attendee.name)}</a> ({len(plan.meetings_of(index))} meetings)</li>")
    banner = f"<p class=synthetic>{html.escape(SYNTHETIC_NOTE)}</p>" if plan.synthetic else ""
    (directory / "index.html").write_text(
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(event_name)}: agendas</title><style>{AGENDA_STYLE}</style></head>"
        f"<body>{banner}<h1>{html.escape(event_name)}: agendas</h1><ul>{''.join(links)}</ul></body></html>",
        encoding="utf-8",
    )
    return directory


def write_event_files(plan: EventPlan, out: Path, event_name: str = "B2B meetings") -> dict[str, Path]:
    """meetings.csv, pairs.csv, schedule.xlsx, agendas/ and report.json (summary, settings, attendees, warnings) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"meetings": out / "meetings.csv", "pairs": out / "pairs.csv", "workbook": out / "schedule.xlsx", "agendas": out / "agendas", "report": out / "report.json"}
    report = {"summary": plan.summary(), "settings": {k: str(v) for k, v in vars(plan.settings).items()},
              "attendees": [a.as_dict() for a in plan.attendees], "warnings": [i.as_dict() for i in plan.warnings]}
    files["report"].write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    files["meetings"].write_text(meetings_csv(plan), encoding="utf-8")
    files["pairs"].write_text(pairs_csv(plan), encoding="utf-8")
    write_workbook(plan, files["workbook"])
    write_agendas(plan, files["agendas"], event_name)
    return files


ASSIGNMENT_COLUMNS = [
    "applicant_id", "name", "kind", "sme", "outside_community", "sending_cluster_id", "sender_country", "sender_category",
    "host_cluster_id", "host_name", "host_country", "host_category", "start", "end", "days", "score", "reasons",
]


def assignment_rows(plan: ExchangePlan) -> list[list]:
    return [
        [a.applicant.id, a.applicant.name, a.applicant.kind or "", a.applicant.sme, a.applicant.outside, a.applicant.sending_cluster["id"],
         a.applicant.country, a.applicant.category or "", a.host.cluster["id"], a.host.cluster.get("name") or "",
         a.host.country, a.host.category or "", a.start.isoformat(), a.end.isoformat(), a.applicant.days, round(a.score, 3), a.reasons]
        for a in plan.assignments
    ]


def write_exchange_files(plan: ExchangePlan, out: Path) -> dict[str, Path]:
    """assignments.csv, unassigned.csv, exchanges.csv (the loader's format, for --commit) and report.json."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"assignments": out / "assignments.csv", "unassigned": out / "unassigned.csv", "exchanges": out / "exchanges.csv", "report": out / "report.json"}
    write_csv(files["assignments"], ASSIGNMENT_COLUMNS, assignment_rows(plan))
    write_csv(files["unassigned"], ["applicant_id", "name", "sending_cluster_id", "reason"], [[a.id, a.name, a.sending_cluster["id"], reason] for a, reason in plan.unassigned])
    rows = exchange_rows(plan)
    header = list(rows[0]) if rows else ["id", "participant_id", "participant_name", "participant_kind", "sending_cluster_id", "host_cluster_id", "partnership_id", "start", "end", "topic", "status", "synthetic"]
    write_csv(files["exchanges"], header, rows)
    report = {
        "synthetic": plan.synthetic,
        "summary": plan.summary(),
        "quotas": [vars(q) for q in plan.quotas],
        "totals": plan.totals(),
        "warnings": [i.as_dict() for i in plan.warnings],
    }
    files["report"].write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return files


# ---------------------------------------------------------------- consortia


def _brings(member: MemberRow) -> str:
    return "; ".join(f"{b.competence} (for {', '.join(b.sought_by)})" for b in member.brings)


def _seeks(member: MemberRow) -> str:
    return "; ".join(f"{s.competence} (from {', '.join(s.offered_by)})" for s in member.seeks_from)


def consortium_markdown(plan: ConsortiumPlan) -> str:
    """Every proposal as Markdown a cluster manager can paste into a proposal draft."""
    request, report = plan.request, plan.report
    lines = [f"# Consortium proposals for {request.lead} ({request.call})", ""]
    if plan.synthetic:
        lines += [f"> {SYNTHETIC_NOTE.replace('attendees', 'clusters')}", ""]
    lines += [
        f"{len(plan.proposals)} proposals from {plan.shortlist} shortlisted clusters; solver {report.status}, "
        f"best objective {report.objective:.3f}, bound {report.bound:.3f}, gap {report.gap:.1%}"
        + (f"; greedy baseline {report.greedy_objective:.3f}" if report.greedy_objective is not None else "") + ".",
        "",
    ]
    facts = plan.rules.call_facts
    if facts:
        described = {"title": "{}", "budget_eur": "budget EUR {:,}", "max_grant_eur": "at most EUR {:,} per project", "deadline": "deadline {}", "duration_months": "{} months", "expected_grants": "about {} grants"}
        lines += ["Call: " + "; ".join(described[k].format(v) for k, v in facts.items()) + ".", ""]
    lines += [f"- {note}" for note in plan.notes] + ([""] if plan.notes else [])
    for proposal in plan.proposals:
        lines += [f"## Proposal {proposal.rank}: objective {proposal.objective:.3f} (bound {proposal.bound:.3f})", "", "### Members", ""]
        lines += ["| member | role | country | region category | label | founded | members | brings | seeks, from |", "|---|---|---|---|---|---|---|---|---|"]
        for m in proposal.members:
            lines.append(f"| {m.name} ({m.id}) | {m.role} | {m.country} | {m.category or '-'} | {m.excellence_label or '-'} | "
                         f"{m.founded or '-'} | {m.members_total or '-'} | {_brings(m) or '-'} | {_seeks(m) or '-'} |")
        lines += ["", "### Value-chain coverage", "", "| value chain | stage | members |", "|---|---|---|"]
        lines += [f"| {c.value_chain} | {c.stage} | {', '.join(c.members) or '**not covered**'} |" for c in proposal.coverage]
        lines += ["", f"Lead's needs met: {', '.join(proposal.lead_needs_met) or 'none'}. Still open: {', '.join(proposal.lead_needs_open) or 'none'}.", ""]
        lines += [f"Countries: {', '.join(f'{k} {v}' for k, v in proposal.country_mix.items())}. "
                  f"Cohesion categories: {', '.join(f'{k} {v}' for k, v in proposal.category_mix.items())}.", ""]
        lines += ["### Call rules", "", "| rule | required | actual | met | from |", "|---|---|---|---|---|"]
        lines += [f"| {r.rule} | {r.required} | {r.actual} | {'yes' if r.met else '**no**'} | {r.origin} |" for r in proposal.rules]
        lines.append("")
    return "\n".join(lines)


def write_consortium_files(plan: ConsortiumPlan, out: Path) -> dict[str, Path]:
    """consortia.md, consortia.xlsx (a sheet per proposal) and consortia.json in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"markdown": out / "consortia.md", "workbook": out / "consortia.xlsx", "json": out / "consortia.json"}
    files["markdown"].write_text(consortium_markdown(plan), encoding="utf-8")
    files["json"].write_text(json.dumps(plan.as_dict(), indent=2, default=str), encoding="utf-8")
    workbook = xlsxwriter.Workbook(str(files["workbook"]), XLSX_OPTIONS)
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for proposal in plan.proposals:
        sheet = workbook.add_worksheet(f"Proposal {proposal.rank}")
        row = 0
        if plan.synthetic:
            sheet.write(row, 0, SYNTHETIC_NOTE.replace("attendees", "clusters"), bold)
            row += 1
        sheet.write(row, 0, f"objective {proposal.objective:.3f}, bound {proposal.bound:.3f}, gap {proposal.gap:.1%}", bold)
        row += 2
        header = ["id", "name", "role", "country", "category", "label", "founded", "members", "brings", "seeks, from"]
        sheet.write_row(row, 0, header, bold)
        for m in proposal.members:
            row += 1
            sheet.write_row(row, 0, [safe_cell(v) for v in (m.id, m.name, m.role, m.country, m.category, m.excellence_label, m.founded, m.members_total)])
            sheet.write(row, 8, safe_cell(_brings(m)), wrap)
            sheet.write(row, 9, safe_cell(_seeks(m)), wrap)
        row += 2
        names = [m.name for m in proposal.members]
        sheet.write_row(row, 0, [safe_cell(v) for v in ("value chain", "stage", *names)], bold)
        for c in proposal.coverage:
            row += 1
            sheet.write_row(row, 0, [safe_cell(v) for v in (c.value_chain, c.stage, *["x" if n in c.members else "" for n in names])])
        row += 2
        sheet.write_row(row, 0, ["rule", "required", "actual", "met", "from"], bold)
        for r in proposal.rules:
            row += 1
            sheet.write_row(row, 0, [safe_cell(v) for v in (r.rule, r.required, r.actual, "yes" if r.met else "no", r.origin)])
        sheet.set_column(0, 1, 22)
        sheet.set_column(8, 9, 60)
    workbook.close()
    return files
