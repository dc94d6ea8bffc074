#!/usr/bin/env python3
"""Header scans of many small files, three tags, against the cost of just reading the bytes.

    PYTHONPATH=. python benchmarks/bench_scan.py [--files 5000] [--repeats 5] [--template MR_small.dcm]

Writes ``--files`` small DICOM files into a temporary folder (pydicom's
``--template`` test file, 64 x 64 16-bit and ~80 elements for MR_small,
with a Study Description, Instance Number, Image Position and SOP Instance
UID that change from file to file, so the headers differ as a real series'
do), then times in this one process, median of ``--repeats`` after a warm-up
(every path reads from the page cache):

* floor                 - open, read and close every file (one core);
* pure scan (1 core)    - the pydicom backend's ``scan_tags`` in this process, on the
  active header walk (the C accelerator where built) and on the Python path;
* pure full text        - the old way: ``get_info`` then ``getTag`` on the text;
* pure scan, 1 / 2 workers - ``bridge.scan`` with a process pool of that size
  (the scaling target: 2 workers >= 1.8 x the throughput of 1);
* jvm batch             - ``bridge.scan`` on the jvm backend (one Java call per chunk);
* jvm getInfo per file  - ``new DICOM().getInfo`` through JPype, one call per file;
* pydicom dcmread       - ``dcmread(stop_before_pixels=True)`` on every 10th file,
  scaled to all files (it is slow).

Targets (issue "Headless batch"): pure scan <= 3 x floor on one core and
>= 16 x faster than pydicom; jvm batch <= 5 x floor; 2 workers >= 1.8 x 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402
from _timing import median_seconds  # noqa: E402

TAGS = ["0008,1030", "0020,0032", "0028,0030"]


def write_files(folder: Path, count: int, template: str) -> list[str]:
    """``count`` files from one template, their varying values of varying length (as UIDs are)."""
    import pydicom
    from pydicom.data import get_testdata_file
    ds = pydicom.dcmread(get_testdata_file(template))
    paths = []
    for k in range(count):
        ds.StudyDescription = f"scan benchmark {k % 7}"
        ds.InstanceNumber = k + 1
        ds.ImagePositionPatient = [-83.9063, -91.2, round(6.6406 + 1.25 * k, 4)]
        ds.SOPInstanceUID = f"1.2.826.0.1.3680043.8.498.{k + 1}"
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        path = folder / f"f{k:05d}.dcm"
        ds.save_as(path, enforce_file_format=True)
        paths.append(str(path))
    return paths


def read_all(paths: list[str]) -> None:
    for p in paths:
        with open(p, "rb") as f:
            f.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--template", default="MR_small.dcm")
    parser.add_argument("--no-jvm", action="store_true", help="skip the jvm backend rows")
    parser.add_argument("--clock", choices=sorted(_timing.CLOCKS), default="wall",
                        help="wall time, or this process's CPU time (steadier on a shared machine; "
                             "the process-pool rows stay on the wall clock)")
    args = parser.parse_args()
    _timing.use_clock(args.clock)

    import pydicom
    import bridge
    from bridge import backends
    from bridge.core import decoder, native, tags
    from bridge.scan import scan

    pure = backends.load("pydicom")
    with tempfile.TemporaryDirectory(prefix="bridge-scan-") as tmp:
        paths = write_files(Path(tmp), args.files, args.template)
        size = sum(os.path.getsize(p) for p in paths)
        print(f"{len(paths)} files from {args.template} ({size / len(paths) / 1024:.1f} KiB each), "
              f"tags {' '.join(TAGS)}, median of {args.repeats}, warm page cache, {args.clock} clock "
              "(pools: wall)")

        def pure_full_text() -> None:
            for p in paths:
                text = decoder.get_info(p)
                for tag in TAGS:
                    tags.get_tag(text, tag)

        def pool_scan(workers: int) -> float:
            with ProcessPoolExecutor(workers) as pool:
                list(pool.map(abs, range(workers)))      # workers started before the clock runs
                return median_seconds(lambda: list(scan(paths, TAGS, backend="pydicom", executor=pool,
                                                        progress=False)), args.repeats, wall=True)

        def python_path_scan() -> None:
            bridge.configure(pure_python=True)
            try:
                pure.scan_tags(paths, TAGS)
            finally:
                bridge.configure(pure_python=None)

        rows = [("floor (open + read + close)", median_seconds(lambda: read_all(paths), args.repeats)),
                (f"pure scan_tags, 1 core ({'C' if native.active() else 'Python'})",
                 median_seconds(lambda: pure.scan_tags(paths, TAGS), args.repeats)),
                ("pure scan_tags, 1 core (Python path)", median_seconds(python_path_scan, args.repeats)),
                ("pure get_info + getTag, 1 core", median_seconds(pure_full_text, args.repeats)),
                ("pure bridge.scan, pool of 1", pool_scan(1)),
                ("pure bridge.scan, pool of 2", pool_scan(2))]

        jvm = backends.load("jvm")
        if not args.no_jvm and not jvm.missing():
            from bridge.backends.jvm import runtime
            # three warm-up passes: the batch starts the JVM with C2, which needs a few to compile
            rows.append(("jvm bridge.scan (batch)",
                         median_seconds(lambda: list(scan(paths, TAGS, backend="jvm", progress=False)),
                                        args.repeats, warmup=3)))
            DICOM = runtime.jclass("ij.plugin.DICOM")
            rows.append(("jvm getInfo per file (JPype)",
                         median_seconds(lambda: [DICOM().getInfo(p) for p in paths], args.repeats)))

        sample = paths[::10]

        def pydicom_headers() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for p in sample:
                    pydicom.dcmread(p, stop_before_pixels=True)

        rows.append(("pydicom dcmread(stop_before_pixels)",
                     median_seconds(pydicom_headers, max(3, args.repeats // 2)) * len(paths) / len(sample)))

        floor = rows[0][1]
        print(f"{'':40} {'median ms':>10} {'x floor':>8} {'us/file':>8}")
        for label, seconds in rows:
            print(f"{label:40} {seconds * 1e3:10.1f} {seconds / floor:8.2f} {seconds / len(paths) * 1e6:8.1f}")
        times = dict(rows)
        one, two = times["pure bridge.scan, pool of 1"], times["pure bridge.scan, pool of 2"]
        print(f"scaling, 2 workers vs 1: {one / two:.2f}x the throughput")
        scan_1 = rows[1][1]
        print(f"pydicom dcmread / pure scan_tags: {times['pydicom dcmread(stop_before_pixels)'] / scan_1:.1f}x")
        print(f"pure scan_tags, active path / Python path: {scan_1 / times['pure scan_tags, 1 core (Python path)']:.2f}")


if __name__ == "__main__":
    main()
