"""`pip install .` gives a `sitegen` that builds a site from any catalogue folder: the
templates, static files and browser libraries travel in the wheel as package data, and so
does the list of papers the label rules were tuned on, which `sitegen evaluate` sets apart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def _source_tree(target: Path) -> Path:
    """The checkout's tracked files, as a fresh clone has them, with its npm packages."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def _wheel(source: Path, out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(out), str(source)],
                   check=True, capture_output=True, cwd=source)
    return next(out.glob("sitegen-*.whl"))


def _fresh_environment(where: Path) -> Path:
    """A new virtual environment that borrows this one's dependencies (offline) but not
    its sitegen: the checkout's packages are reached by path, without their .pth hooks."""
    venv.EnvBuilder(with_pip=False).create(where)
    packages = Path(sysconfig.get_paths(vars={"base": str(where), "platbase": str(where)})
                    ["purelib"])
    (packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return where / "bin" / "python"


def _outside() -> dict[str, str]:
    """The environment without PYTHONPATH, which would lead the fresh one to a checkout."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_an_installed_wheel_builds_a_site_outside_the_checkout(tmp_path):
    wheel = _wheel(_source_tree(tmp_path / "src"), tmp_path / "dist")
    python = _fresh_environment(tmp_path / "env")
    packages = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                               "['purelib'])"], capture_output=True, text=True,
                              check=True, env=_outside()).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", "--target", packages, str(wheel)], check=True)
    shutil.copytree(FIXTURE, tmp_path / "catalogue")
    shutil.rmtree(tmp_path / "src")  # nothing of the checkout is left to lean on
    run = subprocess.run([python, "-m", "sitegen", "build", "--content", "catalogue",
                          "--out", "site", "--base-url", "https://example.org/"],
                         cwd=tmp_path, capture_output=True, text=True, env=_outside())
    assert run.returncode == 0, run.stderr
    where = subprocess.run([python, "-c", "import sitegen; print(sitegen.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, env=_outside()).stdout
    assert where.startswith(packages)
    lunr = (ROOT / "node_modules" / "lunr" / "lunr.min.js").read_bytes()
    assert lunr in (tmp_path / "site" / "static" / "search.js").read_bytes()
    assert (tmp_path / "site" / "papers").is_dir()
    assert "<html" in (tmp_path / "site" / "index.html").read_text("utf-8")
    shutil.copy(ROOT / "tests" / "fixtures" / "labels" / "elsewhere.yaml", tmp_path)
    evaluate = subprocess.run([python, "-m", "sitegen", "evaluate", "--content", "catalogue",
                               "--gold", "elsewhere.yaml"],
                              cwd=tmp_path, capture_output=True, text=True, env=_outside())
    assert evaluate.returncode == 0, evaluate.stderr
    assert "(all but the 242 reference papers the rules were tuned on" in evaluate.stdout
