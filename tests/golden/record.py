"""Golden data: what one ImageJ release does on a fixed corpus, recorded from its real jar.

``scripts/record_golden.py --ij-jar JAR`` runs :func:`observe` on the jvm
backend for every file of a corpus and writes the result to
``tests/golden/data/imagej-<version>-<corpus>.json.gz`` (Show Info's per-process
``ID:`` line left out); ``test_golden.py``
runs the same :func:`observe` on the pure backend set to that version (and on
the jvm backend for the version of the jar it has) and compares field by field.

Corpora: ``pydicom`` (pydicom's bundled test files) and ``fuzz`` (files from
``tests/fuzzgen.py``, seeded, written afresh wherever they are needed).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bridge.backends.base import Backend
from bridge.compare import image_info_text, tag_ids
from bridge.errors import DicomReadError, JavaError
from tests.fuzzgen import generate, generate_image

DATA = Path(__file__).with_name("data")
CORPORA = ("pydicom", "fuzz")
#: the fields recorded per file, in report order
FIELDS = ("get_info", "opened", "error", "title", "dims", "display_range", "info", "tags", "pixels", "image_info")
#: getTag ids asked on every opened image besides those that start its Info lines
#: (names, window, an id no file has, a sequence, 1.54j's new names)
EXTRA_TAGS = ("0008,0060", "0010,0010", "0020,0013", "0028,1050", "0028,1051", "0002,0001",
              "0008,1140", "0018,0060", "7FE0,0010", "9999,9999")
FUZZ_HEADERS = 500      # generate(seed) for these seeds
FUZZ_IMAGES = 300       # generate_image(seed)


def corpus_files(corpus: str, folder: Path) -> dict[str, str]:
    """name -> path of every file of ``corpus``; fuzz files are written into ``folder``."""
    if corpus == "pydicom":
        from tests.parity.cases import pydicom_test_files
        return pydicom_test_files()
    if corpus != "fuzz":
        raise ValueError(f"unknown corpus {corpus!r}; known: {', '.join(CORPORA)}")
    files: dict[str, bytes] = {f"header_{seed}.dcm": generate(seed) for seed in range(FUZZ_HEADERS)}
    for seed in range(FUZZ_IMAGES):
        name, data = generate_image(seed)
        files[f"image_{seed}_{name}"] = data
    paths = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths[name] = str(path)
    return paths


def observe(backend: Backend, path: str) -> dict[str, Any]:
    """What ``backend`` does with ``path``: getInfo, then openImage's title, dims, ranges, texts, pixels, Show Info.

    ImageJ's messages name the file; its folder is written ``<dir>`` so that
    recordings do not depend on where the corpus lay.
    """
    def local(text: str) -> str:
        return text.replace(os.path.dirname(path), "<dir>")

    def failure(err: DicomReadError) -> str:
        return local(err.imagej_message or "")

    try:
        header: str | None = backend.get_info(path)
    except DicomReadError as err:
        header = f"<throws {failure(err)}>"
    seen: dict[str, Any] = {"get_info": header}
    try:
        imp = backend.open_image(path)
    except DicomReadError as err:
        seen.update(opened=False, error=failure(err))
        return seen
    ids = list(dict.fromkeys([*tag_ids(imp.info), *EXTRA_TAGS]))
    seen.update(opened=True, error=None, title=imp.getTitle(),
                dims=[imp.getWidth(), imp.getHeight(), imp.getStackSize()],
                display_range=_attempt(lambda: f"{imp.getDisplayRangeMin()!r} {imp.getDisplayRangeMax()!r}"),
                info=imp.info, tags={tag: backend.get_tag(imp, tag) for tag in ids},
                pixels=_pixels_hash(imp.data), image_info=local(image_info_text(backend, imp)))
    return seen


def _attempt(call: Callable[[], str]) -> str:
    """What ``call`` gives, or what it throws (ImageJ's processor-less empty image throws for its range)."""
    try:
        return call()
    except JavaError as err:
        return f"<throws {err.java_class}>"


def _pixels_hash(data: Any) -> str | None:
    """dtype, shape and sha256 of the stack's bytes (what parity compares, in 80 characters)."""
    if data is None:
        return None
    digest = hashlib.sha256(data.tobytes()).hexdigest()[:32]
    return f"{data.dtype.str} {'x'.join(map(str, data.shape))} {digest}"


def data_path(version: str, corpus: str) -> Path:
    return DATA / f"imagej-{version}-{corpus}.json.gz"


def recorded_versions() -> list[str]:
    """The releases with golden data, oldest first."""
    return sorted({p.name.split("-")[1] for p in DATA.glob("imagej-*-*.json.gz")})


def save(version: str, corpus: str, jar: dict[str, str], files: dict[str, dict[str, Any]]) -> Path:
    """Write one recording; texts equal to getInfo's are stored once (``info: "=get_info"``)."""
    for seen in files.values():
        if seen.get("info") is not None and seen["info"] == seen["get_info"]:
            seen["info"] = "=get_info"
    body = json.dumps({"imagej": version, "corpus": corpus, "jar": jar, "files": files},
                      ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
    path = data_path(version, corpus)
    path.write_bytes(gzip.compress(body, mtime=0))
    return path


def load(version: str, corpus: str) -> dict[str, dict[str, Any]]:
    """name -> recorded fields (``info`` restored)."""
    data = json.loads(gzip.decompress(data_path(version, corpus).read_bytes()))
    files: dict[str, dict[str, Any]] = data["files"]
    for seen in files.values():
        if seen.get("info") == "=get_info":
            seen["info"] = seen["get_info"]
    return files


def differing_fields(recorded: dict[str, Any], seen: dict[str, Any]) -> list[str]:
    """The fields where an observation differs from the recording (tags: each id that differs)."""
    out = [f for f in FIELDS if f != "tags" and recorded.get(f) != seen.get(f)]
    want, got = recorded.get("tags") or {}, seen.get("tags") or {}
    out += [f"tags[{t}]" for t in sorted(want.keys() | got.keys()) if want.get(t) != got.get(t)]
    return out
