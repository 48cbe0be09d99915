"""Files consortium proposals hand out: consortia.md (to paste into a proposal draft), consortia.xlsx (a sheet per proposal), consortia.json."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from clusterkg.consortium.explain import MemberRow
from clusterkg.consortium.propose import ConsortiumPlan
from clusterkg.jobs.files import synthetic_note, write_json
from clusterkg.spreadsheet import XLSX_OPTIONS, safe_cell


def _brings(member: MemberRow) -> str:
    return "; ".join(f"{b.competence} (for {', '.join(b.sought_by)})" for b in member.brings)


def _seeks(member: MemberRow) -> str:
    return "; ".join(f"{s.competence} (from {', '.join(s.offered_by)})" for s in member.seeks_from)


def consortium_markdown(plan: ConsortiumPlan) -> str:
    """Every proposal as Markdown a cluster manager can paste into a proposal draft."""
    request, report = plan.request, plan.report
    lines = [f"# Consortium proposals for {request.lead} ({request.call})", ""]
    if plan.synthetic:
        lines += [f"> {synthetic_note('clusters')}", ""]
    lines += [
        f"{len(plan.proposals)} proposals from {plan.shortlist} shortlisted clusters; solver {report.status}, "
        f"best objective {report.objective:.3f}, bound {report.bound:.3f}, gap {report.gap:.1%}"
        + (f"; greedy baseline {report.greedy_objective:.3f}" if report.greedy_objective is not None else "")
        + ".",
        "",
    ]
    facts = plan.rules.call_facts
    if facts:
        described = {
            "title": "{}",
            "budget_eur": "budget EUR {:,}",
            "max_grant_eur": "at most EUR {:,} per project",
            "deadline": "deadline {}",
            "duration_months": "{} months",
            "expected_grants": "about {} grants",
        }
        lines += ["Call: " + "; ".join(described[k].format(v) for k, v in facts.items()) + ".", ""]
    lines += [f"- {note}" for note in plan.notes] + ([""] if plan.notes else [])
    for proposal in plan.proposals:
        lines += [
            f"## Proposal {proposal.rank}: objective {proposal.objective:.3f} (bound {proposal.bound:.3f})",
            "",
            "### Members",
            "",
        ]
        lines += [
            "| member | role | country | region category | label | founded | members | brings | seeks, from |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for m in proposal.members:
            lines.append(
                f"| {m.name} ({m.id}) | {m.role} | {m.country} | {m.category or '-'} | {m.excellence_label or '-'} | "
                f"{m.founded or '-'} | {m.members_total or '-'} | {_brings(m) or '-'} | {_seeks(m) or '-'} |"
            )
        lines += ["", "### Value-chain coverage", "", "| value chain | stage | members |", "|---|---|---|"]
        lines += [
            f"| {c.value_chain} | {c.stage} | {', '.join(c.members) or '**not covered**'} |" for c in proposal.coverage
        ]
        lines += [
            "",
            f"Lead's needs met: {', '.join(proposal.lead_needs_met) or 'none'}. Still open: {', '.join(proposal.lead_needs_open) or 'none'}.",
            "",
        ]
        lines += [
            f"Countries: {', '.join(f'{k} {v}' for k, v in proposal.country_mix.items())}. "
            f"Cohesion categories: {', '.join(f'{k} {v}' for k, v in proposal.category_mix.items())}.",
            "",
        ]
        lines += ["### Call rules", "", "| rule | required | actual | met | from |", "|---|---|---|---|---|"]
        lines += [
            f"| {r.rule} | {r.required} | {r.actual} | {'yes' if r.met else '**no**'} | {r.origin} |"
            for r in proposal.rules
        ]
        lines.append("")
    return "\n".join(lines)


def write_consortium_files(plan: ConsortiumPlan, out: Path) -> dict[str, Path]:
    """consortia.md, consortia.xlsx (a sheet per proposal) and consortia.json in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"markdown": out / "consortia.md", "workbook": out / "consortia.xlsx", "json": out / "consortia.json"}
    files["markdown"].write_text(consortium_markdown(plan), encoding="utf-8")
    write_json(files["json"], plan.as_dict())
    workbook = xlsxwriter.Workbook(str(files["workbook"]), XLSX_OPTIONS)
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for proposal in plan.proposals:
        sheet = workbook.add_worksheet(f"Proposal {proposal.rank}")
        row = 0
        if plan.synthetic:
            sheet.write(row, 0, synthetic_note("clusters"), bold)
            row += 1
        sheet.write(
            row, 0, f"objective {proposal.objective:.3f}, bound {proposal.bound:.3f}, gap {proposal.gap:.1%}", bold
        )
        row += 2
        header = ["id", "name", "role", "country", "category", "label", "founded", "members", "brings", "seeks, from"]
        sheet.write_row(row, 0, header, bold)
        for m in proposal.members:
            row += 1
            sheet.write_row(
                row,
                0,
                [
                    safe_cell(v)
                    for v in (
                        m.id,
                        m.name,
                        m.role,
                        m.country,
                        m.category,
                        m.excellence_label,
                        m.founded,
                        m.members_total,
                    )
                ],
            )
            sheet.write(row, 8, safe_cell(_brings(m)), wrap)
            sheet.write(row, 9, safe_cell(_seeks(m)), wrap)
        row += 2
        names = [m.name for m in proposal.members]
        sheet.write_row(row, 0, [safe_cell(v) for v in ("value chain", "stage", *names)], bold)
        for c in proposal.coverage:
            row += 1
            sheet.write_row(
                row,
                0,
                [safe_cell(v) for v in (c.value_chain, c.stage, *["x" if n in c.members else "" for n in names])],
            )
        row += 2
        sheet.write_row(row, 0, ["rule", "required", "actual", "met", "from"], bold)
        for r in proposal.rules:
            row += 1
            sheet.write_row(
                row, 0, [safe_cell(v) for v in (r.rule, r.required, r.actual, "yes" if r.met else "no", r.origin)]
            )
        sheet.set_column(0, 1, 22)
        sheet.set_column(8, 9, 60)
    workbook.close()
    return files
