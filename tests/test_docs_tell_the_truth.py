"""The README and the build files name only things that exist (issue 16, point 7: they had
drifted: commands placed in the wrong folder, a CSS build pointing nowhere, a test tool among the
runtime requirements, a cited notes file that is not in the repository)."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `path/to/file.py`, `folder/`, `docs/decisions/0008-….md`: backticked, with a slash, no spaces.
PATH = re.compile(r"`([A-Za-z0-9_.\-]+/[A-Za-z0-9_./\-]*)`")
NOT_PATHS = ("/admin/", "/api/", "/accounts/", "/healthz", "http", "/consultations/")
# Rates ("30/h"), an outcome's address ("outcome/") and folders made when the site runs (var/).
NOT_FILES = re.compile(r"\d+/[smhd]|count/period|outcome/|var/.*")


def readme_paths():
    text = (ROOT / "README.md").read_text()
    for found in PATH.findall(text):
        if found.startswith(NOT_PATHS) or "<" in found or NOT_FILES.fullmatch(found):
            continue
        yield found


def test_every_path_the_readme_names_exists():
    paths = list(readme_paths())
    assert len(paths) > 40
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert missing == []


def test_the_readme_puts_the_response_commands_where_they_are():
    for command in ("export_responses", "import_responses"):
        assert (ROOT / "consultations/management/commands" / f"{command}.py").exists()
    assert "`consultations/management/commands/`" in (ROOT / "README.md").read_text()


def test_package_json_builds_the_css_the_makefile_builds():
    script = json.loads((ROOT / "package.json").read_text())["scripts"]["build:css"]
    source, target = script.split()[-2:]
    assert (ROOT / source).exists()
    assert f"{target}: {source}" in (ROOT / "Makefile").read_text()


def test_test_tools_are_not_runtime_requirements():
    runtime = (ROOT / "requirements.txt").read_text().lower()
    for tool in ("pytest", "playwright", "hypothesis", "factory-boy", "ruff"):
        assert tool not in runtime, tool
    assert "pytest-django==" in (ROOT / "requirements-test.txt").read_text()


def test_nothing_cites_notes_that_are_not_in_the_repository():
    cited = [
        path.relative_to(ROOT)
        for pattern in ("*.md", "*.py")
        for path in ROOT.rglob(pattern)
        if not {".venv", "node_modules", "tests"} & set(path.relative_to(ROOT).parts)
        and "FIELD-NOTES" in path.read_text(errors="ignore")
    ]
    assert cited == []
