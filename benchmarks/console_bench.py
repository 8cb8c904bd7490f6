"""Province console figures (issue 15): each page's server time, bytes per page, first render in Chromium.

``bench_console(db_url)`` starts a hub over ``db_url`` (a PostgreSQL schema, or an SQLite file), publishes
the sample catalogue and ingests, through the hub's own ingestion code, the annual report of the sample's
largest form for the communes of province 66 (102 communes): every commune for 2024 and 2025, all but ten
for 2026; a third of the 2026 reports are accepted, a few are returned; every commune has an officer
account with a device. Then, signed in to ``/console/`` as the province's reviewer (admin for the
administration page):

* **server time** of each page: the median (and 95th percentile) of ``repeat`` GET requests on loopback,
  from the request to the last byte (the pages are rendered on the server, so this is the server's time
  plus a loopback round trip); the start page, the totals, their trend chart (an SVG image of its own) and
  the drill-down also right after a change on the hub, when their figures are computed again (otherwise
  they come from ``dttshub.console.cache``);
* **bytes transferred** for each page, assets included: the page as sent (gzip, as a browser asks for it)
  plus the stylesheet, the script and the icon;
* **first render** in headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright): the
  ``first-contentful-paint`` of each of the four main pages after a fresh navigation, once the browser has
  shown one other console page (its own start-up: fonts, caches); skipped when Chromium or Playwright is
  missing.

Run alone: ``python benchmarks/console_bench.py [--quick] [--db URL] [--screenshots docs]`` (the last saves
the README's screenshots, 1366x768, from this data set).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the repository root: the test helpers are tests.support

PROVINCE = "66"
ETH_ROWS = ["02", "08", "09"]
CLOCK = datetime(2027, 1, 10, 3, 0, tzinfo=timezone.utc)  # before the deadline of the 2026 reports
BATCH = 50
PASSWORD = "bench-password"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ASSETS = ("/console/static/console.css", "/console/static/console.js", "/console/static/favicon.svg")


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered) * 1000, 1), round(p95 * 1000, 1)


def _sign_in(session, base: str, username: str) -> None:
    page = session.get(base + "/console/", timeout=60)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = session.post(
        base + "/console/login",
        data={"username": username, "password": PASSWORD, "csrf": token},
        timeout=60,
    )
    r.raise_for_status()
    assert "dtts_console" in session.cookies, "sign-in failed"


def _wire_bytes(session, url: str) -> int:
    """Bytes of a reply's body as sent (compressed when the hub compresses it)."""
    with session.get(url, timeout=60, stream=True, headers={"Accept-Encoding": "gzip"}) as r:
        r.raise_for_status()
        return len(r.raw.read(decode_content=False))


def bench_console(
    db_url: str | None = None, repeat: int = 30, screenshots: Path | None = None, browser: bool = True
) -> dict:
    """Build the data set and time every page (see the module's description)."""
    import requests
    from hub_bench import _largest_form

    from dttscore import refdata
    from dttscore.catalog import load_catalog
    from dttshub.embedded import EmbeddedHub
    from dttshub.scope import Account
    from tests.support.hubfixture import FAST_ARGON2, make_submission, valid_values

    catalog = load_catalog(HERE.parent / "resources" / "catalog" / "sample.json")
    form = _largest_form(catalog)
    values, warnings = valid_values(catalog, form, ETH_ROWS)
    fewer, fewer_warnings = valid_values(catalog, form, ETH_ROWS[:2])
    province = [c.commune_code for c in refdata.communes_in(PROVINCE)]

    def doc(unit: str, period: str, small: bool = False) -> dict:
        return make_submission(
            fewer if small else values,
            unit=unit,
            form=form,
            period=period,
            catalog_id=catalog.catalog_id,
            catalog_version=catalog.version,
            eth_rows=ETH_ROWS[:2] if small else ETH_ROWS,
            warnings=fewer_warnings if small else warnings,
        )

    with tempfile.TemporaryDirectory(prefix="console-bench-") as tmp:
        url = db_url or f"sqlite:///{Path(tmp) / 'hub.sqlite'}"
        with EmbeddedHub(
            url, data_dir=Path(tmp), environment="test", clock=lambda: CLOCK, **FAST_ARGON2
        ) as hub:
            h = hub.hub
            h.catalogs.publish(catalog, by="bench")
            admin = Account("bench", "admin", "*", "bench-device")
            docs = (
                [doc(u, "2024", i % 2 == 0) for i, u in enumerate(province)]
                + [doc(u, "2025", i % 3 == 0) for i, u in enumerate(province)]
                + [doc(u, "2026", i % 4 == 0) for i, u in enumerate(province[:-10])]
            )
            for i in range(0, len(docs), BATCH):
                h.ingest.ingest_many(admin, "bench-device", docs[i : i + BATCH])
            reviewer = Account("reviewer66", "reviewer", PROVINCE)
            h.reviews.bulk_accept(reviewer, [(u, form, "2026") for u in province[: len(province) // 3]])
            for u in province[len(province) // 3 : len(province) // 3 + 5]:
                h.reviews.review(reviewer, u, form, "2026", "return", "Kiểm tra lại số hộ nghèo")
            for u in province:
                h.accounts.add_user(f"cb{u}", "officer", u, PASSWORD)
            with h.db.begin() as conn:
                for u in province:
                    h.accounts.touch_device(conn, f"cb{u}", f"pc-{u}", CLOCK, "PC xã", "0.1.0")
            h.accounts.add_user("reviewer66", "reviewer", PROVINCE, PASSWORD)
            h.accounts.add_user("admin66", "admin", PROVINCE, PASSWORD)
            report_unit = province[len(province) // 3 + 6]
            first_indicator = catalog.form_indicators(form)[0].code
            pages = {
                "start": "/console/",
                "board": f"/console/completeness?form={form}&period=2026",
                "report": f"/console/report/{report_unit}/{form}/2026",
                "queue": "/console/queue",
                "totals": f"/console/totals?form={form}&period=2026",
                "trend chart (SVG)": f"/console/totals/trend.svg?form={form}&period=2026&code={first_indicator}",
                "drilldown": f"/console/totals/units?form={form}&period=2026&code={first_indicator}",
                "conflicts": "/console/conflicts",
                "admin": "/console/admin",
            }
            times: dict[str, tuple[float, float]] = {}
            sizes: dict[str, int] = {}
            from dttshub.workers import settle_heap

            settle_heap()  # what `dttshub serve` does before serving (the data set made here stays put too)
            with requests.Session() as s, requests.Session() as a:
                _sign_in(s, hub.url, "reviewer66")
                _sign_in(a, hub.url, "admin66")
                assets = sum(_wire_bytes(s, hub.url + path) for path in ASSETS)
                for name, path in pages.items():
                    session = a if name == "admin" else s
                    for _ in range(2):
                        session.get(hub.url + path, timeout=60).raise_for_status()
                    samples = []
                    for _ in range(repeat):
                        t0 = time.perf_counter()
                        session.get(hub.url + path, timeout=60).raise_for_status()
                        samples.append(time.perf_counter() - t0)
                    times[name] = _ms(samples)
                    sizes[name] = _wire_bytes(session, hub.url + path) + assets
                # the chart right after a change on the hub (its cache emptied each time): the cold case
                from dttshub.db import CHANGE_SEQ

                for name in ("start", "totals", "trend chart (SVG)", "drilldown"):
                    samples = []
                    for _ in range(max(3, repeat // 3)):
                        with h.db.begin() as conn:
                            h.db.next_value(conn, CHANGE_SEQ)
                        t0 = time.perf_counter()
                        s.get(hub.url + pages[name], timeout=60).raise_for_status()
                        samples.append(time.perf_counter() - t0)
                    times[f"{name}, after a change"] = _ms(samples)
                cookie = s.cookies.get("dtts_console")
            render = _first_render(hub.url, cookie, pages, screenshots) if browser else {}
    return {
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        "form": form,
        "communes": len(province),
        "reports": len(docs),
        "repeat": repeat,
        "server_ms": times,
        "bytes_with_assets": sizes,
        "asset_bytes": assets,
        "first_render_ms": render,
    }


def _first_render(base: str, cookie: str | None, pages: dict, screenshots: Path | None) -> dict:
    """first-contentful-paint of the four main pages in headless Chromium (ms); {} without Chromium."""
    if not Path(CHROMIUM).exists():
        return {}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    out: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            context.add_cookies([{"name": "dtts_console", "value": cookie or "", "url": base + "/console/"}])
            page = context.new_page()
            # the browser's own start-up (fonts, caches) is not a page's first render: one page before timing
            page.goto(base + pages["conflicts"], wait_until="load")
            for name in ("start", "board", "report", "totals"):
                page.goto(base + pages[name], wait_until="load")
                fcp = page.evaluate(
                    "() => { const e = performance.getEntriesByName('first-contentful-paint')[0];"
                    " return e ? e.startTime : performance.getEntriesByType('navigation')[0].loadEventEnd; }"
                )
                out[name] = round(float(fcp), 1)
                if screenshots is not None:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(screenshots / f"console-{name}.png"))
        finally:
            browser.close()
    return out


def figures(quick: bool = False) -> list[dict]:
    """The console figures for ``benchmarks/run.py`` (PostgreSQL when configured, else SQLite)."""
    from run import figure

    base = os.environ.get("DTTS_TEST_POSTGRES_URL")
    schema = url = None
    if base:
        from tests.support.hubfixture import create_pg_schema

        schema, url = create_pg_schema(base)
    try:
        r = bench_console(url, repeat=10 if quick else 30)
    finally:
        if base and schema:
            from tests.support.hubfixture import drop_pg_schema

            drop_pg_schema(base, schema)
    label = "PostgreSQL" if base else "SQLite"
    out = []
    for name, (median, p95) in r["server_ms"].items():
        out.append(
            figure(
                f"console page {name}, server time ({label}), median",
                median,
                "ms",
                200.0,
                note=f"{r['communes']} communes of province {PROVINCE}, {r['reports']} reports; p95 {p95} ms",
            )
        )
    out.append(
        figure(
            "console page bytes incl. assets, largest page",
            max(r["bytes_with_assets"].values()) / 1024,
            "KB",
            300.0,
            note=", ".join(f"{k} {v / 1024:.1f} KB" for k, v in r["bytes_with_assets"].items()),
        )
    )
    if r["first_render_ms"]:
        out.append(
            figure(
                "console first render in Chromium, slowest of 4 pages",
                max(r["first_render_ms"].values()),
                "ms",
                1000.0,
                note=", ".join(f"{k} {v} ms" for k, v in r["first_render_ms"].items()),
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="10 timings per page instead of 30")
    p.add_argument("--db", help="a PostgreSQL URL (a fresh schema is made in it; default: an SQLite file)")
    p.add_argument("--screenshots", type=Path, help="save console-{start,board,report,totals}.png here")
    args = p.parse_args(argv)
    schema = url = None
    if args.db and args.db.startswith("postgresql"):
        from tests.support.hubfixture import create_pg_schema, drop_pg_schema

        schema, url = create_pg_schema(args.db)  # a fresh schema: the run leaves nothing behind
    try:
        result = bench_console(url, repeat=10 if args.quick else 30, screenshots=args.screenshots)
    finally:
        if schema:
            drop_pg_schema(args.db, schema)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
