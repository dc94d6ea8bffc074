"""getTag's text rules (1.53t), on hand-written header texts."""

from bridge.core import tags

INFO = ("0008,0060  Modality: CT\n"
        "0008,1030  Study Description: desc mentions 0020,0011 here\n"
        "0020,0011  Series Number: 7 \n"
        "0020,0013  >Image Number: 1\n"
        "0020,0013  >Image Number: 2\n"
        "0020,0013  Image Number: 3\n")


def test_value_keeps_leading_space_and_padding():
    assert tags.get_tag(INFO, "0008,0060") == " CT"
    # the first match is inside a value: the next colon after it is the next line's
    assert tags.get_tag(INFO, "0020,0011") == " 7 "


def test_single_sequence_skip_takes_second_hit_even_if_marked():
    assert tags.get_tag(INFO, "0020,0013") == " 2"


def test_absent_and_lower_case_ids():
    assert tags.get_tag(INFO, "0010,0010") is None
    assert tags.get_tag(INFO, "0008,103e") is None
    assert tags.get_tag(None, "0008,0060") is None
    assert tags.get_tag("0008,0060  Modality: CT", "0008,0060") is None  # no final LF: 1.53t fails


def test_stack_label_is_searched_when_it_holds_a_header():
    labels = ["a.dcm\n0008,0060  Modality: MR\n", "b.dcm\n0008,0060  Modality: PT\n"]
    assert tags.search_text(INFO, labels, 2) == labels[1]
    assert tags.search_text(INFO, [None, None], 1) == INFO
    assert tags.search_text(INFO, ["x\ny"], 1) == INFO  # one slice: Info


def test_string_property_keys():
    assert tags.is_dicom_key("0008,0060") and tags.is_dicom_key("0008,103e")
    assert not tags.is_dicom_key("00080060") and not tags.is_dicom_key("Modality")
    assert tags.get_property_value(INFO, "Modality") == "CT"
    assert tags.get_property_value("xModality: A\nModality: B\n", "Modality") == "B"
    assert tags.get_property_value("Width = 12\n", "Width") == "12"
    assert tags.get_property_value(INFO, "Missing") is None
