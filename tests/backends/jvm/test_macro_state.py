"""A macro run leaves no ImageJ state behind that changes what later calls give."""

from __future__ import annotations

import pytest

import bridge
from bridge import backends
from bridge.errors import CorruptHeaderError, ScriptError
from tests.fuzzgen import generate_image

pytestmark = pytest.mark.jvm

#: a random image whose pixels are cut short and whose Rescale Slope is not 1: DICOM.open runs
#: "32-bit" on the missing image, which meets IJ.noImage -- the call that consults the running macro
SEED = 20473


def _thrown(path: str) -> str | None:
    with pytest.raises(CorruptHeaderError) as info:
        backends.load("jvm").open_image(path)
    return info.value.thrown


@pytest.fixture
def cut_short(tmp_path) -> str:
    path = tmp_path / "cut.dcm"
    path.write_bytes(generate_image(SEED)[1])
    return str(path)


def test_an_aborted_macro_does_not_make_later_opens_abort(cut_short):
    fresh = _thrown(cut_short)
    assert fresh is not None and fresh.startswith("java.lang.NullPointerException")
    with pytest.raises(ScriptError, match="no images open"):
        bridge.run_macro('close(); getTitle();')        # aborts through IJ.noImage
    assert _thrown(cut_short) == fresh


def test_macros_on_an_image_leave_no_running_macro_behind(cut_short):
    """The jvm backend asks ImageJ's macro language for Show Info: even a macro that succeeds
    (``IJ.runMacro``) leaves ImageJ's record of it set, unless cleared."""
    from bridge.backends.jvm import BACKEND, run_macro
    from pydicom.data import get_testdata_file
    fresh = _thrown(cut_short)
    imp = backends.load("jvm").open_image(get_testdata_file("CT_small.dcm"))
    assert run_macro(BACKEND.java_image(imp), 'return getInfo("0008,0060");') == " CT"
    assert _thrown(cut_short) == fresh
