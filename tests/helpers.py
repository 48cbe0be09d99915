"""Helpers shared by tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str, data_dir: Path | None = None, env: dict[str, str] | None = None, check: bool = False
) -> subprocess.CompletedProcess:
    """Run the real `clusterkg` command line in a subprocess."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
    environment["COLUMNS"] = "200"
    if data_dir is not None:
        environment["CLUSTERKG_DATA_DIR"] = str(data_dir)
    environment.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "clusterkg.cli", *args], capture_output=True, text=True, env=environment, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"clusterkg {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result
