"""ImageJ's tag dictionary: the shipped 1.53t table, jar extraction, getTagName rules."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import bridge
from bridge.core import dictionary

IJ_JAR = Path("/usr/share/java/ij.jar")


def test_shipped_table_is_imagej_153t():
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
def test_tag_name_follows_getTagName(tag_id, name):
    assert dictionary.tag_name(tag_id) == name


@pytest.mark.skipif(not IJ_JAR.is_file(), reason="needs Debian's ij.jar")
def test_extraction_from_the_jar_matches_the_shipped_file():
    assert dictionary.format_table(dictionary.entries_from_jar(IJ_JAR)) == \
        dictionary.DATA_FILE.read_text(encoding="utf-8")


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


def test_a_configured_jar_replaces_the_shipped_table(synthetic_jar: Path):
    assert dictionary.tag_name("0010,0010") == "Patient's Name"
    bridge.configure(ij_jar=str(synthetic_jar))
    try:
        assert dictionary.tag_name("0010,0010") == "Patient Name Again"
        assert dictionary.tag_name("0020,0013") is None
    finally:
        bridge.configure(ij_jar=None)
    assert dictionary.tag_name("0010,0010") == "Patient's Name"


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
    ours = {f"{tag:08X}": vr + name for tag, (vr, name) in dictionary.table().items()}
    assert java == ours
