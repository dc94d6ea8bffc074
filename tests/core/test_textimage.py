"""TextReader's shape check on .txt files: the pydicom backend gives ImageJ's message."""

import pytest

from bridge.backends import load
from bridge.errors import DicomReadError

RAGGED = {
    "second_line_longer": "1 2 3\n4 5 6 7\n",
    "blank_lines_ignored": "1 2\n\n\n3 4\n5\n",
    "crlf_and_cr": "1 2\r\n3 4\r5 6 7\r\n",
    "commas_and_tabs_separate": "1,2\t3\n4 5\n",
    "prose": "This is a README.\nIt has words, not numbers.\n",
    "latin1_separates": "a\xe9b c\nd e f\n",
}


def _imagej_message(path):
    try:
        load("jvm").open_image(str(path))
    except DicomReadError as err:
        return err.imagej_message
    return "opened"


@pytest.mark.jvm
@pytest.mark.parametrize("name", sorted(RAGGED))
def test_ragged_tables_fail_with_textreaders_message(name, tmp_path):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(RAGGED[name].encode("latin-1"))
    with pytest.raises(DicomReadError) as ours:
        load("pydicom").open_image(str(path))
    assert ours.value.imagej_message == _imagej_message(path)


@pytest.mark.jvm
@pytest.mark.parametrize("text", ["1 2 3\n4 5 6\n", "1 2\n3 4 5"])   # the last line has no EOL: not checked
def test_a_valid_table_is_refused_without_a_message_where_imagej_opens_it(text, tmp_path):
    path = tmp_path / "table.txt"
    path.write_text(text)
    assert _imagej_message(path) == "opened"          # ImageJ: a 32-bit image
    with pytest.raises(DicomReadError) as ours:
        load("pydicom").open_image(str(path))
    assert ours.value.imagej_message is None and "TextReader" in str(ours.value)
