"""The command table: ImageJ's errors for unknown commands and missing images; the session per thread."""

from __future__ import annotations

import threading

import pytest

from bridge.core import commands
from bridge.errors import ScriptError


def test_unknown_command_is_imagejs_error():
    with pytest.raises(ScriptError, match='Unrecognized command: "No Such Command"'):
        commands.run(None, "No Such Command", "")


def test_a_command_on_no_image_is_imagejs_error():
    with pytest.raises(ScriptError, match="There are no images open"):
        commands.run(None, "Measure", "")


def test_the_session_is_per_thread_and_reset_gives_a_fresh_one():
    commands.reset().results.incrementCounter()
    seen: list[int] = []
    worker = threading.Thread(target=lambda: seen.append(commands.current().results.size()))
    worker.start()
    worker.join()
    assert seen == [0] and commands.current().results.size() == 1
    commands.run(None, "Clear Results", "")
    assert commands.current().results.size() == 0

