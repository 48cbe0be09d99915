"""One home per default: CLI options, GraphQL inputs and the SDL agree with the request dataclasses, for every job."""

from __future__ import annotations

import dataclasses
import inspect
import re

import pytest

from clusterkg.cli.match import consortium_command, match_event, match_exchanges
from clusterkg.consortium.model import ConsortiumRequest
from clusterkg.events.model import EventSettings
from clusterkg.exchanges.model import ExchangeSettings
from clusterkg.graphql.consortia import ConsortiumInput
from clusterkg.graphql.matching import EventMatchInput, ExchangeAssignmentInput
from clusterkg.graphql.partners import PartnerSearchInput, ScoreWeights
from clusterkg.graphql.schema import SCHEMA_FILE
from clusterkg.scoring.complementarity import Weights, partner_search

# (job, the home of its defaults, CLI command, GraphQL input, {home name: (CLI parameter, GraphQL field)})
JOBS = [
    (
        "event",
        EventSettings,
        match_event,
        EventMatchInput,
        {
            "slot_minutes": ("slot_minutes", "slot_minutes"),
            "start": ("start", "start"),
            "max_meetings": ("max_meetings", "max_meetings"),
            "mutual_first": ("mutual_first", "mutual_first"),
            "allow_same_organisation": ("same_organisation", "allow_same_organisation"),
            "allow_same_country": ("same_country", "allow_same_country"),
            "time_limit_s": ("time_limit", "time_limit_seconds"),
        },
    ),
    (
        "exchanges",
        ExchangeSettings,
        match_exchanges,
        ExchangeAssignmentInput,
        {
            "sme_share": ("sme_share", "sme_share"),
            "outside_share": ("outside_share", "outside_share"),
            "time_limit_s": ("time_limit", "time_limit_seconds"),
        },
    ),
    (
        "consortium",
        ConsortiumRequest,
        consortium_command,
        ConsortiumInput,
        {
            name: (name, name)
            for name in (
                "call",
                "proposals",
                "min_size",
                "max_size",
                "min_countries",
                "max_per_country",
                "min_developing",
                "developing_share",
            )
        }
        | {"time_limit_s": ("time_limit", "time_limit_seconds")},
    ),
]


def home_default(home, name):
    value = {f.name: f.default for f in dataclasses.fields(home)}[name]
    return value.strftime("%H:%M") if hasattr(value, "strftime") else value


def cli_default(command, name):
    return inspect.signature(command).parameters[name].default.default  # typer's OptionInfo


def graphql_default(input_type, name):
    return next(f.default for f in input_type.__strawberry_definition__.fields if f.python_name == name)


def sdl_defaults(type_name: str) -> dict[str, str]:
    """`field: Type = default` lines of one input type in the exported SDL."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    block = re.search(rf"input {type_name} {{(.*?)\n}}", text, re.S).group(1)
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\s*(\w+): [^=\n]+= (.+)$", block, re.M)}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def sdl_value(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


@pytest.mark.parametrize("job, home, command, input_type, names", JOBS, ids=[j[0] for j in JOBS])
def test_cli_graphql_and_sdl_take_the_jobs_defaults(job, home, command, input_type, names):
    sdl = sdl_defaults(input_type.__strawberry_definition__.name)
    for name, (cli_name, graphql_name) in names.items():
        expected = home_default(home, name)
        assert cli_default(command, cli_name) == expected, f"{job}: --{cli_name}"
        assert graphql_default(input_type, graphql_name) == expected, f"{job}: {graphql_name}"
        assert sdl.get(camel(graphql_name), "null") == sdl_value(expected), f"{job}: SDL {camel(graphql_name)}"


def test_partner_search_defaults_come_from_the_score_and_the_function():
    for field in dataclasses.fields(Weights):
        assert graphql_default(ScoreWeights, field.name) == field.default
        assert sdl_defaults("ScoreWeights")[camel(field.name)] == sdl_value(field.default)
    parameters = inspect.signature(partner_search).parameters
    for graphql_name, parameter in (
        ("first", "first"),
        ("offset", "skip"),
        ("exclude_existing_partners", "exclude_ties"),
    ):
        assert graphql_default(PartnerSearchInput, graphql_name) == parameters[parameter].default
