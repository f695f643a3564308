"""The architecture's boundaries that import-linter cannot see (its contracts: pyproject.toml)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("journal", "reviews")


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_imports_a_private_name_of_another():
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            if node.module.split(".")[0] not in PACKAGES:
                continue
            parts = node.module.split(".")
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno} imports {alias.name} from {node.module}"
                for alias in node.names
                if _is_private(alias.name)
            ]
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno} imports from private {node.module}"
                for part in parts
                if _is_private(part)
            ]
    assert found == []


def test_the_matching_engine_imports_without_django():
    code = (
        "import sys\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
        "import reviews.matching\n"
        "import reviews.matching.encode\n"
        "import reviews.matching.solver\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "ours = sorted(\n"
        "    m for m in sys.modules\n"
        "    if m.split('.')[0] in ('journal', 'reviews')\n"
        "    and not (m == 'reviews' or m.startswith('reviews.matching'))\n"
        ")\n"
        "print(loaded, ours)\n"
        "assert loaded == [] and ours == [], (loaded, ours)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] []"


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
