"""Differential fuzzing of the image: random image files, real ImageJ vs the pydicom backend.

A bounded smoke run; ``scripts/fuzz_image.py --examples N --seed S`` runs
longer campaigns and shrinks what it finds.  Every field of
:func:`bridge.compare.snapshot` must agree (opened?, message, title, dims,
type, bit depth, calibration, display range, LUT, labels, pixels, Info,
tags, getInfo).
"""

from __future__ import annotations

import collections
from dataclasses import replace

import pytest

from tests.fuzzgen import (ImageSpec, draw_image_spec, file_name, generate_image, pixel_values, render_image,
                           simpler_specs)
from tests.parity.image_check import image_result

EXAMPLES = 500      # about 5 s: the check costs ~10 ms a file
FIRST_SEED = 20_000   # away from the seeds the campaigns in the report started at


@pytest.mark.jvm
def test_random_images_match_imagej(tmp_path):
    problems, outcomes = [], collections.Counter()
    for seed in range(FIRST_SEED, FIRST_SEED + EXAMPLES):
        name, data = generate_image(seed)
        path = tmp_path / name
        path.write_bytes(data)
        result = image_result(str(path))
        outcomes[result.outcome.split(":")[0]] += 1
        if result.differences:
            problems.append(f"seed {seed} ({draw_image_spec(seed)!r}): {result.differences}")
        path.unlink()
    assert not problems, "\n".join(problems[:3])
    # the run must reach the branches it exists for, not just refusals
    assert outcomes["opened 16-bit"] and outcomes["opened 32-bit"] and outcomes["opened 8-bit"]
    assert outcomes["opened 16-bit stack"] + outcomes["opened 32-bit stack"] and outcomes["refused"]


def test_image_generator_is_deterministic_and_covers_the_layouts():
    assert generate_image(5) == generate_image(5)
    specs = [draw_image_spec(seed) for seed in range(400)]
    assert len({render_image(s) for s in specs}) == 400
    assert {8, 16, 32, 12} <= {s.bits for s in specs}
    assert {b"MONOCHROME1 ", b"MONOCHROME1\0", b"RGB ", b"PALETTE COLOR ", b"YBR_FULL"} <= {s.photometric
                                                                                             for s in specs}
    assert any(s.truncate is not None for s in specs) and any(s.container == "zip" for s in specs)
    assert any(s.nested is not None and s.nested[1] for s in specs)          # undefined-length sequences
    assert {"1.2.840.10008.1.2", "1.2.840.10008.1.2.2"} <= {s.syntax for s in specs}


def test_spec_fields_reach_the_bytes():
    plain = ImageSpec(seed=3, rows=2, columns=3, bits=16)
    data = render_image(plain)
    assert data[128:132] == b"DICM" and data.endswith(pixel_values(plain)) and plain.pixel_bytes() == 12
    assert len(render_image(replace(plain, truncate=5))) == len(data) - plain.pixel_bytes() + 5
    assert b"PALETTE" in render_image(replace(plain, photometric=b"PALETTE COLOR "))
    assert render_image(replace(plain, container="zip"))[:2] == b"PK"
    assert file_name(replace(plain, container="zip", name="sub/a.dcm")) == "fuzz.zip"


def test_shrinking_only_simplifies():
    spec = draw_image_spec(279)
    candidates = list(simpler_specs(spec))
    assert candidates and all(c != spec for c in candidates)
    plain = list(simpler_specs(ImageSpec(seed=279)))                         # only the size is left
    assert plain and all((c.rows, c.columns) in ((1, 2), (2, 1)) for c in plain)


@pytest.mark.jvm
@pytest.mark.parametrize("seed", [
    300300,   # slope 0 stack: ImageJ's min/max keep the first zero's sign (Show Info "0 - 0", not "-0 - -0")
    300432,   # a zip entry the guards keep from ImageJ: the empty 0x0 image, as ImageJ's failed read gives
])
def test_campaign_findings_stay_fixed(seed, tmp_path):
    name, data = generate_image(seed)
    path = tmp_path / name
    path.write_bytes(data)
    assert image_result(str(path)).differences == {}
