"""Every third-party package the code imports directly is declared in pyproject.toml.

A package that only arrives as a dependency of another one (numpy via pandas, jinja2 via
folium) can vanish with the next release of that other package; a fresh install would then
fail at import time. Product code must name its packages in `dependencies`, test and
benchmark code in `dependencies` or the `dev` extra.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["allianz", "db", "views", "geodata", "app.py", "main.py"]
TEST_ONLY = ["bench", "tests"]
FIRST_PARTY = {"allianz", "db", "views", "bench", "tests", "geodata", "app", "main"}


def _normalise(name: str) -> str:
    """PEP 503 form, so that `Pillow`, `pillow` and `streamlit_folium` compare as they should."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(requirements: list[str]) -> set[str]:
    return {_normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r).group()) for r in requirements}


def _imports(roots: list[str]) -> dict[str, set[str]]:
    """Top-level third-party module name -> files importing it (also imports inside functions)."""
    found: dict[str, set[str]] = {}
    for root in roots:
        path = ROOT / root
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            for node in ast.walk(ast.parse(file.read_bytes(), filename=str(file))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.partition(".")[0]
                    if top in FIRST_PARTY or top in sys.stdlib_module_names or top == "__future__":
                        continue
                    found.setdefault(top, set()).add(str(file.relative_to(ROOT)))
    return found


def _undeclared(roots: list[str], declared: set[str]) -> list[str]:
    distributions = packages_distributions()
    problems = []
    for module, files in sorted(_imports(roots).items()):
        candidates = {_normalise(d) for d in distributions.get(module, [])}
        if not candidates:
            problems.append(f"{module}: no installed distribution provides it ({min(files)})")
        elif not candidates & declared:
            names = " or ".join(sorted(candidates))
            problems.append(f"{module}: declare {names} (imported in {min(files)})")
    return problems


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_product_imports_are_runtime_dependencies():
    runtime = _declared(_project()["dependencies"])
    problems = _undeclared(PRODUCT, runtime)
    assert not problems, "\n".join(problems)


def test_test_and_bench_imports_are_declared():
    project = _project()
    declared = _declared(project["dependencies"]) | _declared(
        project["optional-dependencies"]["dev"]
    )
    problems = _undeclared(TEST_ONLY, declared)
    assert not problems, "\n".join(problems)


def test_the_scan_finds_imports_and_their_distributions():
    """Guards the check itself: a scan that found nothing would pass vacuously."""
    product = _imports(PRODUCT)
    assert {"streamlit", "streamlit_folium", "shapely"} <= product.keys()
    assert not {"allianz", "json", "__future__"} & product.keys()
    assert "pytest" in _imports(TEST_ONLY)
    problems = _undeclared(PRODUCT, declared=set())
    assert any(p.startswith("streamlit_folium: declare streamlit-folium ") for p in problems)
