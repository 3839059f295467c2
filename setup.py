"""The wheel's templates and static files.

The project keeps them at the top level (templates/, static/), beside the
packages; an installed wheel has only packages, so the build copies both
into the assessments package, where config/settings.py finds them when the
top-level folders are not there (tests/test_wheel.py checks the result).
Everything else about the build is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithSiteFiles(build_py):
    def run(self) -> None:
        super().run()
        for name in ("templates", "static"):
            shutil.copytree(
                ROOT / name,
                Path(self.build_lib) / "assessments" / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__"),
            )


setup(cmdclass={"build_py": BuildWithSiteFiles})
