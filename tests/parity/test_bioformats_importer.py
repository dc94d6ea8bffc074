"""Parity of ``run("Bio-Formats Importer", "open=[...] ...")``: the real importer plugin (jvm) against the pure command.

Each file of a set covering the pixel types (8/16-bit, signed and not, 32-bit,
RGB, multi-frame, compressed) with each option set the macro recorder writes;
the image each backend makes current is compared field by field (pixels,
type, dimensions, calibration, display range, slice labels, title, metadata).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from pydicom.data import get_testdata_file

from bridge import backends
from bridge.core.commands.bioformats import COMMAND
from bridge.errors import MissingFileError, ScriptError
from bridge.model import ImagePlus

from ..dicomgen import image_dicom, write
from .commands import differences

pytestmark = [pytest.mark.jvm, pytest.mark.bioformats]

#: pydicom's files, and files made here for the types pydicom's set lacks on this route (generated_files)
FILES = ("MR_small.dcm", "unsigned16_3frames.dcm", "signed8.dcm", "examples_rgb_color.dcm", "examples_ybr_color.dcm", "rtdose.dcm",
         "rtdose_1frame.dcm", "ExplVR_BigEnd.dcm", "MR_small_jp2klossless.dcm")
OPTION_SETS = ("", "autoscale", "color_mode=Default view=Hyperstack stack_order=XYCZT",
               "autoscale color_mode=Composite view=[Standard ImageJ] stack_order=Default",
               "stack_order=XYZCT", "split_channels", "split_channels autoscale", "use_virtual_stack",
               "use_virtual_stack split_channels", "use_virtual_stack autoscale", "series_1", "open_all_series autoscale")


@pytest.fixture(scope="module")
def generated_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("importer")
    rng = np.random.default_rng(20)
    unsigned16 = rng.integers(100, 4000, (3, 6, 5)).astype("<u2")
    signed8 = np.array([[-128, -1, 5], [0, 127, 3]], dtype="i1")
    return {"unsigned16_3frames.dcm": str(write(folder / "unsigned16_3frames.dcm",
                                               image_dicom(unsigned16, frames="3", spacing="0.5\\0.25"))),
            "signed8.dcm": str(write(folder / "signed8.dcm", image_dicom(signed8, signed=True)))}


def _path(name: str, generated: dict[str, str]) -> str:
    path = generated.get(name) or get_testdata_file(name)
    assert path is not None, name
    return path


def _import(backend: str, path: str, options: str) -> ImagePlus:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # pydicom's warnings on odd values
        imp = backends.get(backend).run_command(None, COMMAND, f"open=[{path}] {options}".strip())
    assert imp is not None
    return imp


def _state(imp: ImagePlus) -> dict[str, Any]:
    return {"labels": list(imp.labels), "info": imp.info, "channels, slices, frames": imp.dimensions}


@pytest.mark.parametrize("options", OPTION_SETS)
@pytest.mark.parametrize("name", FILES)
def test_importer_matches_real_bioformats(name: str, options: str, generated_files: dict[str, str]) -> None:
    path = _path(name, generated_files)
    ours, theirs = _import("pydicom", path, options), _import("jvm", path, options)
    found = differences(ours, theirs)
    a, b = _state(ours), _state(theirs)
    found.update({key: (a[key], b[key]) for key in a if a[key] != b[key]})
    assert found == {}


#: ``ImporterOptions`` fields (``BF.openImagePlus(options)``) that differ from the defaults (autoscale on)
IMPORTER_OPTIONS = ({"split_channels": True}, {"autoscale": False}, {"stack_order": "XYZCT"}, {"virtual": True},
                    {"series": [0], "open_all_series": True}, {"split_channels": True, "autoscale": False})


@pytest.mark.parametrize("options", IMPORTER_OPTIONS, ids=lambda o: ",".join(o))
@pytest.mark.parametrize("name", ["MR_small.dcm", "examples_ybr_color.dcm", "rtdose.dcm"])
def test_bf_open_image_plus_with_options_matches_real_bioformats(name: str, options: dict[str, Any]) -> None:
    """Every image BF.openImagePlus(ImporterOptions) gives, on both backends, field by field."""
    path = get_testdata_file(name)
    assert path is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = (backends.get(b).open_bioformats(path, options) for b in ("pydicom", "jvm"))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        found = differences(a, b)
        found.update({key: (x, y) for (key, x), y in zip(_state(a).items(), _state(b).values()) if x != y})
        assert found == {}, a.getTitle()


def test_importer_makes_the_last_split_channel_current() -> None:
    path = get_testdata_file("examples_rgb_color.dcm")
    assert path is not None
    for backend in ("pydicom", "jvm"):
        assert _import(backend, path, "split_channels").getTitle() == "examples_rgb_color.dcm - C=2"


def test_a_file_the_importer_cannot_read_raises_on_both_backends(tmp_path: Any) -> None:
    """The real importer reports its dialog's text; the pure command names the file and why."""
    missing = str(tmp_path / "missing.dcm")
    with pytest.raises(ScriptError, match="Sorry, there was a problem during import"):
        _import("jvm", missing, "")
    with pytest.raises(MissingFileError, match="missing.dcm"):
        _import("pydicom", missing, "")
