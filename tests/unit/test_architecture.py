"""The shape the code keeps: pages call services, slices keep to their own tables, central
modules loop over the registry instead of knowing a slice's tables."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from allianz import features

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "allianz"
SLICES = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
CENTRAL_TABLES = {"meta", "audit", "submissions", "limit_events", "_sqlite_migrations"}
SQL_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE|JOIN)\s+\[?(\w+)\]?|db\[\"(\w+)\"\]")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names]
    return found


def _tables(path: Path) -> set[str]:
    return {a or b for a, b in SQL_TABLE.findall(path.read_text(encoding="utf-8"))}


PAGES = sorted(PACKAGE.glob("*/pages/*.py"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_call_services_not_stores(page):
    imported = _imports(page)
    assert not [m for m in imported if m.endswith((".store", ".register_cache"))], imported
    assert "sqlite3" not in imported and "sqlite_utils" not in imported
    source = page.read_text(encoding="utf-8")
    assert ".execute(" not in source and ".query(" not in source
    assert not _tables(page)


def test_every_page_file_is_registered_and_every_registered_page_exists():
    registered = {p.path for p in features.pages()}
    assert {str(p.relative_to(ROOT)) for p in PAGES} == registered
    assert all((ROOT / path).is_file() for path in registered)


def test_slices_read_no_other_slices_store():
    for name in SLICES:
        for path in (PACKAGE / name).rglob("*.py"):
            for module in _imports(path):
                parts = module.split(".")
                if len(parts) >= 3 and parts[0] == "allianz" and parts[1] in SLICES:
                    other = parts[1] != name
                    assert not (other and parts[2] in ("store", "register_cache")), (path, module)


def test_central_modules_touch_no_slice_table():
    slice_tables = set()
    for name in SLICES:
        for path in (PACKAGE / name).rglob("*.py"):
            slice_tables |= _tables(path)
    slice_tables -= CENTRAL_TABLES
    for path in [*PACKAGE.glob("*.py"), ROOT / "app.py", ROOT / "main.py"]:
        assert not (_tables(path) & slice_tables), path


def test_every_slice_is_registered():
    registered = {name.split(".")[-1] for name in features.SLICES}
    assert set(SLICES) <= registered


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_download_buttons_do_not_rerun_the_page(page):
    """A click that reruns the page registers the deferred file anew; a quick second click
    still holds the old id and fails ("Deferred file … not found")."""
    tree = ast.parse(page.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "download_button":
            given = {k.arg: k.value for k in node.keywords}
            assert "on_click" in given, f"line {node.lineno}: on_click='ignore' missing"
            assert ast.literal_eval(given["on_click"]) == "ignore", f"line {node.lineno}"


def _recorded_actions() -> set[str]:
    """Every action code passed to audit.record (literals, also both sides of an if)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            if not (isinstance(node, ast.Call) and getattr(func, "attr", "") == "record"):
                continue
            if getattr(func.value, "id", "") != "audit" or len(node.args) < 3:
                continue
            found |= {
                n.value
                for n in ast.walk(node.args[2])
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            }
    return found


def test_every_audit_action_has_a_german_label():
    actions = _recorded_actions()
    assert len(actions) > 30  # the scan finds the calls
    missing = sorted(actions - set(features.audit_labels()))
    assert missing == [], "declare them in the slice's Feature(audit_actions=...)"
