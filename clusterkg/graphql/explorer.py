"""What a front-end needs beyond lookups: the overview's figures, the directory's facets, tables as files.

The explorer pages (clusterkg/web) are clients of these fields like any other
front-end: nothing they show comes from an endpoint of their own. Files
(`clustersFile`, `partnersFile`) come back as base64 with a name and a media
type, built with clusterkg.spreadsheet (no cell a spreadsheet would run).
"""

from __future__ import annotations

import base64
import enum
import io
from typing import Any

import strawberry
import xlsxwriter
from strawberry.types import Info

from clusterkg.errors import ClusterKGError
from clusterkg.graphql.types import ClusterFilter, CountBy, RegionCategory, ctx, fulltext_terms
from clusterkg.spreadsheet import XLSX_OPTIONS, csv_text, safe_cell

MAX_FILE_ROWS = 10_000
FULLTEXT_LIMIT = 10_000


@strawberry.enum(description="A table's file format.")
class TableFormat(enum.Enum):
    CSV = "csv"
    XLSX = "xlsx"


@strawberry.type(description="A file to download: its name, media type and content (base64).")
class FileDownload:
    filename: str
    media_type: str
    rows: int
    base64: str


@strawberry.type(description="Exchanges sent from one country to another.")
class Flow:
    sender: str
    host: str
    count: int


@strawberry.type(description="A NUTS-2 region as the overview map colours it.")
class MapRegion:
    nuts: str
    name: str
    category: RegionCategory | None
    gdp_index: float | None = strawberry.field(description="GDP per head in PPS, % of EU-27, average 2015-2017")
    clusters: int


@strawberry.type(description="The knowledge base at a glance. Each part is computed only when asked for.")
class Overview:
    _cache: strawberry.Private[dict[str, Any]]

    async def _counts(self, info: Info) -> dict[str, Any]:
        if "counts" not in self._cache:
            self._cache["counts"] = (await ctx(info).query("overview_counts", {}))[0]
        counts: dict[str, Any] = self._cache["counts"]
        return counts

    async def _breakdowns(self, info: Info) -> list[dict[str, Any]]:
        if "breakdowns" not in self._cache:
            self._cache["breakdowns"] = await ctx(info).query("overview_breakdowns", {})
        breakdowns: list[dict[str, Any]] = self._cache["breakdowns"]
        return breakdowns

    async def _by(self, info: Info, dimension: str) -> list[CountBy]:
        return [
            CountBy.of(dimension, r["value"] or "unknown", r["count"])
            for r in await self._breakdowns(info)
            if r["dimension"] == dimension
        ]

    @strawberry.field
    async def clusters(self, info: Info) -> int:
        return int((await self._counts(info))["clusters"])

    @strawberry.field
    async def organisations(self, info: Info) -> int:
        return int((await self._counts(info))["organisations"])

    @strawberry.field
    async def partnerships(self, info: Info) -> int:
        return int((await self._counts(info))["partnerships"])

    @strawberry.field
    async def exchanges(self, info: Info) -> int:
        return int((await self._counts(info))["exchanges"])

    @strawberry.field(description="Countries with at least one cluster")
    async def countries(self, info: Info) -> int:
        return int((await self._counts(info))["countries"])

    @strawberry.field(description="True when clusters of the graph are SYNTHETIC demo data")
    async def synthetic(self, info: Info) -> bool:
        return bool((await self._counts(info))["synthetic_clusters"])

    @strawberry.field
    async def clusters_by_ecosystem(self, info: Info) -> list[CountBy]:
        return sorted(await self._by(info, "ecosystem"), key=lambda c: (-c.count, c.value))

    @strawberry.field
    async def clusters_by_country(self, info: Info) -> list[CountBy]:
        return sorted(await self._by(info, "country"), key=lambda c: (-c.count, c.value))

    @strawberry.field
    async def clusters_by_category(self, info: Info) -> list[CountBy]:
        return sorted(await self._by(info, "category"), key=lambda c: c.value)

    @strawberry.field
    async def exchange_flows(self, info: Info) -> list[Flow]:
        return [
            Flow(sender=r["value"], host=r["other"], count=r["count"])
            for r in await self._breakdowns(info)
            if r["dimension"] == "flow"
        ]

    @strawberry.field(description="Every NUTS-2 region as the overview map colours it.")
    async def map_regions(self, info: Info) -> list[MapRegion]:
        return [
            MapRegion(
                nuts=r["nuts"],
                name=(r["name"] or r["nuts"]).strip(),
                category=RegionCategory(r["category"]) if r["category"] else None,
                gdp_index=r["gdp_index"],
                clusters=r["clusters"],
            )
            for r in await ctx(info).query("map_regions", {})
        ]


def _values(items: list[Any] | None) -> list[Any] | None:
    return [i.value if hasattr(i, "value") else str(i) for i in items] if items else None


async def filter_params(info: Info, f: ClusterFilter) -> dict[str, Any]:
    """The cluster_list / cluster_facets parameters of a filter; `text` becomes the ids its full-text search finds."""
    ids = None
    if f.text:
        rows = await ctx(info).query(
            "search_fulltext", {"text": fulltext_terms(f.text), "limit": FULLTEXT_LIMIT}, {"label": "Cluster"}
        )
        ids = [r["id"] for r in rows]
    return {
        "countries": [c.upper() for c in f.countries] if f.countries else None,
        "categories": _values(f.region_categories),
        "ecosystems": _values(f.ecosystems),
        "excellence_labels": [x.lower() for x in f.excellence_labels] if f.excellence_labels else None,
        "nuts_prefix": f.nuts_region.upper() if f.nuts_region else None,
        "synthetic": f.synthetic,
        "ids": ids,
    }


def overview() -> Overview:
    return Overview(_cache={})


async def cluster_facets(info: Info, f: ClusterFilter) -> list[CountBy]:
    rows = await ctx(info).query("cluster_facets", await filter_params(info, f))
    return [CountBy.of(r["dimension"], r["value"], r["count"]) for r in rows]


def table_file(name: str, columns: list[str], rows: list[list[Any]], fmt: TableFormat, synthetic: bool) -> FileDownload:
    """A table as CSV or XLSX, every cell safe for spreadsheets; a SYNTHETIC table says so in its name."""
    stem = f"{name}-SYNTHETIC" if synthetic else name
    if fmt is TableFormat.CSV:
        data = csv_text(columns, rows).encode("utf-8")
        return FileDownload(
            filename=f"{stem}.csv", media_type="text/csv", rows=len(rows), base64=base64.b64encode(data).decode()
        )
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    sheet = workbook.add_worksheet(name[:31])
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, columns, bold)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, [safe_cell(v) for v in row])
    workbook.close()
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileDownload(
        filename=f"{stem}.xlsx", media_type=media, rows=len(rows), base64=base64.b64encode(buffer.getvalue()).decode()
    )


async def clusters_file(info: Info, f: ClusterFilter, fmt: TableFormat) -> FileDownload:
    context = ctx(info)
    params = await filter_params(info, f)
    found = (await context.query("cluster_list", {**params, "skip": 0, "limit": MAX_FILE_ROWS}))[0]
    if found["total"] > MAX_FILE_ROWS:
        raise ClusterKGError(
            f"{found['total']} clusters match: a file holds at most {MAX_FILE_ROWS:,}; narrow the filter"
        )
    clusters = await context.loaders.entity("Cluster").load_many(found["page"])
    columns = [
        "id",
        "name",
        "acronym",
        "country",
        "nuts",
        "category",
        "ecosystems",
        "excellence_label",
        "members_total",
        "website",
        "synthetic",
    ]
    rows = [[c.get(k) for k in columns] for c in clusters if c]
    return table_file("clusters", columns, rows, fmt, any(c.get("synthetic") for c in clusters if c))
