"""Build hook: the optional C accelerator of the header walk (``bridge/core/_walker.c``).

Everything else is in ``pyproject.toml``.  The extension is optional: where
no C compiler (or no Python headers) is found, or the compile fails, the
install still succeeds with a warning and bridge runs its pure-Python walk
(``bridge doctor`` says which path is in use).  ``pip install -e .`` builds
it in place, next to the sources.
"""

from __future__ import annotations

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ACCELERATOR = Extension("bridge.core._walker", ["bridge/core/_walker.c"], optional=True,
                        extra_compile_args=["-O2"] if not __import__("sys").platform.startswith("win") else [])


class OptionalBuildExt(build_ext):
    """``build_ext`` that warns instead of failing: the accelerator is never required."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:        # no compiler at all (distutils' CCompilerError, PlatformError, ...)
            self.warn(f"the C accelerator was not built ({exc}); bridge uses its pure-Python walk")

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:        # a compile or link error
            self.warn(f"the C accelerator {ext.name} was not built ({exc}); bridge uses its pure-Python walk")


setup(ext_modules=[ACCELERATOR], cmdclass={"build_ext": OptionalBuildExt})
