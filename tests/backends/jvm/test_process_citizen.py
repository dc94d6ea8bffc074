"""The JVM in a host process: exit after a thread start, fork, Ctrl-C, temp folders.

Each case runs in its own Python process (the process itself is at stake), bounded by
a timeout so that a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

ROOT = Path(__file__).resolve().parents[3]
CT = get_testdata_file("CT_small.dcm")
BOUND = 60   # seconds; a healthy case takes a few


def _script(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def _run(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(_script(code), cwd=ROOT, capture_output=True, text=True, timeout=BOUND,
                              env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the process did not end within {BOUND} s: {exc.stdout!r} {exc.stderr!r}")


@pytest.mark.jvm
@pytest.mark.parametrize("starter", ["main", "thread", "pool"])
def test_exit_is_quick_whichever_thread_started_the_jvm(starter):
    done = _run(f"""
        import threading, time
        from concurrent.futures import ThreadPoolExecutor
        import bridge
        bridge.set_backend("jvm")
        def work():
            assert bridge.IJ.openImage({CT!r}) is not None
        if {starter!r} == "main":
            work()
        elif {starter!r} == "thread":
            t = threading.Thread(target=work); t.start(); t.join()
        else:
            with ThreadPoolExecutor(2) as pool:
                pool.submit(work).result()
        print("done", time.monotonic(), flush=True)
    """)
    ended = time.monotonic()
    assert done.returncode == 0, done.stderr
    exit_seconds = ended - float(done.stdout.split()[-1])
    assert exit_seconds < 20, f"exit took {exit_seconds:.1f} s"


@pytest.mark.jvm
def test_a_child_forked_after_start_fails_at_once_on_the_jvm_and_works_without_it():
    done = _run(f"""
        import multiprocessing, os, sys
        import bridge
        from bridge.errors import BridgeError, ForkedJvmError
        bridge.set_backend("jvm")
        assert bridge.IJ.openImage({CT!r}) is not None

        def child(queue):
            try:
                bridge.IJ.openImage({CT!r})
                queue.put("opened")
            except ForkedJvmError as err:
                queue.put(("refused", isinstance(err, BridgeError), str(err)))
            bridge.set_backend("pydicom")
            queue.put(bridge.IJ.openImage({CT!r}).getWidth())

        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        p = ctx.Process(target=child, args=(queue,))
        p.start()
        print(repr(queue.get(timeout=30)), flush=True)
        print(repr(queue.get(timeout=30)), flush=True)
        p.join(30)
        print("child exit", p.exitcode, flush=True)

        pid = os.fork()          # a bare fork whose child ends through Python's normal exit
        if pid == 0:
            sys.exit(0)
        import time
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                print("bare child ended", flush=True)
                break
            time.sleep(0.05)
        else:
            os.kill(pid, 9)
            print("bare child hung", flush=True)
        assert bridge.IJ.openImage({CT!r}) is not None   # the parent's JVM is untouched
    """)
    assert done.returncode == 0, done.stderr
    refused, width, exit_line, bare = done.stdout.splitlines()
    kind, is_bridge_error, message = eval(refused)
    assert kind == "refused" and is_bridge_error
    assert "spawn" in message and "forkserver" in message
    assert width == "128" and exit_line == "child exit 0" and bare == "bare child ended"


@pytest.mark.jvm
def test_scan_pools_never_fork_a_process_with_a_jvm(tmp_path):
    for i in range(3):
        (tmp_path / f"ct{i}.dcm").write_bytes(Path(CT).read_bytes())
    done = _run(f"""
        import sys
        import bridge
        import bridge.scan
        scan = sys.modules["bridge.scan"]     # the module (bridge.scan is the function)
        bridge.set_backend("jvm")
        bridge.IJ.openImage({CT!r})
        methods = []
        real = scan.ProcessPoolExecutor
        def spy(*args, **kwargs):
            methods.append(kwargs["mp_context"].get_start_method())
            return real(*args, **kwargs)
        scan.ProcessPoolExecutor = spy
        rows = list(bridge.scan({str(tmp_path)!r}, ["0008,0060"], backend="pydicom", chunk_size=1))
        print(methods, [r["0008,0060"] for r in rows])
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['forkserver'] [' CT', ' CT', ' CT']"


def test_scan_pools_fork_only_a_single_threaded_process_without_a_jvm():
    done = _run("""
        import threading
        from bridge.scan import start_method
        print(start_method())
        t = threading.Thread(target=threading.Event().wait, args=(5,), daemon=True)
        t.start()
        print(start_method())
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["fork", "forkserver"]


@pytest.mark.jvm
def test_ctrl_c_during_a_jvm_call_raises_keyboard_interrupt_and_leaves_nothing(tmp_path):
    """SIGINT while a big zip entry is inflated and opened: the script's ``except`` runs, the JVM lives on."""
    import zipfile
    big = tmp_path / "big.zip"      # stored, incompressible: every open copies 64 MiB, no bomb guard trips
    with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("ct.dcm", Path(CT).read_bytes() + os.urandom(64 << 20))
    private = tmp_path / "tmp"
    private.mkdir()
    proc = subprocess.Popen(_script(f"""
        import bridge, time
        bridge.set_backend("jvm")
        bridge.configure(max_image_bytes=1 << 30)
        assert bridge.IJ.openImage({CT!r}) is not None
        print("ready", flush=True)
        try:
            while True:
                bridge.IJ.openImage({str(big)!r})
        except KeyboardInterrupt:
            print("interrupted", flush=True)
        print("after", bridge.IJ.openImage({CT!r}).getWidth(), flush=True)
    """), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TMPDIR": str(private)})
    try:
        assert proc.stdout.readline() == "ready\n"
        time.sleep(2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=BOUND)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"no exit within {BOUND} s after SIGINT: {proc.communicate()}")
    assert proc.returncode == 0, err
    assert out.split("\n")[:2] == ["interrupted", "after 128"]
    assert list(private.iterdir()) == []


@pytest.mark.jvm
def test_the_jvm_writes_nothing_outside_tmpdir(tmp_path):
    """No ``hsperfdata`` (HotSpot writes it to a fixed folder, not TMPDIR), Java's temp dir is TMPDIR."""
    perf_root = Path(os.sep, "tmp")   # HotSpot's fixed perf-data root on Linux, whatever TMPDIR says
    private = tmp_path / "tmp"
    private.mkdir()
    done = _run(f"""
        import os, getpass
        import bridge
        from bridge.backends.jvm import runtime
        bridge.set_backend("jvm")
        bridge.IJ.openImage({CT!r})
        System = runtime.jclass("java.lang.System")
        print(os.getpid(), getpass.getuser(), System.getProperty("java.io.tmpdir"))
        print(os.path.exists(os.path.join({str(perf_root)!r}, "hsperfdata_" + getpass.getuser(), str(os.getpid()))))
    """, env={"TMPDIR": str(private)})
    assert done.returncode == 0, done.stderr
    first, perf_file_exists = done.stdout.splitlines()
    assert first.split()[2] == str(private)
    assert perf_file_exists == "False"
    assert list(private.iterdir()) == []


@pytest.mark.jvm
def test_threads_each_get_their_own_error_and_system_out_survives(tmp_path):
    """2 threads x 500 mixed opens give exactly the single-threaded classes and messages."""
    data = Path(CT).read_bytes()
    (tmp_path / "good.dcm").write_bytes(data)
    (tmp_path / "notes.dcm").write_text("not a DICOM file\n" * 20)
    (tmp_path / "cut.dcm").write_bytes(data[:len(data) // 2])
    (tmp_path / "header-cut.dcm").write_bytes(data[:300])
    (tmp_path / "folder.dcm").mkdir()
    names = ["good.dcm", "missing.dcm", "notes.dcm", "cut.dcm", "header-cut.dcm", "folder.dcm"]
    done = _run(f"""
        import threading
        import bridge
        from bridge import IJ
        from bridge.backends.jvm import runtime
        from bridge.errors import BridgeError
        bridge.set_backend("jvm")
        paths = [{str(tmp_path)!r} + "/" + n for n in {names!r}]

        def outcome(path):
            imp = IJ.openImage(path)
            message = IJ.getErrorMessage()
            try:
                bridge.open(path)
                kind = "ok"
            except BridgeError as err:
                kind = (type(err).__name__, err.imagej_message)
            return (imp is None, message, kind)

        expected = {{p: outcome(p) for p in paths}}
        wrong = []
        def work(offset):
            for i in range(500):
                path = paths[(i + offset) % len(paths)]
                got = outcome(path)
                if got != expected[path]:
                    wrong.append((path, got, expected[path]))
        threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(len(wrong), wrong[:3], flush=True)
        print(sorted(set(map(repr, expected.values()))), flush=True)
        runtime.jclass("java.lang.System").out.println("java still prints")
        runtime.jclass("java.lang.System").out.flush()
    """)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3, done.stdout
    wrong, kinds, java = done.stdout.splitlines()
    assert wrong.startswith("0 "), wrong
    assert len(eval(kinds)) == 5     # five different outcomes were compared
    assert java == "java still prints"
