"""The hostile corpus through both backends' public facade: typed errors, bounded time and memory.

One test per (backend, family) of :mod:`tests.hostile.corpus`; a failing
test lists each case and each promise it broke.  ``test_backends_agree``
then checks that both backends give every case the same outcome (the
image, or the same error class).  The corpus runs with
``max_image_bytes`` at :data:`CORPUS_MAX_IMAGE_BYTES`, so the zip bombs
are cheap to build yet inflate past the budget.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

import bridge
from tests.hostile.corpus import CORPUS_MAX_IMAGE_BYTES, Case, control_bytes, corpus, materialize
from tests.hostile.harness import Meter, Outcome, control_checker, run_case, scan_problems

SEED = 0
CASES = corpus(SEED)
LIMIT, NOT_A_FILE = "LimitExceededError", "NotARegularFileError"

#: the outcome the named worst cases must have on both backends
EXPECTED = {
    "image/1444-bytes": LIMIT, "image/max-16": LIMIT, "image/max-1MiB": LIMIT,
    **{f"nest/{layout}/{lengths}": LIMIT for layout in ("explicit", "implicit", "big")
       for lengths in ("defined", "undefined")},
    "nest/never-closed": LIMIT, "nest/acquisition-context": LIMIT, "nest/65-levels": LIMIT,
    "nest/64-levels": "image", "nest/items-only": "CorruptHeaderError",
    "zip/good": "image", "zip/bomb-ratio": LIMIT, "zip/bomb-under-budget": "image", "zip/overlap": "ArchiveError",
    "zip/encrypted": "ArchiveError", "zip/nested": "ArchiveError", "zip/dotdot": "image", "zip/absolute": "image",
    "zip/huge-declared-image": LIMIT, "zip/deep-nesting": LIMIT,
    "special/fifo": NOT_A_FILE, "special/dev-zero": NOT_A_FILE, "special/link-dev-zero": NOT_A_FILE,
    "special/link-fifo": NOT_A_FILE, "special/directory": NOT_A_FILE, "special/link-directory": NOT_A_FILE,
    "special/dangling-link": "MissingFileError", "special/link-loop": "MissingFileError",
    "special/link-good": "image",
    # issue 18: what ImageJ opens opens, what it would spend too much on is refused before
    "maximal/2048x2048-64-bytes": "image", "maximal/16bit-1s": LIMIT, "maximal/8bit-3s": LIMIT,
    "ratio-zip/1GiB": LIMIT, "ratio-zip/256MiB": LIMIT,
    "cut-frames/998-100": "image", "cut-frames/1000-100": "TruncatedError", "cut-frames/1000-8292": "image",
}
#: non-DICOM formats: ImageJ's other readers on the jvm backend, refused by the pure backend
FORMATS = {"format/tiff-good": "image", "format/tiff-huge": LIMIT, "format/tiff-over-4GiB": LIMIT,
           "format/tiff-loop": "CorruptHeaderError", "format/tiff-1000-directories": LIMIT,
           "format/pgm-good": "image", "format/pgm-huge": LIMIT, "format/ppm-huge": LIMIT}
FAMILIES = sorted({case.family for case in CASES})
BACKENDS = [pytest.param("jvm", marks=pytest.mark.jvm), "pydicom"]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case in its own folder (names repeat), plus the control file."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "control").mkdir()
    (root / "control" / "control.dcm").write_bytes(control_bytes())
    return root


@lru_cache(maxsize=None)
def _paths(root: Path) -> dict[str, Path]:
    return {case.id: materialize(case, root / f"{index:04d}") for index, case in enumerate(CASES)}


@lru_cache(maxsize=None)
def outcomes(root: Path, backend: str, family: str) -> tuple[list[Outcome], list[str]]:
    """Every case of ``family`` on ``backend``, then a scan over them all (computed once per session)."""
    bridge.set_backend(backend)
    bridge.configure(max_image_bytes=CORPUS_MAX_IMAGE_BYTES)
    try:
        paths = _paths(root)
        control = control_checker(root / "control" / "control.dcm")
        meter = Meter(backend)
        cases: list[Case] = [c for c in CASES if c.family == family]
        results = [run_case(c.id, paths[c.id], meter, control) for c in cases]
        return results, scan_problems([paths[c.id] for c in cases], results, backend)
    finally:
        bridge.configure(max_image_bytes=None)
        bridge.set_backend(None)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("backend", BACKENDS)
def test_every_case_keeps_the_promises(corpus_dir: Path, backend: str, family: str) -> None:
    results, scan = outcomes(corpus_dir, backend, family)
    problems = [f"{r.case_id}: {p}" for r in results for p in r.problems] + scan
    assert not problems, f"{len(problems)} broken promises:\n" + "\n".join(problems[:30])


@pytest.mark.jvm
@pytest.mark.parametrize("family", [f for f in FAMILIES if f != "format"])
def test_backends_agree(corpus_dir: Path, family: str) -> None:
    """The same image or the same error class from both backends, case by case (DICOM and zips).

    The "format" family (TIFF, PGM) is left out: ImageJ opens some of those, the pydicom
    backend opens DICOM only; ``test_worst_cases_are_refused_by_the_right_limit`` pins both.
    """
    jvm = {r.case_id: r.opened for r in outcomes(corpus_dir, "jvm", family)[0]}
    pure = {r.case_id: r.opened for r in outcomes(corpus_dir, "pydicom", family)[0]}
    differ = [f"{case}: jvm {jvm[case]}, pydicom {pure[case]}" for case in jvm if jvm[case] != pure[case]]
    assert not differ, "\n".join(differ[:30])


@pytest.mark.parametrize("backend", BACKENDS)
def test_worst_cases_are_refused_by_the_right_limit(corpus_dir: Path, backend: str) -> None:
    got = {r.case_id: r.opened for family in ("image", "nest", "zip", "special", "maximal", "ratio-zip", "cut-frames")
           for r in outcomes(corpus_dir, backend, family)[0]}
    wrong = {case: got[case] for case, expected in EXPECTED.items() if got[case] != expected}
    assert not wrong, f"expected {[EXPECTED[c] for c in wrong]}"
    formats = {r.case_id: r.opened for r in outcomes(corpus_dir, backend, "format")[0]}
    expected = FORMATS if backend == "jvm" else dict.fromkeys(FORMATS, "NotDicomError")
    assert formats == expected
    # entry names never become paths: nothing was written where "../" or "/" pointed
    assert not Path("/etc/evil.dcm").exists() and not (Path(tempfile.gettempdir()) / "evil.dcm").exists()


def test_corpus_is_deterministic_and_in_budget() -> None:
    again = corpus(SEED)
    assert [(c.id, c.data) for c in again] == [(c.id, c.data) for c in CASES]
    assert [c.data for c in corpus(SEED + 1)] != [c.data for c in CASES]
    assert 400 <= len(CASES) <= 700
    assert {"flip", "truncate", "length", "nest", "zip", "special", "polyglot"} <= set(FAMILIES)
