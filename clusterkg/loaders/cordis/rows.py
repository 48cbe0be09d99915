"""One row of a CORDIS file, as the real files write it, normalised and checked.

What the official files hold, and what each becomes here:

- `SME` is `true`, `false` or empty: empty is *unknown* (None), never false;
- `activityType` is a code: PRC private company, HES higher education, REC
  research, PUB public body, OTH other; it maps onto clusterkg's member kinds
  (a PRC is an `sme` or `large` by its SME flag, `other` when that is unknown;
  the code itself is kept as `activity_type`);
- `country` is CORDIS's: `EL` for Greece and `UK` for the United Kingdom, as
  NUTS writes them (GR and GB are accepted too);
- amounts are decimals (a point or a decimal comma) or empty;
- `organisationID` is the participant's PIC (Participant Identification Code);
- postcodes arrive as numbers with their leading zeros lost: the place
  lookup puts them back (clusterkg.loaders.postcodes).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, field_validator

from clusterkg.loaders.context import COUNTRY_SYNONYMS
from clusterkg.loaders.records import Record, split_list
from clusterkg.validation import Identifier, fold

# The columns as CORDIS names them (readers lower-case a header): messages name a field as the file does.
OFFICIAL_COLUMNS = {
    name.lower(): name
    for name in (
        "projectID projectAcronym organisationID vatNumber name shortName SME activityType street postCode city "
        "country nutsCode geolocation organizationURL contactForm order role ecContribution netEcContribution "
        "totalCost endOfParticipation active id acronym status title startDate endDate ecMaxContribution "
        "legalBasis topics ecSignatureDate frameworkProgramme masterCall subCall fundingScheme euroSciVocTitle topic "
        "clusterkgId"
    ).split()
}
ACTIVITY_KINDS = {"HES": "university", "REC": "research", "PUB": "public", "OTH": "other"}  # PRC: by its SME flag
ACTIVITY_TYPES = ("PRC", *ACTIVITY_KINDS)
# Legal forms at the end of a name: "ACME GMBH" and "Acme" are one name in one country.
LEGAL_FORMS = frozenset(
    "ab ag as asbl aps bv co cv ev gmbh gie inc kft kg ltd limited mbh nv oy oyj plc sa sas sarl sl slu sp spa "
    "srl sro z oo zoo vzw ug ohg kgaa eg ek doo ad ood eood ehf".split()
)


def name_key(name: str) -> str:
    """The name as organisations are matched by it: no case, accents, punctuation or trailing legal form."""
    words = re.sub(r"[^0-9a-z]+", " ", fold(name).replace("'", "").replace(".", "")).split()  # S.R.L. -> srl
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def amount(value: object) -> float | None:
    """'1234.5', '1234,5', '1.234,50', '1,234.50', 1234.5 -> 1234.5; empty -> None; else ValueError."""
    if value is None or isinstance(value, float | int):
        return None if value is None else float(value)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"not an amount: '{value}' (expected a decimal number, e.g. 125000.50)") from None


def flag_or_unknown(value: object) -> bool | None:
    """CORDIS's true/false; empty is unknown."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "null", "none"):
        return None
    if text in ("true", "1", "yes", "y"):
        return True
    if text in ("false", "0", "no", "n"):
        return False
    raise ValueError(f"expected true, false or empty (unknown), not '{value}'")


def cordis_date(value: object) -> dt.date | None:
    """ISO dates (with or without a time after them), or day/month/year."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError(f"not a date: '{value}' (expected YYYY-MM-DD)")


def _country(value: object) -> object:
    if isinstance(value, str):
        code = value.strip().upper()
        return COUNTRY_SYNONYMS.get(code, code)
    return value


def _vat(value: object) -> object:
    if isinstance(value, str):
        return re.sub(r"[^0-9A-Z]", "", value.upper()) or None
    return value


def _whole(value: object) -> object:
    """A JSON number or a CSV cell written as '123.0' -> '123' (ids and PICs are whole numbers)."""
    if isinstance(value, str) and re.fullmatch(r"\d+\.0+", value.strip()):
        return value.strip().split(".")[0]
    return value


Amount = Annotated[float | None, BeforeValidator(amount)]
Unknown = Annotated[bool | None, BeforeValidator(flag_or_unknown)]
CordisDate = Annotated[dt.date | None, BeforeValidator(cordis_date)]
CordisId = Annotated[str, BeforeValidator(_whole), Field(min_length=1), Identifier]


class CordisRecord(Record):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True, populate_by_name=True)


class ParticipationRow(CordisRecord):
    """A row of `organization.csv`: one organisation in one project."""

    project_id: CordisId = Field(alias="projectid")
    project_acronym: str | None = Field(default=None, alias="projectacronym")
    pic: CordisId = Field(alias="organisationid")
    vat: Annotated[str | None, BeforeValidator(_vat)] = Field(default=None, alias="vatnumber")
    name: str = Field(min_length=1)
    short_name: str | None = Field(default=None, alias="shortname")
    sme: Unknown = Field(default=None, alias="sme")
    activity_type: Annotated[str | None, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)] = (
        Field(default=None, alias="activitytype")
    )
    street: str | None = None
    postcode: Annotated[str | None, BeforeValidator(_whole)] = Field(default=None, alias="postcode")
    city: str | None = None
    country: Annotated[str, BeforeValidator(_country), Field(min_length=2, max_length=2)]
    nuts_code: Annotated[str | None, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)] = Field(
        default=None, alias="nutscode"
    )
    website: str | None = Field(default=None, alias="organizationurl")
    order: Annotated[int | None, BeforeValidator(_whole)] = None
    role: Annotated[str | None, BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v)] = None
    ec_contribution: Amount = Field(default=None, alias="eccontribution")
    net_ec_contribution: Amount = Field(default=None, alias="neteccontribution")
    total_cost: Amount = Field(default=None, alias="totalcost")
    ended: Unknown = Field(default=None, alias="endofparticipation")
    node_id: Annotated[str | None, Identifier] = Field(default=None, alias="clusterkgid")  # clusterkg's export only

    @field_validator("pic")
    @classmethod
    def is_a_pic(cls, pic: str) -> str:
        if not pic.isdigit():
            raise ValueError(f"not a PIC: '{pic}' (CORDIS's organisationID is a number)")
        return pic

    @field_validator("activity_type")
    @classmethod
    def is_an_activity_type(cls, code: str | None) -> str | None:
        if code and code not in ACTIVITY_TYPES:
            raise ValueError(f"'{code}' is not a CORDIS activity type ({', '.join(ACTIVITY_TYPES)})")
        return code or None

    @property
    def kind(self) -> str:
        """The member kind of the triple helix."""
        if self.activity_type == "PRC":
            return {True: "sme", False: "large"}.get(self.sme, "other")  # type: ignore[arg-type]
        return ACTIVITY_KINDS.get(self.activity_type or "", "other")

    @property
    def organisation_id(self) -> str:
        """The id of an organisation first known from CORDIS."""
        return f"cordis-{self.pic}"


class ProjectRow(CordisRecord):
    """A row of `project.csv`."""

    id: CordisId
    acronym: str | None = None
    title: str | None = None
    status: str | None = None
    start: CordisDate = Field(default=None, alias="startdate")
    end: CordisDate = Field(default=None, alias="enddate")
    total_cost: Amount = Field(default=None, alias="totalcost")
    ec_contribution: Amount = Field(default=None, alias="ecmaxcontribution")
    programme: str | None = Field(default=None, alias="frameworkprogramme")
    funding_scheme: str | None = Field(default=None, alias="fundingscheme")
    legal_basis: str | None = Field(default=None, alias="legalbasis")
    call: str | None = Field(default=None, alias="mastercall")
    topics: Annotated[list[str], BeforeValidator(split_list)] = []

    @field_validator("end")
    @classmethod
    def not_before_start(cls, end: dt.date | None, info: object) -> dt.date | None:
        start = getattr(info, "data", {}).get("start")
        if end is not None and start is not None and end < start:
            raise ValueError(f"end {end} is before start {start}")
        return end


class ProjectTermRow(CordisRecord):
    """A row of `euroSciVoc.csv` or `topics.csv`: one more term of a project."""

    project_id: CordisId = Field(alias="projectid")
    scivoc_title: str | None = Field(default=None, alias="euroscivoctitle")
    topic: str | None = None
    title: str | None = None
