"""Robustness: the macros shipped inside ImageJ's own jar port without a crash, and the ports compile."""

from __future__ import annotations

import zipfile

import pytest

from bridge import locate
from bridge.errors import BridgeError
from bridge.port import port_macro

pytestmark = pytest.mark.jvm   # needs ij.jar (the jvm backend's)


def test_imagejs_bundled_macros_translate_or_refuse_never_crash():
    with zipfile.ZipFile(str(locate.ij_jar().path)) as jar:
        sources = {name: jar.read(name).decode("utf-8", "replace") for name in jar.namelist()
                   if name.startswith("macros/") and name.endswith((".txt", ".ijm"))}
    assert len(sources) >= 15
    ported = 0
    for name, source in sources.items():
        try:
            port = port_macro(source)
        except BridgeError as err:   # tool sets with several macro blocks, and the like: named, not crashed
            assert "line" in str(err), name
            continue
        compile(port.python, name, "exec")
        ported += 1
        for line, text, why in port.untranslated:
            assert f"# bridge port: line {line} not translated ({why})" in port.python
    assert ported >= 8
