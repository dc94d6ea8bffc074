"""The open images of ``bridge.macro`` as batch-mode ImageJ keeps them: nImages, selectWindow, close(pattern)."""

from __future__ import annotations

import pytest
from pydicom.data import get_testdata_file

from bridge import macro
from bridge.errors import ScriptError

CT = get_testdata_file("CT_small.dcm")
MR = get_testdata_file("MR_small.dcm")


@pytest.fixture(autouse=True)
def _no_images_open():
    macro.close("*")
    yield
    macro.close("*")


def test_open_duplicate_select_rename_and_close_by_pattern(each_backend):
    macro.open(CT)
    ct = macro.getImageID()
    macro.open(MR)
    assert macro.nImages() == 2 and macro.getTitle() == "MR_small.dcm"
    macro.selectWindow("CT_small.dcm")
    macro.run("Duplicate...", "title=copy")
    assert macro.getList("image.titles") == ["CT_small.dcm", "MR_small.dcm", "copy"]
    macro.rename("filtered")
    assert macro.isOpen("filtered") and not macro.isOpen("copy")
    macro.selectImage(ct)
    assert macro.getTitle() == "CT_small.dcm"
    macro.selectImage(2)
    assert macro.getTitle() == "MR_small.dcm"
    macro.close("*_small.dcm")                        # the current image goes too: the last left is current
    assert macro.nImages() == 1 and macro.getTitle() == "filtered"
    macro.close()
    assert macro.nImages() == 0
    with pytest.raises(ScriptError, match="There are no images open"):
        macro.getTitle()


def test_close_others_keeps_the_current_image():
    macro.open(CT)
    macro.open(MR)
    macro.close("\\Others")
    assert macro.getList("image.titles") == ["MR_small.dcm"] and macro.getTitle() == "MR_small.dcm"


def test_missing_windows_are_imagejs_errors():
    with pytest.raises(ScriptError, match='No window with the title "nope" found'):
        macro.selectWindow("nope")
    with pytest.raises(ScriptError, match="Image -12345 not found or no images are open"):
        macro.selectImage(-12345)


def test_each_thread_has_its_own_images():
    import threading
    macro.open(CT)
    seen: list[int] = []
    worker = threading.Thread(target=lambda: seen.append(macro.nImages()))
    worker.start()
    worker.join()
    assert seen == [0] and macro.nImages() == 1
