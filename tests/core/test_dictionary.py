"""ImageJ's tag dictionary: the recorded tables per release, jar extraction, getTagName rules."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import bridge
import bridge.emulation
from bridge.core import dictionary, ijjar

IJ_JAR = Path("/usr/share/java/ij.jar")


def test_shipped_table_is_imagej_153t(emulate):
    emulate("1.53t")
    table = dictionary.table()
    assert len(table) == 718
    assert table[0x00200013] == ("IS", "Image Number")
    assert table[0x30020026] == ("DS", "RT Image SID")          # the later duplicate wins
    assert table[0x00401006][0] == " 1"                          # a broken VR kept as is
    assert table[0x7FE00010] == ("OX", "Pixel Data")
    assert 0x00020000 not in table


@pytest.mark.parametrize("tag_id, name", [
    ("0020,0013", "Image Number"), ("00200013", "Image Number"), ("0,0,2,0,0,0,1,3", "Image Number"),
    ("0008,0060", "Modality"), ("7FE0,0010", "Pixel Data"),
    ("7fe0,0010", None), ("0020,0013 ", None), ("0002,0000", None), ("", None), ("zzzz,zzzz", None),
])
def test_tag_name_follows_getTagName(tag_id, name, emulate):
    emulate("1.53t")
    assert dictionary.tag_name(tag_id) == name


def test_154p_table_renames_adds_and_retypes(emulate):
    """1.54j's table, as the 1.54p jar answered it (names and VRs the issue measured)."""
    emulate("1.54p")
    table = dictionary.table()
    assert len(table) == 5038
    assert table[0x00200013] == ("IS", "Instance Number")
    assert table[0x00020003] == ("UI", "Media Storage SOP Instance UID")
    assert table[0x00180060] == ("DS", "KVP")
    assert table[0x00020001] == ("OB", "File Meta Information Version")
    assert table[0x7FE00010] == ("OB", "Pixel Data")
    assert table[0x00281201] == ("OW", "Red Palette Color Lookup Table Data")
    assert 0x00181628 not in table
    assert sum(vr == "SQ" for vr, _ in table.values()) > 1200
    assert dictionary.tag_name("50xx,0005") == "Curve Dimensions"     # getTagName answers placeholder keys
    assert dictionary.tag_name("0018,1628") is None


def test_154f_table_is_153ts_and_x_ray_is_renamed_later(emulate):
    assert dictionary.recorded("1.54f") == dictionary.recorded("1.53t")    # DICOM.java unchanged to 1.54f
    assert "X-ray" in " ".join(dictionary.recorded("1.53t").values())
    assert "X-ray" not in " ".join(dictionary.recorded("1.54p").values())
    assert "X-Ray" in " ".join(dictionary.recorded("1.54p").values())


def test_154p_names_are_mostly_the_standards():
    """Cross-check of the recording: the new names are the DICOM standard's, as pydicom carries them."""
    from pydicom.datadict import DicomDictionary
    ours = {int(k, 16): v[2:] for k, v in dictionary.recorded("1.54p").items() if "x" not in k}
    same = sum(DicomDictionary.get(tag, ("", "", None))[2] == name for tag, name in ours.items())
    assert same >= 5000, same    # the rest differ by zero-width spaces and the like, as ImageJ wrote them


def test_recorded_files_name_their_jar():
    for release in ("1.53t", "1.54f", "1.54p"):
        head = dictionary.data_file(release).read_text(encoding="utf-8").splitlines()[:3]
        assert head[0].startswith(f"# ImageJ {release} DicomDictionary")
        assert "sha256=" in head[1] and "running jar" in head[2]


@pytest.mark.skipif(not IJ_JAR.is_file(), reason="needs Debian's ij.jar")
def test_extraction_from_the_jar_matches_the_shipped_file():
    assert ijjar.jar_version(IJ_JAR) == "1.53t"
    assert dictionary.entries_from_jar(IJ_JAR) == dictionary.recorded("1.53t")


DICT_SOURCE = """
package ij.plugin;
class DicomDictionary {
    static final long BIG = 123456789012345L;
    static final double PI = 3.25;
    String[] dict = {
        "00100010=PNPatient's Name",
        "00181063=DSFrame Time \u00b5s",
        "00100010=PNPatient Name Again",
        "not an entry",
        "0010001=PNtoo short",
        "0008a000=CSlower-case hex",
        "00091001=LO\u200bzero width",
    };
    long f() { return BIG + (long) PI; }
}
"""


@pytest.fixture(scope="module")
def synthetic_jar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("javac") is None:
        pytest.skip("needs javac")
    root = tmp_path_factory.mktemp("dictjar")
    src = root / "ij" / "plugin" / "DicomDictionary.java"
    src.parent.mkdir(parents=True)
    src.write_text(DICT_SOURCE, encoding="utf-8")
    subprocess.run(["javac", "-encoding", "UTF-8", "-d", str(root / "classes"), str(src)], check=True)
    jar = root / "ij-test.jar"
    with zipfile.ZipFile(jar, "w") as z:
        z.write(root / "classes" / dictionary.CLASS_ENTRY, dictionary.CLASS_ENTRY)
    return jar


def test_class_file_constant_pool_is_parsed(synthetic_jar: Path):
    table = dictionary.entries_from_jar(synthetic_jar)
    assert table == {"00100010": "PNPatient Name Again",
                     "00181063": "DSFrame Time \u00b5s",
                     "00091001": "LO\u200bzero width"}


def test_a_jar_without_a_version_is_reported(synthetic_jar: Path):
    with pytest.raises(ijjar.JarError, match="no ij/ImageJ.class"):
        ijjar.jar_version(synthetic_jar)


def test_bad_jars_are_reported(tmp_path: Path):
    not_a_jar = tmp_path / "x.jar"
    not_a_jar.write_bytes(b"nothing")
    with pytest.raises(dictionary.DictionaryError, match="x.jar"):
        dictionary.entries_from_jar(not_a_jar)
    empty = tmp_path / "empty.jar"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("a.txt", "")
    with pytest.raises(dictionary.DictionaryError, match="no ij/plugin/DicomDictionary.class"):
        dictionary.entries_from_jar(empty)


@pytest.mark.jvm
def test_table_equals_imagej_dictionary_by_reflection():
    from bridge.backends.jvm import runtime
    cls = runtime.jclass("java.lang.Class").forName("ij.plugin.DicomDictionary")
    ctor = cls.getDeclaredConstructor()
    ctor.setAccessible(True)
    method = cls.getDeclaredMethod("getDictionary")
    method.setAccessible(True)
    props = method.invoke(ctor.newInstance())
    java = {str(k): str(props.get(k)) for k in props.keySet()}
    assert java == dictionary.recorded(bridge.emulation.rules().dictionary)   # the jar's own release
