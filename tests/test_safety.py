"""Regular-file checks, private temporary files and limited reads (bridge/safety.py).

A FIFO opened for reading blocks until a writer comes, so every check that
could hang runs in a helper thread and the test fails (instead of hanging)
if it does not come back at once.
"""

from __future__ import annotations

import io
import os
import socket
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bridge import safety
from bridge.errors import DicomReadError, LimitExceededError, MissingFileError, NotARegularFileError

PROMPT = 2.0  # seconds: far more than a stat takes, far less than "hangs"


def promptly(call: Callable[[], Any]) -> Any:
    """Run ``call`` in a thread; fail if it blocks; re-raise what it raised, else return its result."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 -- handed back to the test thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    start = time.monotonic()
    worker.start()
    worker.join(PROMPT)
    assert not worker.is_alive(), f"blocked for more than {PROMPT} s"
    assert time.monotonic() - start < 0.5
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.fixture
def fifo(tmp_path: Path) -> str:
    path = str(tmp_path / "pipe.dcm")
    os.mkfifo(path)
    return path


@pytest.fixture
def dicom(tmp_path: Path) -> str:
    path = tmp_path / "x.dcm"
    path.write_bytes(bytes(128) + b"DICM")
    return str(path)


# --- regular_file ---------------------------------------------------------------

def test_regular_file_is_returned_as_given(dicom: str) -> None:
    assert safety.regular_file(Path(dicom)) == dicom


def test_fifo_is_refused_at_once(fifo: str) -> None:
    with pytest.raises(NotARegularFileError, match="FIFO") as caught:
        promptly(lambda: safety.regular_file(fifo))
    assert caught.value.path == fifo and fifo in str(caught.value)
    assert caught.value.imagej_message is None


def test_symlink_to_a_fifo_is_refused_at_once(fifo: str, tmp_path: Path) -> None:
    link = tmp_path / "link.dcm"
    link.symlink_to(fifo)
    with pytest.raises(NotARegularFileError, match="FIFO"):
        promptly(lambda: safety.regular_file(link))


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_device_is_refused() -> None:
    with pytest.raises(NotARegularFileError, match="character device"):
        promptly(lambda: safety.regular_file("/dev/zero"))


def test_socket_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(path)
        with pytest.raises(NotARegularFileError, match="socket"):
            promptly(lambda: safety.regular_file(path))


@pytest.mark.parametrize("trailing", ["", "/"])
def test_directory_keeps_imagej_message(tmp_path: Path, trailing: str) -> None:
    path = str(tmp_path) + trailing
    with pytest.raises(NotARegularFileError, match="is a directory") as caught:
        safety.regular_file(path)
    assert caught.value.imagej_message == f"Unsupported format or file not found:\n{path}"


def test_symlink_to_a_file_is_fine_and_keeps_its_own_name(dicom: str, tmp_path: Path) -> None:
    link = str(tmp_path / "other-name")
    os.symlink(dicom, link)
    assert safety.regular_file(link) == link  # ImageJ titles by the name given, not the target's


def test_symlink_to_a_directory_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "dir-link"
    link.symlink_to(tmp_path)
    with pytest.raises(NotARegularFileError, match="is a directory"):
        safety.regular_file(link)


@pytest.mark.parametrize("make", [
    pytest.param(lambda tmp: tmp / "missing.dcm", id="missing"),
    pytest.param(lambda tmp: tmp / "x.dcm" / "below-a-file.dcm", id="below-a-file"),
])
def test_missing_file_is_silent_like_imagej(dicom: str, tmp_path: Path, make: Callable[[Path], Path]) -> None:
    path = str(make(tmp_path))
    with pytest.raises(MissingFileError, match="file not found") as caught:
        safety.regular_file(path)
    assert isinstance(caught.value, FileNotFoundError)
    assert caught.value.path == path and caught.value.imagej_message is None


def test_dangling_symlink_is_a_missing_file(tmp_path: Path) -> None:
    link = str(tmp_path / "dangling.dcm")
    os.symlink(tmp_path / "gone.dcm", link)
    with pytest.raises(MissingFileError, match="dangling symbolic link") as caught:
        safety.regular_file(link)
    assert caught.value.imagej_message is None


def test_symlink_loop_is_a_typed_error(tmp_path: Path) -> None:
    loop = tmp_path / "loop.dcm"
    loop.symlink_to(loop)
    with pytest.raises(DicomReadError) as caught:
        safety.regular_file(loop)
    assert not isinstance(caught.value, MissingFileError)
    assert str(loop) in str(caught.value)


# --- open_regular ----------------------------------------------------------------

def test_open_regular_reads_a_file(dicom: str) -> None:
    with safety.open_regular(dicom) as stream:
        assert stream.read() == bytes(128) + b"DICM"


def test_open_regular_rejects_a_fifo_swapped_in_after_the_check(fifo: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "regular_file", os.fspath)  # as if the check had run before the swap
    with pytest.raises(NotARegularFileError, match="FIFO"):
        promptly(lambda: safety.open_regular(fifo))


# --- private_tempfile ------------------------------------------------------------

@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_private_tempfile_modes(umask: int) -> None:
    saved = os.umask(umask)
    try:
        with safety.private_tempfile(".dcm") as path:
            assert path.endswith(".dcm") and os.path.getsize(path) == 0
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
            assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    finally:
        os.umask(saved)
    assert not os.path.exists(os.path.dirname(path))


def test_private_tempfile_is_removed_on_error() -> None:
    with pytest.raises(RuntimeError), safety.private_tempfile() as path:
        Path(path).write_bytes(b"partial")
        raise RuntimeError("failed half way")
    assert not os.path.exists(os.path.dirname(path))


def test_private_tempfile_takes_a_plain_name() -> None:
    with safety.private_tempfile(name="a%20b.dcm") as path:
        assert os.path.basename(path) == "a%20b.dcm"


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "../x", "a\0b"])
def test_private_tempfile_refuses_names_that_leave_the_folder(name: str) -> None:
    with pytest.raises(ValueError, match="plain file name"), safety.private_tempfile(name=name):
        pass


# --- copy_limited / read_limited -------------------------------------------------------

class Endless(io.RawIOBase):
    """A stream of zeros that counts what was asked of it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.served += len(buffer)
        return len(buffer)


@pytest.mark.parametrize("size", [0, 1, 70_000])
def test_read_limited_passes_exactly_the_limit(size: int) -> None:
    assert safety.read_limited(io.BytesIO(bytes(size)), size, "x.dcm") == bytes(size)


def test_read_limited_refuses_one_byte_more() -> None:
    with pytest.raises(LimitExceededError, match="more than the limit of 10 bytes") as caught:
        safety.read_limited(io.BytesIO(bytes(11)), 10, "x.dcm")
    assert caught.value.path == "x.dcm"


def test_copy_limited_stops_reading_an_endless_stream() -> None:
    stream, sink = Endless(), io.BytesIO()
    with pytest.raises(LimitExceededError):
        safety.copy_limited(stream, sink, 200_000, "endless")
    assert stream.served == 200_001  # one byte past the limit, never more
    assert len(sink.getvalue()) <= 200_000


# --- temporary files on every exit path ------------------------------------------------

def bridge_temp_files() -> set[str]:
    import tempfile
    return {name for name in os.listdir(tempfile.gettempdir()) if name.startswith("bridge-")}


def test_private_temp_files_go_on_ctrl_c() -> None:
    before = bridge_temp_files()
    with pytest.raises(KeyboardInterrupt), safety.private_tempfile(name="x.dcm") as path:
        Path(path).write_bytes(b"partial")
        raise KeyboardInterrupt
    assert not os.path.exists(path) and bridge_temp_files() == before


def test_an_interrupted_zip_inflate_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    from bridge import archive
    zipped = tmp_path / "one.zip"
    with zipfile.ZipFile(zipped, "w") as out:
        out.writestr("a.dcm", bytes(4096))

    def interrupted(archive_file: object, entry: object, out: io.BufferedWriter, path: str) -> None:
        out.write(b"\0" * 1024)
        raise KeyboardInterrupt

    monkeypatch.setattr(archive, "_inflate", interrupted)
    before = bridge_temp_files()
    with pytest.raises(KeyboardInterrupt), archive.first_dicom_entry(str(zipped)):
        pass
    assert bridge_temp_files() == before


def test_an_interrupted_download_leaves_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from bridge import fetch

    from .httpserver import LoopbackServer

    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(fetch, "copy_limited", interrupted)
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    before = bridge_temp_files()
    with LoopbackServer() as server, pytest.raises(KeyboardInterrupt), fetch.download(server.url("/ct.dcm")):
        pass
    assert bridge_temp_files() == before
