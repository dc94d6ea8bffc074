"""IJ.openImage on URLs, both backends: fetched by us (bounded), titled and nulled as ImageJ does."""

import os
from pathlib import Path
from urllib.parse import quote

import pytest

import bridge
from bridge import IJ, DicomTools

from .httpserver import CT_SMALL, PASSWORD, USER, LoopbackServer


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
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


def test_a_body_that_is_not_dicom_names_the_url(each_backend, server):
    url = server.url("/text/x.dcm")
    with pytest.raises(bridge.NotDicomError) as caught:
        bridge.open(url)
    error = caught.value
    assert error.path == error.url == url and str(error).startswith(url + ": ")
    assert "bridge-" not in str(error) and "bridge-" not in (error.imagej_message or "")
    assert IJ.openImage(url) is None
    assert "bridge-" not in (IJ.getErrorMessage() or "")


def test_credentials_are_used_and_never_shown(each_backend, server):
    url = server.url("/auth/ct.dcm").replace("://", f"://{USER}:{quote(PASSWORD, safe='')}@")
    imp = IJ.openImage(url)
    assert imp is not None and imp.getTitle() == "ct.dcm"
    info = imp.getOriginalFileInfo()
    assert info["url"] == server.url("/auth/ct.dcm") and USER not in info["directory"]
    assert "ct.dcm" in repr(imp) and USER not in repr(imp)


def test_file_urls_are_refused_with_a_message(each_backend, tmp_path):
    local = tmp_path / "ct.dcm"
    local.write_bytes(CT_SMALL.read_bytes())
    url = Path(local).as_uri()
    assert IJ.openImage(url) is None
    message = IJ.getErrorMessage()
    assert message is not None and "file: URLs are not fetched" in message and str(local) in message
    with pytest.raises(bridge.FetchError, match="give the local path instead"):
        bridge.open(url)
    assert bridge.open(os.fspath(local)).getTitle() == "ct.dcm"
