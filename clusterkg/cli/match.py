"""`clusterkg match …`: event meeting schedules and ClusterXchange assignment from the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clusterkg.events.model import EventPlan
    from clusterkg.graph import GraphStore

import datetime as dt
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from clusterkg.cli.support import connected, out, print_load_report, render_cell
from clusterkg.consortium.model import ConsortiumRequest
from clusterkg.defaults import default
from clusterkg.errors import ConfigError
from clusterkg.events.model import EventSettings, met_before_of
from clusterkg.exchanges.model import ExchangeSettings
from clusterkg.validation import Issue

match_app = typer.Typer(
    help="Matching jobs: B2B meeting schedules for events, ClusterXchange assignment with the call's quotas.",
    no_args_is_help=True,
)


def _print_warnings(warnings: list[Issue], limit: int = 10) -> None:
    for issue in warnings[:limit]:
        out.print(
            f"warning: {issue.file} row {issue.row}, {issue.field} = {render_cell(issue.value)}: {issue.reason}",
            highlight=False,
        )
    if len(warnings) > limit:
        out.print(f"… {len(warnings) - limit} more warnings (see report.json)")


def _print_summary(title: str, summary: dict[str, Any]) -> None:
    table = Table(title=title, show_header=False, show_edge=False)
    table.add_column("", style="bold")
    table.add_column("")
    for key, value in summary.items():
        table.add_row(key.replace("_", " "), render_cell(value))
    out.print(table)


def _parse_start(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--start must be a time such as 09:00, not '{text}'") from None


@match_app.command("event")
def match_event(
    ctx: typer.Context,
    attendees_file: Path | None = typer.Argument(
        None, help="Attendee file (CSV, XLSX or JSON; docs/formats.md). Or use --event."
    ),
    event_id: str | None = typer.Option(
        None, "--event", help="Take the attendees of this Event in the graph instead of a file."
    ),
    slots: int = typer.Option(..., "--slots", help="Number of meeting slots."),
    tables: int = typer.Option(..., "--tables", help="Tables, i.e. meetings at once in one slot."),
    max_meetings: int | None = typer.Option(
        default(EventSettings, "max_meetings"),
        "--max-meetings",
        help="Meetings per attendee unless its row says otherwise (default: one per slot).",
    ),
    slot_minutes: int = typer.Option(
        default(EventSettings, "slot_minutes"), "--slot-minutes", help="Length of a slot."
    ),
    start: str = typer.Option(
        default(EventSettings, "start").strftime("%H:%M"), "--start", help="Time the first slot starts."
    ),
    mutual_first: bool = typer.Option(
        default(EventSettings, "mutual_first"),
        "--mutual-first/--no-mutual-first",
        help="Favour pairs where each side meets a need of the other.",
    ),
    same_organisation: bool = typer.Option(
        default(EventSettings, "allow_same_organisation"),
        "--allow-same-organisation",
        help="Allow colleagues of one organisation to be paired.",
    ),
    same_country: bool = typer.Option(
        default(EventSettings, "allow_same_country"),
        "--allow-same-country/--no-same-country",
        help="Allow pairs from one country.",
    ),
    time_limit: float = typer.Option(
        default(EventSettings, "time_limit_s"),
        "--time-limit",
        help="Seconds the whole job may take: scoring every pair, the bound and the solver.",
    ),
    event_name: str = typer.Option("B2B meetings", "--name", help="Event name printed on the agendas."),
    met_before: str = typer.Option(
        default(EventSettings, "met_before"),
        "--met-before",
        help="Pairs whose organisations met at an earlier event (Meeting nodes): ignore, avoid or prefer.",
    ),
    commit: bool = typer.Option(
        False,
        "--commit",
        help="Write the schedule to the graph as Meeting nodes of the --event (through the meetings loader): partner search then counts them as ties.",
    ),
    out_dir: Path = typer.Option(
        ..., "--out", help="Folder for meetings.csv, pairs.csv, schedule.xlsx, agendas/ and report.json."
    ),
) -> None:
    """Score every pair of attendees, then schedule the best conflict-free meetings (CP-SAT, or the LP relaxation rounded for the largest events; bound, gap and a greedy baseline reported)."""
    from clusterkg.events.attendees import attendees_of_event
    from clusterkg.events.exports import write_event_files
    from clusterkg.events.model import EventSettings
    from clusterkg.events.plan import plan_event
    from clusterkg.jobs.inputs import read_records, rows_from_dicts
    from clusterkg.jobs.records import AttendeeRecord

    if (attendees_file is None) == (event_id is None):
        raise ConfigError("give an attendee file or --event EVENT_ID (one of the two)")
    if commit and event_id is None:
        raise ConfigError(
            "--commit records the meetings of an event of the graph: use --event EVENT_ID (load its attendance first)"
        )
    settings = EventSettings(
        slots=slots,
        tables=tables,
        slot_minutes=slot_minutes,
        start=_parse_start(start),
        max_meetings=max_meetings,
        mutual_first=mutual_first,
        allow_same_organisation=same_organisation,
        allow_same_country=same_country,
        time_limit_s=time_limit,
        met_before=met_before_of(met_before),
    )
    settings.validate()
    with connected(ctx) as store:
        if attendees_file is not None:
            rows, warnings = read_records(attendees_file, AttendeeRecord, "attendee_id")
        else:
            assert event_id is not None  # one of the two was required above
            rows, warnings = rows_from_dicts(
                attendees_of_event(store, event_id), AttendeeRecord, "attendee_id", f"event-{event_id}"
            )
        with out.status(f"scheduling {len(rows)} attendees (time limit {time_limit:g} s)…"):
            plan = plan_event(store, rows, settings, warnings=warnings, event_id=event_id)
        files = write_event_files(plan, out_dir, event_name)
        if commit:
            assert event_id is not None  # --commit without --event was refused above
            _commit_meetings(store, plan, event_id, out_dir)
    if plan.synthetic:
        out.print("[bold yellow]SYNTHETIC attendees[/bold yellow]: the files say so on every page.")
    _print_warnings(plan.warnings)
    _print_summary("event schedule", plan.summary())
    for name, path in files.items():
        out.print(f"{name}: {path}")


def _commit_meetings(store: GraphStore, plan: EventPlan, event_id: str, out_dir: Path) -> None:
    """The schedule into the graph as Meeting nodes, through the meetings loader (validated, journaled)."""
    from clusterkg.events.exports import meeting_records
    from clusterkg.loaders.pipeline import load_files
    from clusterkg.spreadsheet import write_csv

    rows, skipped = meeting_records(plan, event_id)
    if skipped:
        out.print(
            f"[yellow]{skipped} meetings not recorded[/yellow]: an attendee is not an organisation or cluster of the graph"
        )
    if not rows:
        return
    path = out_dir / "meetings-for-the-graph.csv"
    write_csv(path, list(rows[0]), [list(r.values()) for r in rows])
    result = load_files(store, "meetings", [path])
    print_load_report(result, None)
    if not result.ok:
        raise typer.Exit(1)


@match_app.command("exchanges")
def match_exchanges(
    ctx: typer.Context,
    applicants_file: Path = typer.Argument(..., help="Applicant file (CSV, XLSX or JSON; docs/formats.md)."),
    hosts_file: Path = typer.Argument(..., help="Host file (CSV, XLSX or JSON; docs/formats.md)."),
    sme_share: float = typer.Option(
        default(ExchangeSettings, "sme_share"),
        "--sme-share",
        help="Minimum share of exchanges with SME participants (the 2020 call: 0.5).",
    ),
    outside_share: float = typer.Option(
        default(ExchangeSettings, "outside_share"),
        "--outside-share",
        help="Minimum share with participants from outside the partnerships' community (0.25).",
    ),
    time_limit: float = typer.Option(
        default(ExchangeSettings, "time_limit_s"), "--time-limit", help="Seconds the solver may take."
    ),
    commit: bool = typer.Option(
        False,
        "--commit",
        help="Write the assignments to the graph as planned Exchange nodes (through the exchanges loader).",
    ),
    out_dir: Path = typer.Option(
        ..., "--out", help="Folder for assignments.csv, unassigned.csv, exchanges.csv and report.json."
    ),
) -> None:
    """Assign applicants to host clusters abroad, maximising complementarity under capacities, dates and the call's quotas."""
    from clusterkg.exchanges.assignment import assign_exchanges
    from clusterkg.exchanges.exports import write_exchange_files
    from clusterkg.exchanges.model import ExchangeSettings
    from clusterkg.jobs.inputs import read_records
    from clusterkg.jobs.records import ApplicantRecord, HostRecord
    from clusterkg.loaders.pipeline import load_files

    settings = ExchangeSettings(sme_share=sme_share, outside_share=outside_share, time_limit_s=time_limit)
    settings.validate()
    with connected(ctx) as store:
        applicants, applicant_warnings = read_records(applicants_file, ApplicantRecord, "applicant_id")
        hosts, host_warnings = read_records(hosts_file, HostRecord, "cluster_id")
        with out.status(f"assigning {len(applicants)} applicants to {len(hosts)} hosts (time limit {time_limit:g} s)…"):
            plan = assign_exchanges(store, applicants, hosts, settings)
        plan.warnings[:0] = applicant_warnings + host_warnings
        files = write_exchange_files(plan, out_dir)
        if plan.synthetic:
            out.print("[bold yellow]SYNTHETIC applicants and hosts[/bold yellow]")
        _print_warnings(plan.warnings)
        _print_summary("ClusterXchange assignment", plan.summary())
        for quota in plan.quotas:
            if quota.message:
                out.print(f"[yellow]quota[/yellow] {quota.message}", highlight=False)
        for name, path in files.items():
            out.print(f"{name}: {path}")
        if not plan.quotas_met:
            out.print("[red]the quotas cannot be met with these applicants and hosts[/red]: nothing to commit")
            raise typer.Exit(1)
        if commit:
            result = load_files(store, "exchanges", [files["exchanges"]])
            print_load_report(result, None)
            if not result.ok:
                raise typer.Exit(1)


@match_app.command("sample-attendees")
def sample_attendees(
    ctx: typer.Context,
    count: int = typer.Option(500, "--count", help="Number of attendees."),
    seed: int = typer.Option(42, "--seed", help="Same seed, same file."),
    slots: int = typer.Option(16, "--slots", help="Slots of the event (for the availability ranges)."),
    out_file: Path = typer.Option(..., "--out", help="CSV file to write."),
) -> None:
    """Write a SYNTHETIC attendee file; about 30% of attendees link to synthetic clusters of the graph."""
    from clusterkg.jobs.synthetic import generate_attendees, synthetic_clusters, write_rows

    with connected(ctx) as store:
        clusters = synthetic_clusters(store)
    write_rows(generate_attendees(count, seed, slots=slots, clusters=clusters), out_file)
    out.print(f"SYNTHETIC attendees: {count} written to {out_file}")


@match_app.command("sample-call")
def sample_call(
    ctx: typer.Context,
    applicants: int = typer.Option(
        1000, "--applicants", help="Number of applicants (the 2020 call: about 1,000 exchanges)."
    ),
    hosts: int = typer.Option(300, "--hosts", help="Number of host clusters."),
    seed: int = typer.Option(42, "--seed", help="Same seed, same files."),
    out_dir: Path = typer.Option(..., "--out", help="Folder for applicants.csv and hosts.csv."),
) -> None:
    """Write SYNTHETIC applicant and host files for a ClusterXchange round over the graph's synthetic clusters."""
    from clusterkg.jobs.synthetic import generate_exchange_call, synthetic_clusters, write_rows

    with connected(ctx) as store:
        clusters = synthetic_clusters(store)
    if not clusters:
        raise ConfigError("the graph has no synthetic clusters to draw from: run `clusterkg demo` first")
    applicant_rows, host_rows = generate_exchange_call(clusters, applicants, hosts, seed)
    write_rows(applicant_rows, out_dir / "applicants.csv")
    write_rows(host_rows, out_dir / "hosts.csv")
    out.print(f"SYNTHETIC call: {len(applicant_rows)} applicants and {len(host_rows)} hosts written to {out_dir}")


def consortium_command(
    ctx: typer.Context,
    lead: str | None = typer.Option(None, "--lead", help="The lead cluster's id (default: the first --must)."),
    must: list[str] = typer.Option([], "--must", help="A cluster that must be in every proposal (repeatable)."),
    call: str = typer.Option(
        default(ConsortiumRequest, "call"),
        "--call",
        help="The Call node whose rules apply (`clusterkg query 'MATCH (c:Call) RETURN c.id'`).",
    ),
    proposals: int = typer.Option(
        default(ConsortiumRequest, "proposals"),
        "--proposals",
        help="How many consortia to propose (each differs by two members or more).",
    ),
    min_size: int = typer.Option(
        default(ConsortiumRequest, "min_size"),
        "--min-size",
        help="Fewest members (raised to the call's minimum when that is higher).",
    ),
    max_size: int = typer.Option(default(ConsortiumRequest, "max_size"), "--max-size", help="Most members."),
    min_countries: int | None = typer.Option(
        default(ConsortiumRequest, "min_countries"),
        "--min-countries",
        help="Fewest countries (default: the call's rule, else 3).",
    ),
    max_per_country: int = typer.Option(
        default(ConsortiumRequest, "max_per_country"), "--max-per-country", help="Most members from one country."
    ),
    min_developing: int | None = typer.Option(
        default(ConsortiumRequest, "min_developing"),
        "--min-developing",
        help="Fewest members in less developed or transition regions (default: the call's, else 1).",
    ),
    developing_share: float = typer.Option(
        default(ConsortiumRequest, "developing_share"),
        "--developing-share",
        help="Smallest share of members in less developed or transition regions (0 to 1).",
    ),
    country: list[str] = typer.Option(
        [], "--country", help="Eligible country, overriding the call's list (repeatable)."
    ),
    value_chain: list[str] = typer.Option(
        [], "--value-chain", help="Value chain whose stages to cover (repeatable; default: the lead's)."
    ),
    time_limit: float = typer.Option(
        default(ConsortiumRequest, "time_limit_s"),
        "--time-limit",
        help="Seconds the whole job may take: the shortlist and the solver, for all proposals.",
    ),
    out_dir: Path = typer.Option(..., "--out", help="Folder for consortia.md, consortia.xlsx and consortia.json."),
) -> None:
    """Propose the best consortia around a lead cluster that meet a call's rules, each explained (an exact branch and bound; bound and gap reported)."""
    from clusterkg.consortium.exports import write_consortium_files
    from clusterkg.consortium.model import ConsortiumRequest
    from clusterkg.consortium.propose import lead_and_members, propose_consortia

    lead, must_include = lead_and_members(lead, list(must))
    request = ConsortiumRequest(
        lead=lead,
        must_include=must_include,
        call=call,
        proposals=proposals,
        min_size=min_size,
        max_size=max_size,
        min_countries=min_countries,
        max_per_country=max_per_country,
        min_developing=min_developing,
        developing_share=developing_share,
        countries=tuple(c.upper() for c in country) or None,
        value_chains=tuple(value_chain) or None,
        time_limit_s=time_limit,
    )
    with connected(ctx) as store:
        with out.status(f"building consortia around {request.lead} (time limit {time_limit:g} s)…"):
            plan = propose_consortia(store, request)
    files = write_consortium_files(plan, out_dir)
    if plan.synthetic:
        out.print("[bold yellow]SYNTHETIC clusters[/bold yellow]: the proposals are a demo, not real organisations.")
    for note in plan.notes:
        out.print(f"note: {note}")
    for proposal in plan.proposals:
        table = Table(
            title=f"proposal {proposal.rank}: objective {proposal.objective:.2f} (bound {proposal.bound:.2f})",
            show_edge=False,
        )
        for column in ("member", "role", "country", "category", "brings"):
            table.add_column(column)
        for m in proposal.members:
            table.add_row(
                f"{m.name} ({m.id})",
                m.role,
                m.country,
                m.category or "-",
                ", ".join(b.competence for b in m.brings) or "-",
            )
        out.print(table)
        if proposal.uncovered_stages:
            out.print(f"  stages not covered: {', '.join(proposal.uncovered_stages)}")
    _print_summary("solver", plan.report.as_dict())
    for name, path in files.items():
        out.print(f"{name}: {path}")
