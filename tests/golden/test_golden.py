"""The pure backend against what real ImageJ jars recorded (every release), the jvm backend against its own.

The recordings (``tests/golden/data``) were made by ``scripts/record_golden.py``
from ImageJ 1.53t (Debian), 1.54f and 1.54p; a file passes when every field
(getInfo, Info, getTag, title, dims, display range, pixels, Show Info) is
the same.  The pure backend needs no jar for any of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge import backends, emulation

from .record import CORPORA, corpus_files, differing_fields, load, observe, recorded_versions

VERSIONS = recorded_versions()


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    folder = tmp_path_factory.mktemp("golden")
    return {corpus: corpus_files(corpus, folder) for corpus in CORPORA}


def _mismatches(backend_name: str, version: str, corpus: str, files: dict[str, str]) -> list[str]:
    backend = backends.get(backend_name)
    recorded = load(version, corpus)
    assert set(recorded) == set(files), "the corpus changed since it was recorded: run scripts/record_golden.py"
    found = []
    for name, seen in recorded.items():
        fields = differing_fields(seen, observe(backend, files[name]))
        if fields:
            found.append(f"{name}: {', '.join(fields)}")
    return found


def test_every_supported_release_has_recordings():
    assert VERSIONS == ["1.53t", "1.54f", "1.54p"]


@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("version", VERSIONS)
def test_pure_backend_reproduces_the_recording(version, corpus, corpora, emulate):
    emulate(version)
    found = _mismatches("pydicom", version, corpus, corpora[corpus])
    assert not found, f"ImageJ {version}, {corpus}: {len(found)} of {len(corpora[corpus])} files differ:\n" + \
        "\n".join(found[:20])


@pytest.mark.parametrize("corpus", CORPORA)
def test_recordings_of_different_releases_differ_where_the_rules_say(corpus):
    """The data is not three copies: 1.54f differs from 1.53t in display ranges and Show Info only,
    1.54p from 1.54f in the header texts (its dictionary) and what follows from them."""
    old, mid, new = (load(v, corpus) for v in VERSIONS)
    fields_changed = {f.split("[")[0] for name in old for f in differing_fields(old[name], mid[name])}
    assert fields_changed == {"display_range", "image_info"}
    assert sum(old[n]["get_info"] != new[n]["get_info"] for n in old) > len(old) // 2


@pytest.mark.jvm
@pytest.mark.parametrize("corpus", CORPORA)
def test_jvm_backend_reproduces_the_recording_of_its_jar(corpus, corpora):
    version = emulation.emulated().version
    if version not in VERSIONS:
        pytest.skip(f"no recording of ImageJ {version}, the jar this machine has")
    found = _mismatches("jvm", version, corpus, corpora[corpus])
    assert not found, f"ImageJ {version} (jvm), {corpus}: {len(found)} files differ:\n" + "\n".join(found[:20])
