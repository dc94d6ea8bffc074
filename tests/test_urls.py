"""IJ.openImage on URLs, both backends: fetched by us (bounded), titled and nulled as ImageJ does."""

import pytest

import bridge
from bridge import IJ, DicomTools

from .httpserver import LoopbackServer


@pytest.fixture
def server():
    with LoopbackServer() as running:
        yield running


def test_dicom_url_opens_with_imagej_title(each_backend, server):
    imp = IJ.openImage(server.url("/named/a b.dcm"))
    assert imp is not None and imp.getTitle() == "a%20b.dcm"
    assert DicomTools.getTag(imp, "0008,1030") == " e+1 "
    assert imp.getOriginalFileInfo()["url"] == server.url("/named/a b.dcm")


def test_url_without_dicom_extension_is_a_silent_null(each_backend, server):
    assert IJ.openImage(server.url("/named/ct")) is None
    assert IJ.getErrorMessage() is None
    assert server.requests == []  # ImageJ would not read it as DICOM: nothing is fetched


def test_http_errors_carry_imagejs_message(each_backend, server):
    url = server.url("/status/404/x.dcm")
    assert IJ.openImage(url) is None
    assert IJ.getErrorMessage().startswith("java.io.FileNotFoundException")
    with pytest.raises(bridge.FetchError, match="404"):
        bridge.open(url)


def test_refused_schemes_and_limits(each_backend, server, monkeypatch):
    with pytest.raises(bridge.FetchError, match="file:"):
        bridge.open("file:///etc/passwd.dcm")
    monkeypatch.setenv("BRIDGE_MAX_DOWNLOAD_BYTES", "1000")
    with pytest.raises(bridge.LimitExceededError):
        bridge.open(server.url("/named/ct.dcm"))
