"""Building the package copies the pinned browser libraries (from `npm ci`) into it, so that
an installed `sitegen` serves them without a checkout; see sitegen/site/paths.py."""

import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# Read, not imported: the package is not importable while it is being built.
PATHS = runpy.run_path(str(Path(__file__).resolve().parent / "sitegen" / "site" / "paths.py"))
CHECKOUT, VENDORED = PATHS["CHECKOUT"], PATHS["VENDORED"]


class BuildWithBrowserLibraries(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        target = Path(self.build_lib, "sitegen", "site", "vendor")
        target.mkdir(parents=True, exist_ok=True)
        for name, module_file in VENDORED.items():
            source = CHECKOUT / "node_modules" / module_file
            if not source.is_file():
                raise SystemExit(f"{source} is missing: run `npm ci` before building the package")
            shutil.copyfile(source, target / name)


setup(cmdclass={"build_py": BuildWithBrowserLibraries})
