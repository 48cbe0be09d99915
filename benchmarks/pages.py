"""Time to a rendered page in headless Chromium: the overview map and a partner list.

    .venv/bin/python benchmarks/pages.py --scale s --runs 10

Serves the app (`clusterkg serve`) over a scratch embedded server with the
reference data and the SYNTHETIC graph of the scale, then opens each page
`--runs` times in Debian's Chromium (a fresh browser context each time, so
nothing is cached) and measures from navigation to the page's own "drawn"
mark: the overview's map with its 290 regions and charts, a cluster's
ranked partners with their reasons and map. Prints median and worst, and the
scale. A warm-up run of each page is not counted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench_support import scratch_server
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def timed(browser, url: str, ready: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready, timeout=120_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m"))
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with scratch_server() as scratch:
        store = scratch.demo("pages", args.scale)
        seeker = store.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 1").scalar()
        clusters = store.read("MATCH (c:Cluster) RETURN count(c) AS n").scalar()
        with scratch.served("pages") as base:
            pages = {
                "overview map": (f"{base}/", "body[data-ready=true]"),
                "partner list": (f"{base}/cluster/{seeker}?find=1", "body[data-partners=ready]"),
            }
            results = {}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, (url, ready) in pages.items():
                    timed(browser, url, ready)  # warm-up: the server's caches, Chromium's process pool
                    runs = [timed(browser, url, ready) for _ in range(args.runs)]
                    results[name] = {
                        "median_ms": round(statistics.median(runs) * 1000, 1),
                        "max_ms": round(max(runs) * 1000, 1),
                    }
                    print(
                        f"{name:13} scale {args.scale} ({clusters:,} clusters): median {results[name]['median_ms']} ms, worst {results[name]['max_ms']} ms over {args.runs} runs"
                    )
                browser.close()
            print(
                "RESULT " + json.dumps({"scale": args.scale, "clusters": clusters, "runs": args.runs, "pages": results})
            )


if __name__ == "__main__":
    main()
