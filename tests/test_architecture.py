"""The package's imports run one way, down the layers of docs/architecture.md, and never in a circle."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "clusterkg"
# Lowest first: a module may import its own layer and the layers below it.
LAYERS = [
    {
        "clusterkg",
        "clusterkg.errors",
        "clusterkg.settings",
        "clusterkg.validation",
        "clusterkg.defaults",
        "clusterkg.spreadsheet",
    },
    {"clusterkg.graph"},
    {"clusterkg.schema"},
    {"clusterkg.queries"},
    {"clusterkg.loaders"},
    {"clusterkg.scoring", "clusterkg.accounts", "clusterkg.notify"},
    {"clusterkg.jobs", "clusterkg.changes", "clusterkg.postings"},
    {"clusterkg.events", "clusterkg.exchanges", "clusterkg.consortium"},
    {"clusterkg.programme"},
    {"clusterkg.runner"},
    {"clusterkg.graphql"},
    {"clusterkg.web"},
    {"clusterkg.cli"},
]
# Rooms of one layer that must not reach into each other: each job decides its own kind of plan.
SIBLINGS = ("clusterkg.events", "clusterkg.exchanges", "clusterkg.consortium")
# The job packages reach the loaders through clusterkg.jobs.inputs (and its records) only.
LOADER_SEAM = "clusterkg.jobs"
SIZE_LIMIT = 500  # lines, no exceptions: a longer module is two modules


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    for index, layer in enumerate(LAYERS):
        if (
            any(module == prefix or module.startswith(prefix + ".") for prefix in layer if prefix != "clusterkg")
            or module in layer
        ):
            return index
    raise AssertionError(f"{module} is in no layer of tests/test_architecture.py: add it")


def imports() -> dict[str, set[str]]:
    """Every clusterkg module imported by each module, at the top or inside functions."""
    found: dict[str, set[str]] = defaultdict(set)
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        for item in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(item, ast.Import):
                targets = [a.name for a in item.names]
            elif isinstance(item, ast.ImportFrom) and item.module and item.level == 0:
                targets = [
                    f"{item.module}.{a.name}" if f"{item.module}.{a.name}" in modules else item.module
                    for a in item.names
                ]
            else:
                continue
            found[name].update(t for t in targets if t.startswith("clusterkg") and t != name)
    return found


def test_imports_only_go_down_the_layers():
    upward = [
        f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
        for module, targets in imports().items()
        for target in targets
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def test_no_import_cycles():
    graph = imports()
    cycles = []

    def visit(node: str, stack: list[str], state: dict[str, int]) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join(stack[stack.index(target) :] + [target]))
            elif not state.get(target):
                visit(target, stack, state)
        stack.pop()
        state[node] = 2

    state: dict[str, int] = {}
    for node in sorted(graph):
        if not state.get(node):
            visit(node, [], state)
    assert cycles == []


def test_modules_stay_under_the_size_limit():
    long = [
        f"{path.relative_to(PACKAGE)}: {lines} lines"
        for path in PACKAGE.rglob("*.py")
        if (lines := path.read_text(encoding="utf-8").count("\n")) > SIZE_LIMIT
    ]
    assert long == []


def room_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_jobs_do_not_reach_sideways():
    sideways = [
        f"{module} imports {target}"
        for module, targets in imports().items()
        for target in targets
        if room_of(module) in SIBLINGS and room_of(target) in SIBLINGS and room_of(target) != room_of(module)
    ]
    assert sideways == []


def test_jobs_reach_the_loaders_through_one_seam():
    direct = [
        f"{module} imports {target}"
        for module, targets in imports().items()
        for target in targets
        if room_of(module) in (*SIBLINGS, "clusterkg.scoring") and room_of(target) == "clusterkg.loaders"
    ]
    assert direct == []


def test_every_room_says_what_it_decides_and_what_it_must_not_import():
    silent = []
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if len(docstring) < 80 or "import" not in docstring:
            silent.append(str(init.relative_to(PACKAGE)))
    assert silent == []
