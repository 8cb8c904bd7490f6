"""Packaging figures: the size of the frozen one-folder bundle and how fast the frozen app starts.

The bundle is ``build/pyinstaller/dist/dttsclient`` (built by ``installer/build_linux.sh`` when it is
absent). Figures:

* the bundle's size on disk (goal ≤ 150 MB, 1 MB = 10⁶ bytes);
* cold start of the frozen program to its first painted main window (goal ≤ 1.5 s). A fresh process
  per run, on a profile that already has its commune and the sample catalogue (no first-run wizard),
  on Qt's offscreen platform. It needs the first-paint hook in ``dttsclient.ui.app.run_gui`` (the
  environment variable :data:`FIRST_PAINT_ENV`); without it the figure is the time until the frozen
  ``--smoke-test`` prints its success line — an upper bound, since the smoke test also creates a
  profile, imports the catalogue and writes a cell before it prints;
* the first run after the bundle's files are evicted from the OS page cache (``posix_fadvise``; the
  closest to a PC's first start of the day that needs no root), the warm median, ``--version`` (the
  bootloader and interpreter alone), and the smoke test's peak memory.

Run alone: ``python benchmarks/package_bench.py [--quick]`` (prints JSON).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUNDLE = ROOT / "build" / "pyinstaller" / "dist" / "dttsclient"
BUILD_SCRIPT = ROOT / "installer" / "build_linux.sh"
APP_SOURCE = ROOT / "src" / "dttsclient" / "ui" / "app.py"
SAMPLE = ROOT / "resources" / "catalog" / "sample.json"
UNIT = "02701"  # Xã Y Tý, Lào Cai (the demo commune)
FIRST_PAINT_ENV = "DTTS_EXIT_AFTER_FIRST_PAINT"
FIRST_PAINT_LINE = "first paint at "  # followed by time.time() of the first paint event
SMOKE_LINE = "smoke test ok"
SIZE_GOAL_MB = 150.0
START_GOAL_S = 1.5


def ensure_bundle(bundle: Path = BUNDLE) -> float | None:
    """Build the bundle with ``installer/build_linux.sh`` when it is absent; the build's seconds, or None
    when it was already there."""
    if executable(bundle).exists():
        return None
    started = time.perf_counter()
    proc = subprocess.run(["bash", str(BUILD_SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"installer/build_linux.sh failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - started


def executable(bundle: Path = BUNDLE) -> Path:
    return bundle / ("dttsclient.exe" if sys.platform == "win32" else "dttsclient")


def bundle_size(bundle: Path = BUNDLE) -> tuple[int, int]:
    """Bytes and number of files of the bundle (symbolic links not followed, not counted twice)."""
    total = files = 0
    for folder, _dirs, names in os.walk(bundle):
        for name in names:
            st = os.lstat(os.path.join(folder, name))
            total += st.st_size
            files += 1
    return total, files


def evict_from_page_cache(bundle: Path = BUNDLE) -> bool:
    """Ask the OS to drop the bundle's files from its page cache (no root needed); False if it cannot."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for folder, _dirs, names in os.walk(bundle):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


def prepare_profile(data_dir: Path) -> Path:
    """A profile with its commune and the sample catalogue, so the app opens its main window directly."""
    from dttsclient.store import Store
    from dttscore import refdata
    from dttscore.catalog import load_catalog

    with Store.open(data_dir) as store:
        store.catalogs.import_catalog(load_catalog(SAMPLE))
        commune = refdata.commune(UNIT)
        store.settings.set_profile(unit=UNIT, unit_name=commune.commune_name if commune else None, lang="vi")
    return data_dir


def first_paint_hook_present(source: Path = APP_SOURCE) -> bool:
    """Whether ``run_gui`` has the first-paint hook (the bundle is built from this source)."""
    return FIRST_PAINT_ENV in source.read_text(encoding="utf-8")


def run_timed(cmd: list[str], marker: str, env: dict[str, str], timeout: float = 120.0) -> dict:
    """Run ``cmd``; seconds until a line starting with ``marker``, total seconds, exit code, peak RSS.

    Returns:
        {"marker_s", "marker_epoch" (the line's payload after the marker, if a number), "total_s",
        "returncode", "max_rss_mb" (None where ``os.wait4`` does not exist), "output"}.
    """
    start_epoch = time.time()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    marker_s = payload = None
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if marker_s is None and line.startswith(marker):
                marker_s = time.perf_counter() - start
                try:
                    payload = float(line[len(marker) :].split()[0])
                except (ValueError, IndexError):
                    payload = None
        max_rss_mb = None
        if hasattr(os, "wait4"):
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            max_rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
        else:
            proc.wait()
    finally:
        killer.cancel()
    total_s = time.perf_counter() - start
    return {
        "marker_s": marker_s,
        "marker_from_epoch_s": None if payload is None else payload - start_epoch,
        "total_s": total_s,
        "returncode": proc.returncode,
        "max_rss_mb": max_rss_mb,
        "output": "\n".join(lines[-20:]),
    }


def _checked(result: dict, what: str) -> dict:
    if result["returncode"] != 0 or result["marker_s"] is None:
        raise RuntimeError(f"{what} failed (exit {result['returncode']}):\n{result['output']}")
    return result


def bench_start(runs: int, bundle: Path = BUNDLE, hook: bool | None = None) -> dict:
    """Cold (page cache evicted) and warm starts of the frozen program; see the module docstring.

    Args:
        runs: warm runs (and runs of ``--smoke-test`` and ``--version``).
        bundle: the one-folder bundle.
        hook: whether the bundle has the first-paint hook (default: whether the source has it).
    """
    exe = str(executable(bundle))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if hook is None:
        hook = first_paint_hook_present()
    with tempfile.TemporaryDirectory(prefix="dtts-package-bench-") as tmp:
        if hook:
            profile = prepare_profile(Path(tmp) / "profile")
            cmd, marker = [exe, "--data-dir", str(profile)], FIRST_PAINT_LINE
            env[FIRST_PAINT_ENV] = "1"
        else:
            cmd, marker = [exe, "--smoke-test"], SMOKE_LINE

        def once() -> float:
            r = _checked(run_timed(cmd, marker, env), "the frozen start")
            # The hook reports the paint's own wall-clock time; the smoke line arrives after the paint.
            return r["marker_from_epoch_s"] if hook and r["marker_from_epoch_s"] else r["marker_s"]

        evicted = evict_from_page_cache(bundle)
        cold = once()
        warm = [once() for _ in range(runs)]
        smoke = [
            _checked(run_timed([exe, "--smoke-test"], SMOKE_LINE, env), "--smoke-test") for _ in range(runs)
        ]
        version = [
            _checked(run_timed([exe, "--version"], "dttsclient ", env), "--version") for _ in range(runs)
        ]
    return {
        "hook": hook,
        "evicted": evicted,
        "cold_s": cold,
        "warm_median_s": statistics.median(warm),
        "warm_min_s": min(warm),
        "warm_max_s": max(warm),
        "smoke_total_median_s": statistics.median(r["total_s"] for r in smoke),
        "smoke_max_rss_mb": max((r["max_rss_mb"] or 0) for r in smoke) or None,
        "version_median_s": statistics.median(r["total_s"] for r in version),
        "runs": runs,
    }


def figures(quick: bool) -> list[dict]:
    from run import figure

    built_s = ensure_bundle()
    size, files = bundle_size()
    out = [
        figure(
            "frozen one-folder bundle size",
            size / 1e6,
            "MB",
            SIZE_GOAL_MB,
            note=f"{sys.platform}, {files} files, {size / 2**20:.1f} MiB; the demo hub is not bundled",
        )
    ]
    if built_s is not None:
        out.append(figure("frozen bundle build (PyInstaller, from scratch)", built_s, "s", None))
    r = bench_start(runs=3 if quick else 7)
    what = (
        "fresh process to the main window's first paint event (first-paint hook)"
        if r["hook"]
        else "fresh process to the --smoke-test success line: an UPPER BOUND (it also creates a profile, "
        "imports the catalogue and writes a cell); the first-paint hook is not in ui/app.py yet"
    )
    cache = "bundle evicted from the page cache first" if r["evicted"] else "page cache not evicted"
    out += [
        figure(
            "frozen cold start to the first painted window",
            r["cold_s"],
            "s",
            START_GOAL_S,
            note=f"{what}; {cache}; offscreen platform",
        ),
        figure(
            "frozen start to the first painted window, warm, median",
            r["warm_median_s"],
            "s",
            START_GOAL_S,
            note=f"min {r['warm_min_s']:.2f} s, max {r['warm_max_s']:.2f} s over {r['runs']} runs; {what}",
        ),
        figure(
            "frozen --smoke-test wall time, median",
            r["smoke_total_median_s"],
            "s",
            None,
            note="start, temporary profile, catalogue import, paint, one cell, shutdown",
        ),
        figure(
            "frozen --version wall time, median",
            r["version_median_s"],
            "s",
            None,
            note="bootloader, interpreter and argument parsing only",
        ),
    ]
    if r["smoke_max_rss_mb"]:
        out.append(
            figure(
                "frozen --smoke-test peak memory (RSS)",
                r["smoke_max_rss_mb"],
                "MB",
                None,
                note="the officer's PC has 4 GB",
            )
        )
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    print(json.dumps(figures("--quick" in sys.argv), indent=2, ensure_ascii=False))
