"""The house's floors (ARCHITECTURE.md): imports run one way, checked by import-linter from the
contracts in pyproject.toml. A test of the checker itself shows that an upward import breaks the build."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ["config", "records", "membership", "payments", "partners", "governance", "cms"]


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", "pyproject.toml", "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_import_runs_the_way_the_architecture_draws():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def copy_of_the_house(tmp_path: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "migrations", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_an_upward_import_from_membership_into_governance_is_refused(tmp_path):
    house = copy_of_the_house(tmp_path)
    with (house / "membership" / "selectors.py").open("a") as module:
        module.write("\nfrom governance.bodies.models import Body  # noqa: E402,F401\n")
    run = lint_imports(house)
    assert run.returncode != 0
    assert "membership.selectors -> governance.bodies.models" in run.stdout


def test_the_counting_engine_may_not_import_django_models(tmp_path):
    house = copy_of_the_house(tmp_path)
    with (house / "governance" / "elections" / "counting" / "fptp.py").open("a") as module:
        module.write("\nfrom governance.elections.models import Election  # noqa: E402,F401\n")
    run = lint_imports(house)
    assert run.returncode != 0
    assert "governance.elections.counting.fptp -> governance.elections.models" in run.stdout


def test_production_code_may_not_load_the_demo_data(tmp_path):
    house = copy_of_the_house(tmp_path)
    with (house / "governance" / "elections" / "services.py").open("a") as module:
        module.write("\nfrom governance.elections.demo import demo_email  # noqa: E402,F401\n")
    run = lint_imports(house)
    assert run.returncode != 0
    assert "governance.elections.services -> governance.elections.demo" in run.stdout
