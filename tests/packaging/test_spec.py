"""Static checks of the packaging files: the PyInstaller spec, the NSIS script, the Windows workflow.

Fast: the spec's configuration part (everything above its ``# -- analysis`` line, plain Python) is run
without PyInstaller; the build itself is exercised by ``installer/build_linux.sh`` (see .ci/run). When
Debian's ``makensis`` is installed, the NSIS script is also compiled against a small stand-in bundle.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dttsclient

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "dttsclient.spec"
NSI = INSTALLER / "dttsclient.nsi"
WORKFLOW = ROOT / ".github" / "workflows" / "windows-build.yml"
ANALYSIS_MARKER = "# -- analysis"


def spec_config(monkeypatch: pytest.MonkeyPatch, platform: str = "linux", hub: bool = False) -> dict:
    """The names the spec's configuration part defines, as PyInstaller would see them on ``platform``."""
    monkeypatch.setattr(sys, "platform", platform)
    if hub:
        monkeypatch.setenv("DTTS_BUNDLE_HUB", "1")
    else:
        monkeypatch.delenv("DTTS_BUNDLE_HUB", raising=False)
    text = SPEC.read_text(encoding="utf-8")
    assert text.count(ANALYSIS_MARKER) == 1
    prefix = text.split(ANALYSIS_MARKER)[0]
    namespace: dict = {"SPECPATH": str(INSTALLER), "__name__": "dttsclient_spec"}
    exec(compile(prefix, str(SPEC), "exec"), namespace)
    return namespace


# -- the spec ---------------------------------------------------------------------------------------
def test_spec_parses_and_builds_one_folder_gui():
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    calls = {
        node.func.id: node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    for builder in ("Analysis", "PYZ", "EXE", "COLLECT"):
        assert builder in calls, builder
    collect_kw = {k.arg for k in calls["COLLECT"].keywords}
    assert "name" in collect_kw  # one folder: COLLECT gathers the binaries beside the executable
    text = SPEC.read_text(encoding="utf-8")
    assert "exclude_binaries=True" in text
    assert "icon=str(ICON)" in text and "version=version_info" in text
    assert "VSVersionInfo(" in text and "FixedFileInfo(" in text


def test_spec_config_runs_without_pyinstaller(monkeypatch):
    """The configuration part imports nothing from PyInstaller (so this test runs anywhere)."""
    prefix = SPEC.read_text(encoding="utf-8").split(ANALYSIS_MARKER)[0]
    assert "PyInstaller" not in "".join(
        line for line in prefix.splitlines(keepends=True) if line.startswith(("import", "from"))
    )
    ns = spec_config(monkeypatch)
    assert ns["ENTRY"] == ROOT / "src" / "dttsclient" / "__main__.py"
    assert ns["ENTRY"].is_file()
    assert ns["ICON"].is_file()


def test_version_comes_from_the_package(monkeypatch):
    ns = spec_config(monkeypatch)
    assert ns["VERSION"] == dttsclient.__version__
    assert ns["package_version"]() == dttsclient.__version__
    vt = ns["version_tuple"]
    assert vt("0.1.0") == (0, 1, 0, 0)
    assert vt("1.2") == (1, 2, 0, 0)
    assert vt("2.10.3rc1") == (2, 10, 3, 0)
    assert vt("1.0.0+local.5") == (1, 0, 0, 0)


def test_keyring_backends_are_hidden_imports(monkeypatch):
    linux = spec_config(monkeypatch, "linux")["HIDDEN_IMPORTS"]
    for name in (
        "keyring.backends.Windows",
        "keyring.backends.SecretService",
        "keyring.backends.chainer",
        "keyring.backends.fail",
        "keyring.backends.null",
        "secretstorage",
        "jeepney",
    ):
        assert name in linux, name
    windows = spec_config(monkeypatch, "win32")["HIDDEN_IMPORTS"]
    for name in ("keyring.backends.Windows", "win32ctypes.pywin32.win32cred", "win32ctypes.core"):
        assert name in windows, name
    assert "secretstorage" not in windows
    assert "dttsclient.portable" in linux and "platformdirs" in linux
    assert 'copy_metadata("keyring")' in SPEC.read_text(encoding="utf-8")  # backends are entry points


def test_excludes(monkeypatch):
    ns = spec_config(monkeypatch)
    excludes = set(ns["EXCLUDES"])
    for qt in (
        "QtNetwork",
        "QtQml",
        "QtQuick",
        "QtSql",
        "QtSvg",
        "QtPrintSupport",
        "QtOpenGL",
        "QtDBus",
        "QtTest",
        "QtWebEngineCore",
        "QtMultimedia",
    ):
        assert f"PySide6.{qt}" in excludes, qt
    for used in ("QtCore", "QtGui", "QtWidgets"):
        assert f"PySide6.{used}" not in excludes
    for name in ("tkinter", "pytest", "hypothesis", "PyInstaller", "setuptools", "pip", "PyQt5", "psycopg"):
        assert name in excludes, name
    # The demo hub stays out by default ...
    for name in ("dttshub", "fastapi", "uvicorn", "sqlalchemy", "pydantic", "starlette", "argon2"):
        assert name in excludes, name
    assert ns["INCLUDE_HUB"] is False
    # ... and what the client needs is never excluded.
    for needed in (
        "openpyxl",
        "fpdf",
        "requests",
        "keyring",
        "sqlite_utils",
        "cryptography",
        "platformdirs",
        "pluggy",
        "click",
        "PIL",
        "fontTools",
        "secretstorage",
        "jeepney",
        "dttsclient",
        "unittest",
    ):  # fpdf2's signing module imports unittest.mock
        assert needed not in excludes, needed


def test_training_build_with_the_demo_hub(monkeypatch):
    ns = spec_config(monkeypatch, hub=True)
    assert ns["INCLUDE_HUB"] is True
    assert "dttshub" not in ns["EXCLUDES"] and "uvicorn" not in ns["EXCLUDES"]
    assert "uvicorn.protocols.http.h11_impl" in ns["HIDDEN_IMPORTS"]
    assert "psycopg" in ns["EXCLUDES"]  # the demo hub uses SQLite


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/imageformats/libqico.so", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qoffscreen.dll", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6\\plugins\\iconengines\\qsvgicon.dll", False),
        ("PySide6\\opengl32sw.dll", False),
        ("PySide6\\d3dcompiler_47.dll", False),
        ("PySide6/Qt/translations/qtbase_en.qm", False),
        ("PySide6\\translations\\qt_en.qm", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6\\Qt6Core.dll", True),
        ("dttsclient/resources/i18n/dttsclient_en.qm", True),
        ("libpython3.11.so.1.0", True),
    ],
)
def test_qt_plugins_and_translations_filter(monkeypatch, dest, kept):
    keep = spec_config(monkeypatch)["keep_collected"]
    assert keep((dest, "/src/" + dest, "BINARY")) is kept


def test_offscreen_is_kept_beside_the_desktop_platforms(monkeypatch):
    kept = spec_config(monkeypatch)["QT_PLUGINS_KEPT"]
    assert {"qoffscreen", "qwindows", "qxcb"} <= kept


def test_resources_are_bundled(monkeypatch):
    datas = spec_config(monkeypatch)["resource_datas"]()
    shipped = {(Path(src).relative_to(ROOT / "resources").as_posix(), dest) for src, dest in datas}
    names = {name for name, _dest in shipped}
    assert "__init__.py" in names
    assert "catalog/sample.json" in names
    assert "i18n/dttsclient_en.qm" in names and "i18n/dttsclient_vi.qm" in names
    assert any(n.startswith("ref/") and n.endswith(".csv") for n in names)
    assert any(n.startswith("fonts/") and n.endswith(".ttf") for n in names)
    # The PDF's serif (every style it draws) and its licence travel with the program.
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert f"fonts/LiberationSerif-{style}.ttf" in names
    assert "fonts/LICENSE" in names
    assert not any(n.endswith(".ts") or "__pycache__" in n for n in names)
    for name, dest in shipped:
        # resources/ref is the core's package dttscore.ref (core/pyproject.toml)
        package = "dttscore/" if name.startswith("ref/") else "dttsclient/resources/"
        assert Path(dest).as_posix() == (package + str(Path(name).parent)).rstrip("/.")
    assert ("ref/__init__.py", str(Path("dttscore/ref"))) in shipped


def test_application_icon_is_a_multi_size_ico():
    data = (INSTALLER / "dttsclient.ico").read_bytes()
    assert data[:4] == b"\x00\x00\x01\x00"  # ICO header
    count = int.from_bytes(data[4:6], "little")
    widths = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= widths


# -- the NSIS script --------------------------------------------------------------------------------
def nsi_text() -> str:
    return NSI.read_text(encoding="utf-8-sig")


def section(text: str, name: str) -> str:
    match = re.search(rf'^Section "{re.escape(name)}".*?^SectionEnd', text, re.S | re.M)
    assert match, name
    return match.group(0)


def code_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith(";")]


def test_nsi_is_per_user():
    text = nsi_text()
    assert re.search(r"^RequestExecutionLevel user$", text, re.M)
    assert re.search(r'^InstallDir "\$LOCALAPPDATA\\Programs\\\$\{APP_ID\}"$', text, re.M)
    assert 'InstallDirRegKey HKCU "${UNINST_KEY}"' in text
    assert "HKLM" not in text and "SetShellVarContext all" not in text
    assert "SetShellVarContext current" in text
    assert "Unicode true" in text


def test_nsi_takes_the_bundle_and_version_from_the_command_line():
    text = nsi_text()
    assert "!ifndef DIST_DIR" in text and '"${DIST_DIR}\\${EXE_NAME}"' in text
    assert 'File /r "${DIST_DIR}\\_internal"' in text
    assert "!ifndef VERSION" in text and "!error" in text


def test_nsi_has_vietnamese_and_english():
    text = nsi_text()
    vi = text.index('!insertmacro MUI_LANGUAGE "Vietnamese"')
    en = text.index('!insertmacro MUI_LANGUAGE "English"')
    assert vi < en  # the first language is the default
    strings: dict[str, set[str]] = {}
    for name, lang in re.findall(r"^LangString (\w+) \$\{LANG_(\w+)\}", text, re.M):
        strings.setdefault(name, set()).add(lang)
    assert strings, "no LangString"
    for name, langs in strings.items():
        assert langs == {"VIETNAMESE", "ENGLISH"}, name
    used = set(re.findall(r"\$\((\w+)\)", text))
    assert used <= strings.keys()
    assert "Gỡ cài đặt" in text  # real Vietnamese, with its diacritics


def test_nsi_shortcuts_and_upgrade():
    text = nsi_text()
    install = section(text, "!${APP_NAME}")
    assert 'CreateShortcut "$DESKTOP\\${APP_NAME}.lnk"' in install
    assert 'CreateShortcut "$SMPROGRAMS\\${START_FOLDER}\\${APP_NAME}.lnk"' in install
    assert 'WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"' in install
    assert 'WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"' in install
    assert "Call CloseRunningApp" in install
    assert 'ReadRegStr $PreviousVersion HKCU "${UNINST_KEY}" "DisplayVersion"' in text
    # Before overwriting, only the old program's own folder is cleared, and only if it is ours.
    recursive = [line for line in code_lines(install) if line.startswith("RMDir /r")]
    assert recursive == ['RMDir /r "$INSTDIR\\_internal"']


def test_nsi_uninstaller_never_touches_the_data():
    text = nsi_text()
    uninstall = section(text, "Uninstall")
    lines = code_lines(uninstall)
    body = "\n".join(lines)
    for forbidden in (
        "DATA_DIR",
        "$APPDATA",
        "$LOCALAPPDATA",
        "$PROFILE",
        "$DOCUMENTS",
        "portable.txt",
        "\\data",
        "DTTSClient\\profiles",
    ):
        assert forbidden not in body, forbidden
    for line in lines:
        if line.startswith("RMDir /r"):
            assert line == 'RMDir /r "$INSTDIR\\_internal"', line
        elif line.startswith("RMDir"):
            assert line in ('RMDir "$INSTDIR"', 'RMDir "$SMPROGRAMS\\${START_FOLDER}"'), line
        elif line.startswith("Delete "):
            target = line.split(" ", 1)[1].strip('"')
            assert target.startswith(("$INSTDIR\\", "$DESKTOP\\", "$SMPROGRAMS\\")), line
    assert 'Delete "$INSTDIR\\${UNINSTALLER}"' in lines
    assert 'DeleteRegKey HKCU "${UNINST_KEY}"' in lines
    # The macro that deletes shortcuts only deletes shortcuts.
    macro = re.search(r"^!macro DELETE_SHORTCUTS.*?^!macroend", text, re.S | re.M)
    assert macro
    for line in code_lines(macro.group(0))[1:-1]:
        assert line.startswith('Delete "$DESKTOP\\') or line.startswith('Delete "$SMPROGRAMS\\'), line


@pytest.mark.skipif(
    shutil.which("makensis") is None, reason="makensis is not installed (apt-get install nsis)"
)
def test_nsi_compiles_with_makensis(tmp_path):
    dist = tmp_path / "dist" / "dttsclient"
    (dist / "_internal" / "dttsclient" / "resources").mkdir(parents=True)
    (dist / "dttsclient.exe").write_bytes(b"MZ stand-in")
    (dist / "dttsclient-cli.exe").write_bytes(b"MZ stand-in")
    (dist / "_internal" / "dttsclient" / "resources" / "__init__.py").write_text("", encoding="utf-8")
    out = tmp_path / "dttsclient-9.8.7-setup.exe"
    proc = subprocess.run(
        ["makensis", "-V2", "-DVERSION=9.8.7", f"-DDIST_DIR={dist}", f"-DOUT_FILE={out}", str(NSI)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ" and len(data) > 50_000
    assert "9.8.7".encode("utf-16-le") in data  # the version resource
    missing = subprocess.run(
        ["makensis", "-V1", str(NSI)], capture_output=True, text=True, timeout=60, check=False
    )
    assert missing.returncode != 0  # no version given: refuses to build


# -- the Windows workflow ---------------------------------------------------------------------------
def test_windows_workflow():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "runs-on: windows-latest" in text
    assert re.search(r"python-version: ['\"]?3\.11", text)
    assert "installer/dttsclient.spec" in text
    assert "--smoke-test" in text and "QT_QPA_PLATFORM: offscreen" in text
    assert "choco install nsis" in text and "installer/dttsclient.nsi" in text
    assert "actions/upload-artifact" in text
    assert "\t" not in text


def test_links_to_dropped_files_are_dropped(monkeypatch):
    """PyInstaller links top-level library names to the real files; a link to a dropped file goes too."""
    drop = spec_config(monkeypatch)["drop_dangling_links"]
    entries = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Svg.so.6", "PySide6/Qt/lib/libQt6Svg.so.6", "SYMLINK"),
        ("libQt6Svg.so", "libQt6Svg.so.6", "SYMLINK"),  # a link to a link
        ("PySide6/Qt/lib/libQt6Core.so.6", "/site/PySide6/Qt/lib/libQt6Core.so.6", "BINARY"),
        ("dttsclient/resources/catalog/sample.json", "/repo/resources/catalog/sample.json", "DATA"),
    ]
    kept = drop(entries, {"pyside6/qt/lib/libqt6svg.so.6"})
    assert [e[0] for e in kept] == [
        "libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "dttsclient/resources/catalog/sample.json",
    ]
    assert drop(entries, set()) == entries


def test_windows_workflow_is_valid_yaml():
    yaml = pytest.importorskip("yaml")
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = doc["jobs"]["windows"]
    assert job["runs-on"] == "windows-latest"
    assert job["env"]["QT_QPA_PLATFORM"] == "offscreen"
    steps = job["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert uses.count("actions/upload-artifact") == 2
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "dist\\dttsclient\\dttsclient.exe" in runs and "--smoke-test" in runs
    assert '"/S"' in runs and "_?=$dir" in runs  # silent install and an in-place silent uninstall


@pytest.mark.skipif(
    shutil.which("makensis") is None or sys.platform == "win32", reason="makensis on a POSIX system"
)
def test_nsi_signs_installer_and_uninstaller_when_asked(tmp_path, monkeypatch):
    """/DSIGN runs signtool on the uninstaller (inside the installer) and on the installer itself."""
    dist = tmp_path / "dist"
    (dist / "_internal").mkdir(parents=True)
    (dist / "dttsclient.exe").write_bytes(b"MZ stand-in")
    (dist / "_internal" / "x.dll").write_bytes(b"MZ")
    log = tmp_path / "signtool.log"
    fake = tmp_path / "bin" / "signtool"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DTTS_SIGN_PFX", "C:/certs/dtts.pfx")
    monkeypatch.setenv("DTTS_SIGN_PASSWORD", "secret")
    monkeypatch.setenv("DTTS_TIMESTAMP_URL", "http://timestamp.example")
    out = tmp_path / "dttsclient-1.0.0-setup.exe"
    proc = subprocess.run(
        ["makensis", "-V2", "-DSIGN", "-DVERSION=1.0.0", f"-DDIST_DIR={dist}", f"-DOUT_FILE={out}", str(NSI)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert len(calls) == 2
    for call in calls:
        assert call.startswith("sign /fd SHA256 /td SHA256 /tr http://timestamp.example /f C:/certs/dtts.pfx")
    assert calls[-1].endswith(str(out))
