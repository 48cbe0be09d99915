"""Files an event schedule hands out: meetings CSV, candidate pairs CSV, an XLSX workbook (one agenda sheet per attendee), printable HTML agendas, report.json.

Every file says SYNTHETIC at the top when any attendee row is synthetic. Every
CSV and XLSX cell goes through clusterkg.spreadsheet: a name that looks like a
formula is written as text, never as something a spreadsheet runs.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import xlsxwriter

from clusterkg.events.model import EventPlan, Meeting
from clusterkg.jobs.files import synthetic_note, write_json
from clusterkg.spreadsheet import XLSX_OPTIONS, csv_text, safe_cell

MEETING_COLUMNS = [
    "slot",
    "time",
    "table",
    "attendee_a",
    "name_a",
    "organisation_a",
    "attendee_b",
    "name_b",
    "organisation_b",
    "score",
    "mutual",
    "wanted",
    "reasons",
]
SYNTHETIC_NOTE = synthetic_note("attendees")


def _meeting_row(plan: EventPlan, meeting: Meeting) -> list[Any]:
    a, b = plan.attendees[meeting.pair.a], plan.attendees[meeting.pair.b]
    pair = meeting.pair
    return [
        meeting.slot,
        meeting.time,
        meeting.table,
        a.id,
        a.name,
        a.organisation,
        b.id,
        b.name,
        b.organisation,
        round(pair.score, 3),
        pair.mutual,
        pair.wanted,
        pair.reasons,
    ]


def meeting_rows(plan: EventPlan) -> list[list[Any]]:
    """The schedule, one meeting per row (MEETING_COLUMNS), by slot and table."""
    return [_meeting_row(plan, m) for m in sorted(plan.meetings, key=lambda m: (m.slot, m.table))]


def meetings_csv(plan: EventPlan) -> str:
    """The schedule as CSV text: the meetings.csv of `clusterkg match event`."""
    return csv_text(MEETING_COLUMNS, meeting_rows(plan))


def meeting_records(plan: EventPlan, event_id: str) -> tuple[list[dict[str, Any]], int]:
    """The schedule as rows of the meetings file format (docs/formats.md), for `--commit`; and how many meetings
    were left out because an attendee is not an organisation or cluster of the graph."""
    rows, skipped = [], 0
    for meeting in sorted(plan.meetings, key=lambda m: (m.slot, m.table)):
        a, b = plan.attendees[meeting.pair.a], plan.attendees[meeting.pair.b]
        if not (a.graph_id and b.graph_id):
            skipped += 1
            continue
        rows.append(
            {
                "id": f"{event_id}-s{meeting.slot}-t{meeting.table}",
                "event_id": event_id,
                "participant_a": a.graph_id,
                "participant_b": b.graph_id,
                "slot": meeting.slot,
                "time": meeting.time,
                "table": meeting.table,
                "score": round(meeting.pair.score, 4),
                "reasons": meeting.pair.reasons,
                "synthetic": "true" if (a.synthetic or b.synthetic) else "false",
            }
        )
    return rows, skipped


def pairs_csv(plan: EventPlan) -> str:
    """The ranked recommended pairs with their reasons (each attendee's best ten)."""
    scheduled = {(m.pair.a, m.pair.b) for m in plan.meetings}
    rows = []
    for rank, pair in enumerate(plan.recommended(), start=1):
        a, b = plan.attendees[pair.a], plan.attendees[pair.b]
        rows.append(
            [
                rank,
                a.id,
                a.name,
                b.id,
                b.name,
                round(pair.score, 3),
                pair.mutual,
                pair.wanted,
                (pair.a, pair.b) in scheduled,
                pair.reasons,
            ]
        )
    return csv_text(
        ["rank", "attendee_a", "name_a", "attendee_b", "name_b", "score", "mutual", "wanted", "scheduled", "reasons"],
        rows,
    )


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
            sheet.write_row(
                line,
                0,
                [safe_cell(v) for v in (meeting.time, meeting.table, other.name, other.organisation, other.country)],
            )
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
    return "; ".join(parts[:AGENDA_REASONS]) + (
        f"; and {len(parts) - AGENDA_REASONS} more" if len(parts) > AGENDA_REASONS else ""
    )


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
        links.append(
            f"<li><a href='{html.escape(filename)}'>{html.escape(attendee.name)}</a> ({len(plan.meetings_of(index))} meetings)</li>"
        )
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
    files = {
        "meetings": out / "meetings.csv",
        "pairs": out / "pairs.csv",
        "workbook": out / "schedule.xlsx",
        "agendas": out / "agendas",
        "report": out / "report.json",
    }
    report = {
        "summary": plan.summary(),
        "settings": {k: str(v) for k, v in vars(plan.settings).items()},
        "attendees": [a.as_dict() for a in plan.attendees],
        "warnings": [i.as_dict() for i in plan.warnings],
    }
    write_json(files["report"], report)
    files["meetings"].write_text(meetings_csv(plan), encoding="utf-8")
    files["pairs"].write_text(pairs_csv(plan), encoding="utf-8")
    write_workbook(plan, files["workbook"])
    write_agendas(plan, files["agendas"], event_name)
    return files
