"""bridge.guards: the nesting limit, the pre-checks before ImageJ, and the jvm backend's Java errors."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest

import bridge
from bridge import DICOM, IJ, guards
from bridge.core.limits import Nesting
from bridge.errors import JavaError, LimitExceededError, TruncatedError
from tests.dicomgen import make_dicom
from tests.fuzzgen import Writer
from tests.hostile.corpus import _nested, _wrap, control_bytes, seed_bytes
from tests.hostile.harness import Meter

LE = Writer(True, True)
EXPLICIT_LE = "1.2.840.10008.1.2.1"


@pytest.fixture
def limits():
    """Restore every setting a test changes."""
    yield bridge.configure
    bridge.configure(max_depth=None, max_image_bytes=None)


def nested_file(tmp_path: Path, depth: int, undefined: bool = True) -> Path:
    path = tmp_path / f"nested{depth}.dcm"
    path.write_bytes(_wrap(_nested(LE, depth, undefined), EXPLICIT_LE))
    return path


def overreaching_file(tmp_path: Path) -> Path:
    """CT_small with its Study Description declaring 0x50000000 bytes (1.25 GiB): a 39 kB file."""
    data = bytearray(seed_bytes("CT_small.dcm"))
    at = data.find(struct.pack("<HH", 0x0008, 0x1030) + b"LO")
    path = tmp_path / "overreach.dcm"
    # an LO has a 2-byte length: make it UN, whose 4-byte length ImageJ reads as text
    path.write_bytes(bytes(data[:at + 4]) + b"UN\0\0" + struct.pack("<I", 0x50000000) + bytes(data[at + 8:]))
    return path


# --- Nesting ---------------------------------------------------------------------------------
def test_only_sequences_count_and_delimiters_close_the_innermost_undefined():
    n = Nesting("x.dcm", limit=3)
    n.enter(0, None)                # sequence, undefined length
    n.enter(10, None, item=True)    # its item
    n.enter(20, 500)                # a defined sequence inside
    n.enter(30, 400, item=True)
    assert n.depth == 2
    n.enter(40, None)
    assert n.depth == 3
    with pytest.raises(LimitExceededError, match=r"x\.dcm: sequences nested deeper than max_depth=3 at byte 50"):
        n.enter(50, None)
    n.leave(60)                     # closes the undefined sequence opened at 40
    assert n.depth == 2
    n.enter(600, None)              # past 500: the defined sequence and its item are closed
    assert n.depth == 2
    n.leave(700)                    # the sequence opened at 600
    n.leave(710)                    # the item opened at 10
    assert n.depth == 1
    n.leave(720)                    # the sequence opened at 0
    assert n.depth == 0
    n.leave(730)                    # a stray delimiter is harmless
    assert n.depth == 0


def test_a_defined_length_never_outlives_its_parent():
    n = Nesting("x.dcm", limit=2)
    n.enter(0, 100)
    n.enter(10, 10**9)              # a lie: clamped to the parent's end
    n.enter(150, 200)               # both ended at 100
    assert n.depth == 1


def test_nesting_limit_on_both_backends(each_backend, tmp_path, limits):
    assert bridge.open(nested_file(tmp_path, 64)).getWidth() == 2
    deep = nested_file(tmp_path, 65)
    with pytest.raises(LimitExceededError, match="max_depth=64") as caught:
        bridge.open(deep)
    assert str(deep) in str(caught.value)
    assert IJ.openImage(deep) is None and "max_depth=64" in IJ.getErrorMessage()
    with pytest.raises(LimitExceededError):
        DICOM().getInfo(deep)
    limits(max_depth=65)
    assert bridge.open(deep).getWidth() == 2


def test_ten_thousand_levels_are_refused_at_once(each_backend, tmp_path):
    for undefined in (True, False):
        path = nested_file(tmp_path, 10_000, undefined)
        start = time.perf_counter()
        with pytest.raises(LimitExceededError):
            bridge.open(path)
        assert time.perf_counter() - start < 1.0


# --- pre-checks before ImageJ ----------------------------------------------------------------
def test_a_value_far_past_the_end_is_measured(tmp_path):
    found = guards.inspect(str(overreaching_file(tmp_path)))
    assert found.overreaches and isinstance(found.decoded.error, TruncatedError)
    cut = tmp_path / "cut.dcm"
    cut.write_bytes(seed_bytes("CT_small.dcm")[:1000])     # an ordinary truncated header
    assert not guards.inspect(str(cut)).overreaches
    assert guards.header_answer(str(cut)) is None


def test_declared_image_over_the_limits_is_refused_naming_file_and_entry(tmp_path, limits):
    path = tmp_path / "big.dcm"
    path.write_bytes(make_dicom([(0x00280010, "US", 3000), (0x00280011, "US", 3000)], bytes(64)))
    with pytest.raises(LimitExceededError, match="only 64 pixel bytes") as caught:
        guards.check_before_imagej(str(path), "archive.zip", entry="big.dcm")
    assert caught.value.path == "archive.zip" and caught.value.entry == "big.dcm"
    assert "archive.zip (entry 'big.dcm')" in str(caught.value) == caught.value.imagej_message
    limits(max_image_bytes=100)
    small = tmp_path / "small.dcm"
    small.write_bytes(make_dicom([(0x00280010, "US", 8), (0x00280011, "US", 8)], bytes(128)))
    with pytest.raises(LimitExceededError, match="max_image_bytes=100"):
        guards.check_before_imagej(str(small))


def test_a_file_imagej_refuses_itself_is_left_to_imagej(tmp_path):
    """Offset >= 1000 and too few bytes: FileOpener refuses with its own message, allocating nothing."""
    path = tmp_path / "short.dcm"
    filler = [(0x00091010, "LO", "x" * 1200)]
    path.write_bytes(make_dicom(filler + [(0x00280010, "US", 30000), (0x00280011, "US", 30000)], bytes(64)))
    guards.check_before_imagej(str(path))          # no error: ImageJ's own check comes first


def test_limit_errors_carry_their_reason_for_getErrorMessage():
    err = LimitExceededError("too big", "/x.dcm")
    assert err.imagej_message == "/x.dcm: too big"
    assert LimitExceededError("too big", "/x.dcm", imagej_message="ImageJ's").imagej_message == "ImageJ's"


# --- the jvm backend -------------------------------------------------------------------------
def test_java_out_of_memory_is_a_limit():
    from bridge.backends.jvm import _thrown_error
    err = _thrown_error("/x.dcm", JavaError("java.lang.OutOfMemoryError", "Java heap space"), None)
    assert isinstance(err, LimitExceededError) and "Java heap space" in str(err) and "/x.dcm" in str(err)


@pytest.mark.jvm
def test_imagej_never_allocates_a_value_past_the_end(tmp_path):
    """ImageJ would allocate 1.25 GiB for the text; the jvm backend answers with ImageJ's text and message."""
    path = overreaching_file(tmp_path)
    answers = {}
    for backend in ("jvm", "pydicom"):
        bridge.set_backend(backend)
        meter = Meter(backend)
        info, grown = meter.measure(lambda: DICOM().getInfo(path))
        opened, _ = meter.measure(lambda: bridge.open(path))
        assert grown < 64 << 20, f"{backend}: getInfo grew memory by {grown >> 20} MiB"
        assert isinstance(opened, TruncatedError) and opened.imagej_message == "Unable to decode DICOM header."
        answers[backend] = info
    assert answers["jvm"] == answers["pydicom"] and "0008,0090" in answers["jvm"]


@pytest.mark.jvm
def test_the_jvm_heap_is_bounded():
    from bridge import config
    from bridge.backends.jvm import runtime
    heap = config.settings().jvm_heap
    assert f"-Xmx{heap}" in runtime.jvm_options()
    limit = int(heap[:-1]) << {"k": 10, "m": 20, "g": 30}[heap[-1].lower()]
    assert runtime.jclass("java.lang.Runtime").getRuntime().maxMemory() <= limit


@pytest.mark.jvm
def test_the_jvm_survives_running_out_of_memory(tmp_path):
    import jpype
    from bridge.backends.jvm import runtime
    runtime.start()
    with pytest.raises(Exception, match="OutOfMemoryError"):
        jpype.JArray(jpype.JLong)(2**31 - 2)
    control = tmp_path / "control.dcm"
    control.write_bytes(control_bytes())
    bridge.set_backend("jvm")
    assert bridge.open(control).getWidth() == 64


def test_a_zip_entry_declaring_more_than_its_budget_is_refused_before_inflating(tmp_path: Path) -> None:
    """The declared size is checked first: a 1 GiB bomb is refused at once, nothing left in TMPDIR."""
    import tempfile
    from tests.hostile.corpus import _zeros_bomb
    path = tmp_path / "bomb.zip"
    path.write_bytes(_zeros_bomb(256 << 20))
    before = set(Path(tempfile.gettempdir()).iterdir())
    for backend in ("pydicom", "jvm"):
        bridge.set_backend(backend)
        start = time.perf_counter()
        with pytest.raises(LimitExceededError, match="compressed bytes inflates past"):
            bridge.open(path)
        assert time.perf_counter() - start < 1.0
    assert set(Path(tempfile.gettempdir()).iterdir()) == before


def test_a_zip_entry_lying_about_its_size_is_not_inflated_past_it(tmp_path: Path) -> None:
    """Declared 4 KiB, inflating to 256 MiB: zipfile reads no more than the declared size, and
    the checksum then fails (the byte count against the budget stands behind it)."""
    from bridge import archive
    from tests.hostile.corpus import _declared_size, _zeros_bomb
    path = tmp_path / "liar.zip"
    path.write_bytes(_declared_size(_zeros_bomb(256 << 20), 4096))
    start = time.perf_counter()
    with pytest.raises(bridge.ArchiveError):
        with archive.first_dicom_entry(str(path)):
            pass
    assert time.perf_counter() - start < 1.0
