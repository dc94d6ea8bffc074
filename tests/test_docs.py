"""Every Python example in ``docs/*.md`` runs, once per backend, and prints what the page says.

A page's ```` ```python ```` blocks that hold ``>>>`` lines form one doctest
with one namespace, in page order, so a page reads as one session.  Blocks
in other languages (the ImageJ JavaScript and macro twins) are not run.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(DOCS.glob("*.md"))
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def page_session(page: Path) -> str:
    """The page's Python examples as one doctest text."""
    blocks = [b for b in _PYTHON_BLOCK.findall(page.read_text(encoding="utf-8")) if ">>>" in b]
    return "\n".join(blocks)


def run_page(page: Path) -> doctest.TestResults:
    test = doctest.DocTestParser().get_doctest(page_session(page), {"__name__": "__docs__"},
                                              page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    return runner.summarize(verbose=False)


def test_there_are_pages_with_examples():
    assert (DOCS / "index.md").exists() and len(PAGES) >= 7
    for page in PAGES:
        if page.name != "index.md":
            assert page_session(page).count(">>>") >= 5, f"{page.name} has too few examples"


def _page_param(page: Path) -> object:
    """A page whose first line says ``<!-- needs: jvm -->`` compares with real ImageJ: a jvm test.

    ``<!-- needs: bioformats -->``: its jvm run also needs the Bio-Formats jar.
    """
    text = page.read_text(encoding="utf-8")
    marks = [pytest.mark.jvm] if text.startswith("<!-- needs: jvm -->") else []
    if text.startswith("<!-- needs: bioformats -->"):
        marks.append(pytest.mark.bioformats)
    return pytest.param(page, id=page.stem, marks=marks)


@pytest.mark.parametrize("page", [_page_param(p) for p in PAGES])
def test_page_examples(page, each_backend, capsys):
    from bridge import macro
    macro.close()
    results = run_page(page)
    report = capsys.readouterr().out
    assert results.attempted > 0 or page.name == "index.md"
    assert results.failed == 0, report
