"""``.roi`` files and ROI sets without Java: round trips, the format's fixed points, hostile files."""

from __future__ import annotations

import os
import struct
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from bridge.core import roi as R
from bridge.core import roifile
from bridge.core.roifile import RoiFileError
from bridge.errors import BridgeError

sys.path.insert(0, str(Path(__file__).parent))
from roi_strategies import selections  # noqa: E402


def geometry(roi: R.Roi) -> tuple[object, ...]:
    """What a selection is: type, bounds, vertices or end points, and the attributes a file keeps."""
    shape: object = (roi.x1d, roi.y1d, roi.x2d, roi.y2d) if isinstance(roi, R.Line) \
        else roi.getFloatPolygon() if isinstance(roi, (R.PolygonRoi, R.PointRoi)) else roi._float_bounds
    return (roi.getType(), roi.getBounds(), shape, roi.name, roi.position, roi.stroke_width,
            roi.corner_diameter)


def test_header_is_imagejs() -> None:
    data = roifile.encode(R.Roi(3, 4, 10, 20))
    assert data[:4] == b"Iout" and len(data) == 128
    assert struct.unpack(">hBxhhhh", data[4:16]) == (228, 1, 4, 3, 24, 13)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(selections())
def test_random_selections_round_trip(roi: R.Roi) -> None:
    """The file keeps everything, and is a fixed point, but for sub-pixel rectangles' float sizes.

    Those are stored as Java floats (corner and size), so the size read back
    can differ in its last bits and its rounded-up pixel size by one, in
    ImageJ too (the parity suite compares that case with ImageJ's own).
    """
    data = roifile.encode(roi)
    back = roifile.decode(data, "fuzz.roi", name=None)
    assert geometry(roifile.decode(data, "fuzz.roi")) == geometry(back)
    if roi._subpixel() and roi.getType() in (R.RECTANGLE, R.OVAL):
        assert geometry(back)[3:] == geometry(roi)[3:]
        b, b2 = back.getBounds(), roi.getBounds()
        assert (b.x, b.y) == (b2.x, b2.y) and abs(b.width - b2.width) <= 1 and abs(b.height - b2.height) <= 1
    else:
        assert geometry(back) == geometry(roi)
        assert roifile.encode(back) == data


def test_unnamed_selection_takes_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "0001-0010.roi"
    roifile.write(R.OvalRoi(1, 2, 3, 4), path)
    assert roifile.read(path).name == "0001-0010"
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o666 & ~_umask())
    assert [p.name for p in tmp_path.iterdir()] == ["0001-0010.roi"]


def test_roi_sets_round_trip_with_unique_labels(tmp_path: Path) -> None:
    rois = [R.Roi(1, 2, 3, 4), R.Line(1, 2, 30, 40), R.PointRoi([5.5], [6.25])]
    path = tmp_path / "RoiSet.zip"
    roifile.write_set(rois, path, labels=["a", "a", "b"])
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["a-1.roi", "a.roi", "b.roi"]    # the first "a" is renamed, as ImageJ does
    back = roifile.read_set(path)
    assert [geometry(r)[:3] for r in back] == [geometry(r)[:3] for r in rois]
    assert [r.name for r in back] == ["a-1", "a", "b"]


def test_unique_label_is_the_managers() -> None:
    names = ["0001-0002", "0001-0002", "0001-0002"]
    assert [roifile.unique_label(names, i) for i in range(3)] == ["0001-0002-1", "0001-0002-2", "0001-0002"]


# --- hostile files -------------------------------------------------------------------------
def _hostile() -> dict[str, bytes]:
    polygon = roifile.encode(R.PolygonRoi([1, 10, 5], [2, 3, 9]))
    huge_count = bytearray(polygon)
    huge_count[16:18] = b"\x00\x00"
    huge_count[18:22] = (2**31 - 1).to_bytes(4, "big")
    bad_type = bytearray(polygon)
    bad_type[6] = 77
    bad_hdr2 = bytearray(polygon)
    bad_hdr2[60:64] = (2**31 - 10).to_bytes(4, "big")
    composite = bytearray(roifile.encode(R.Roi(1, 1, 4, 4)))
    composite[36:40] = (2**30).to_bytes(4, "big")
    return {"empty": b"", "short": polygon[:40], "not a roi": b"GIF89a" + bytes(100),
            "truncated coordinates": polygon[:70], "huge count": bytes(huge_count), "bad type": bytes(bad_type),
            "composite": bytes(composite), "bad hdr2": bytes(bad_hdr2)}


@pytest.mark.parametrize("case", sorted(_hostile()))
def test_hostile_files_raise_naming_the_file(case: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case.replace(' ', '_')}.roi"
    path.write_bytes(_hostile()[case])
    start = time.perf_counter()
    with pytest.raises(BridgeError, match=str(path).replace("\\", "\\\\")):
        roifile.read(path)
    assert time.perf_counter() - start < 5.0


def test_a_bad_name_offset_falls_back_to_the_file_name(tmp_path: Path) -> None:
    polygon = bytearray(roifile.encode(R.PolygonRoi([1, 10, 5], [2, 3, 9])))
    hdr2 = int.from_bytes(polygon[60:64], "big")
    polygon[hdr2 + 16:hdr2 + 24] = (100).to_bytes(4, "big") + (2**30).to_bytes(4, "big")
    path = tmp_path / "mine.roi"
    path.write_bytes(bytes(polygon))
    assert roifile.read(path).name == "mine"          # ImageJ ignores a name beyond the file too


def test_hostile_sets_raise_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "set.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(RoiFileError, match="set.zip"):
        roifile.read_set(path)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x.roi", b"Iout" + bytes(10))
    with pytest.raises(RoiFileError, match=r"set.zip \(entry x.roi\)"):
        roifile.read_set(path)


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "keep.roi"
    path.write_bytes(b"old")
    with pytest.raises(RoiFileError):
        roifile.write(R.Roi(0, 0, 70000, 5), path)
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["keep.roi"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(selections(), hs.data())
def test_damaged_files_read_or_raise_roi_file_error(roi: R.Roi, data: hs.DataObject) -> None:
    """Flipped bytes, a cut or a huge count or offset: a selection or RoiFileError, nothing else (scripts/fuzz_roifile.py)."""
    damaged = damage(roifile.encode(roi), data)
    try:
        roifile.decode(damaged, "damaged.roi")
    except RoiFileError as error:
        assert "damaged.roi" in str(error)


def damage(encoded: bytes, data: hs.DataObject) -> bytes:
    raw = bytearray(encoded)
    how = data.draw(hs.sampled_from(["flip", "truncate", "huge"]))
    if how == "truncate":
        return bytes(raw[:data.draw(hs.integers(0, len(raw)))])
    if how == "huge":
        offset = data.draw(hs.sampled_from([8, 12, 16, 18, 36, 60]))
        raw[offset:offset + 4] = data.draw(hs.binary(min_size=4, max_size=4))
        return bytes(raw)
    for _ in range(data.draw(hs.integers(1, 8))):
        raw[data.draw(hs.integers(0, len(raw) - 1))] = data.draw(hs.integers(0, 255))
    return bytes(raw)
