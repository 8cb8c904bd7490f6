#!/usr/bin/env bash
# Build the Linux one-folder bundle with installer/dttsclient.spec and check the frozen program:
# `--version` and `--smoke-test` on Qt's offscreen platform. Exits non-zero when the build or a check
# fails; prints the bundle's size and the build time.
#
# Usage: bash installer/build_linux.sh [--clean]
#   --clean   rebuild from scratch (PyInstaller's cache and the previous bundle are removed)
# Environment:
#   PYTHON            the Python with the package installed (default: .venv/bin/python)
#   DTTS_BUILD_DIR    where to build (default: build/pyinstaller, ignored by git)
#   DTTS_BUNDLE_HUB=1 also bundle the demo hub (see the spec)
#
# The bundle is build/pyinstaller/dist/dttsclient/; benchmarks/package_bench.py measures it.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
BUILD_DIR=${DTTS_BUILD_DIR:-build/pyinstaller}
DIST="$BUILD_DIR/dist"
BUNDLE="$DIST/dttsclient"
CLEAN=()
[ "${1:-}" = "--clean" ] && CLEAN=(--clean)

if [ ! -x "$PY" ]; then
  echo "build_linux: no Python at $PY (run scripts/test.sh first, or set PYTHON)" >&2
  exit 1
fi
# The package itself (the spec analyses src/) and PyInstaller (the project's "build" extra).
"$PY" -c "import dttsclient, dttscore" 2>/dev/null || "$PY" -m pip install -q -e ./core -e . --no-deps
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "build_linux: installing PyInstaller (the build extra)"
  "$PY" -m pip install -q "pyinstaller>=6.10"
fi
version=$("$PY" -c "import dttsclient; print(dttsclient.__version__)")

echo "build_linux: building dttsclient $version into $BUNDLE"
start=$(date +%s)
log="$BUILD_DIR/pyinstaller.log"
mkdir -p "$BUILD_DIR"
if ! "$PY" -m PyInstaller --noconfirm "${CLEAN[@]}" --log-level WARN \
    --distpath "$DIST" --workpath "$BUILD_DIR/work" installer/dttsclient.spec >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "build_linux: PyInstaller failed (full log: $log)" >&2
  exit 1
fi
build_s=$(( $(date +%s) - start ))
grep "dttsclient.spec:" "$log" || true

exe="$BUNDLE/dttsclient"
[ -x "$exe" ] || { echo "build_linux: $exe is missing" >&2; exit 1; }

# --version: the frozen program reports the package's version.
got=$("$exe" --version)
echo "build_linux: $got"
if [ "$got" != "dttsclient $version" ]; then
  echo "build_linux: --version said '$got', expected 'dttsclient $version'" >&2
  exit 1
fi

# --smoke-test: temporary profile, sample catalogue, first paint, one cell written and read back.
smoke_start=$(date +%s%N)
if ! smoke=$(QT_QPA_PLATFORM=offscreen timeout 120 "$exe" --smoke-test 2>&1); then
  echo "$smoke" >&2
  echo "build_linux: the frozen smoke test failed" >&2
  exit 1
fi
smoke_ms=$(( ($(date +%s%N) - smoke_start) / 1000000 ))
echo "$smoke" | grep -v "propagateSizeHints" || true
echo "$smoke" | grep -q "^smoke test ok" || { echo "build_linux: no 'smoke test ok' line" >&2; exit 1; }

# The command line's journeys reach modules the smoke test does not (openpyxl, fpdf2 with its fonts,
# the backup writer): a missing module only shows when frozen code imports it.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
journey() {
  if ! out=$("$exe" --data-dir "$work/profile" --unit 02701 "$@" 2>&1); then
    echo "$out" >&2
    echo "build_linux: the frozen 'dttsclient $*' failed" >&2
    exit 1
  fi
}
journey catalog import resources/catalog/sample.json
journey values set --form BM01 --period 2026 0104=42
journey export xlsx --form BM01 --period 2026 "$work/report.xlsx"
journey export pdf --form BM01 --period 2026 "$work/report.pdf"
journey backup export "$work/usb"
journey status --json
[ -s "$work/report.xlsx" ] && [ "$(head -c 4 "$work/report.pdf")" = "%PDF" ] \
  || { echo "build_linux: the frozen exports wrote no xlsx/pdf" >&2; exit 1; }
echo "build_linux: frozen command line ok (catalogue, values, xlsx, pdf, backup, status)"

# The pieces that only a real run of the frozen code would miss otherwise.
dangling=$(find "$BUNDLE" -xtype l)
[ -z "$dangling" ] || { echo "build_linux: dangling links in the bundle: $dangling" >&2; exit 1; }
for f in _internal/dttsclient/resources/catalog/sample.json _internal/dttsclient/resources/i18n/dttsclient_en.qm \
         _internal/dttsclient/resources/fonts/LiberationSerif-Regular.ttf; do
  [ -f "$BUNDLE/$f" ] || { echo "build_linux: $f is missing from the bundle" >&2; exit 1; }
done
ls "$BUNDLE"/_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so >/dev/null
ls -d "$BUNDLE"/_internal/keyring-*.dist-info >/dev/null

size_bytes=$(du -sb "$BUNDLE" | cut -f1)
files=$(find "$BUNDLE" -type f | wc -l)
echo "build_linux: bundle $BUNDLE: $(( size_bytes / 1000000 )) MB ($size_bytes bytes, $files files)"
echo "build_linux: build ${build_s} s, frozen smoke test ${smoke_ms} ms"
echo "build_linux: ok"
