"""The ``bridge`` command: its output, its grammar and its exit status (0 all ok, 1 some input failed, 2 usage).

Most tests run ``bridge.cli.main`` in-process; exit codes as the shell sees
them, SIGPIPE and the absence of tracebacks are checked in a subprocess.
"""

import csv
import io
import os
import shutil
import signal
import subprocess
import sys

import pytest
from pydicom.data import get_testdata_file

import bridge
from bridge import backends, cli

CT = get_testdata_file("CT_small.dcm")
MR = get_testdata_file("MR_small.dcm")


def _bridge(*args, **kw):
    """``bridge ARGS`` in a subprocess, as a shell runs it."""
    return subprocess.run([sys.executable, "-m", "bridge", *args], capture_output=True, text=True,
                          timeout=180, **kw)


# --- output of the ImageJ calls ----------------------------------------------------------------

def test_tag_prints_gettag_strings(each_backend, capsys):
    status = cli.main(["--backend", each_backend, "tag", CT, "0008,1030", "0028,0030", "0009,9999"])
    out = capsys.readouterr().out.splitlines()
    assert out == ["0008,1030: e+1 ", "0028,0030: 0.661468\\0.661468 ", "0009,9999:null"]
    assert status == 1  # one tag absent


def test_module_entry_point_runs_from_the_repo_root():
    """`python -m bridge` works even though the repo's java/ folder shadows `import java`."""
    done = _bridge("--backend", "pydicom", "tag", CT, "0008,0060")
    assert done.stdout == "0008,0060: CT\n", done.stderr


# --- grammar ------------------------------------------------------------------------------------

def test_version_names_bridge_and_the_imagej_each_backend_gives(capsys):
    assert cli.main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"bridge {bridge.__version__}"
    assert "pydicom backend: emulates ImageJ 1.53t" in out
    assert "jvm backend: " in out


def test_backend_option_after_the_subcommand(capsys):
    assert cli.main(["tag", CT, "0008,0060", "--backend", "pydicom"]) == 0
    assert capsys.readouterr().out == "0008,0060: CT\n"
    assert backends.get_backend() == "pydicom"


def test_info_takes_options_after_the_file(capsys):
    assert cli.main(["info", CT, "--backend", "pydicom"]) == 0
    assert "0008,0060  Modality: CT" in capsys.readouterr().out


@pytest.mark.parametrize("args", [
    ["scan", "--quiet", "--tags", "0008,0060", "{folder}"],                       # tags, then the folder
    ["scan", "{folder}", "--tags", "0008,0060", "--quiet"],                       # folder, then the tags
    ["scan", "--quiet", "-t", "0008,0060", "{folder}"],                           # dcmdump-style repeated option
])
def test_scan_tells_tags_from_paths(args, tmp_path, capsys):
    shutil.copy(CT, tmp_path / "ct.dcm")
    argv = [a.replace("{folder}", str(tmp_path)) for a in args]
    assert cli.main(["--backend", "pydicom", *argv]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == [{"path": str(tmp_path / "ct.dcm"), "0008,0060": " CT", "error": ""}]


def test_scan_tag_lists_and_repeats_combine(tmp_path, capsys):
    assert cli.main(["--backend", "pydicom", "scan", "-q", "--tags", "0008,0060", "0028,0010", str(CT),
                     "-t", "0008,1030"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header == 'path,"0008,0060","0028,0010","0008,1030",error'


@pytest.mark.parametrize("args, message", [
    (["scan", "--workers", "-1", "--tags", "0008,0060", "."], "--workers: must be 1 or more"),
    (["scan", "--workers", "two", "--tags", "0008,0060", "."], "--workers: not a whole number"),
    (["scan", "--tags", "Modality", "."], "'Modality' is not a tag"),
    (["scan", "-t", "0008,0060"], "no PATH"),
    (["scan", "."], "no tag"),
    (["tag", CT, "Modality"], "'Modality' is not a tag"),
    (["port", "no-such-script.js"], "no such file: no-such-script.js"),
    (["run", "no-such-macro.ijm"], "no such file: no-such-macro.ijm"),
    (["compare", CT, "--against", "no-such-info.txt"], "no such file: no-such-info.txt"),
    (["compare", CT, MR, "--against", CT], "exactly one"),
    (["compare", "--fields", "nonsense", CT], "'nonsense' is not a field"),
    (["--backend", "jvmm", "tag", CT, "0008,0060"], "invalid choice: 'jvmm'"),
    (["tag"], "required"),
])
def test_usage_errors_are_status_2_with_one_message(args, message, capsys):
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_bad_setting_in_the_environment_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setenv("BRIDGE_BACKEND", "jvmm")
    assert cli.main(["tag", CT, "0008,0060"]) == 2
    assert capsys.readouterr().err == ("bridge: error: environment setting BRIDGE_BACKEND='jvmm' is not accepted: "
                                       "expected one of 'jvm', 'pydicom'\n")


def test_help_is_plain_text_without_rest_markup(capsys):
    parser = cli.build_parser()
    texts = [parser.format_help()]
    texts += [sub.format_help() for sub in cli.subcommand_parsers(parser).values()]
    assert len(texts) == 9
    for text in texts:
        for markup in ("``", ":func:", ":class:", ":mod:", ":meth:", "::"):
            assert markup not in text, text
    assert "exit status" in texts[0]


# --- exit status and messages per failure kind ------------------------------------------------

def _failure_kinds(tmp_path):
    """path -> the words ``bridge info`` must use for it."""
    folder = tmp_path / "a_folder"
    folder.mkdir()
    fifo = tmp_path / "a_fifo"
    os.mkfifo(fifo)
    text = tmp_path / "notes.txt"
    text.write_text("not a DICOM file\n" * 20)
    cut = tmp_path / "cut.dcm"
    cut.write_bytes(open(CT, "rb").read()[:3000])
    return {str(tmp_path / "missing.dcm"): "file not found", str(folder): "a directory",
            str(fifo): "not a regular file", str(text): "not DICOM", str(cut): "cut off"}


def test_info_names_each_failure_kind(each_backend, tmp_path, capsys):
    messages = set()
    for path, words in _failure_kinds(tmp_path).items():
        assert cli.main(["info", path]) == 1, path
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"bridge: error: {path}: ") and words in err, err
        messages.add(err.split(": ", 3)[-1])
    assert len(messages) == 5


def test_scan_is_status_1_when_inputs_failed(each_backend, tmp_path, capsys):
    shutil.copy(CT, tmp_path / "ct.dcm")
    assert cli.main(["scan", "-q", "-t", "0008,0060", str(tmp_path / "ct.dcm")]) == 0
    capsys.readouterr()
    (tmp_path / "notes.txt").write_text("not a DICOM file\n" * 20)
    assert cli.main(["scan", "-q", "-t", "0008,0060", str(tmp_path)]) == 1
    assert "1 of 2 files could not be read" in capsys.readouterr().err
    assert cli.main(["scan", "-q", "-t", "0008,0060", str(tmp_path / "notes.txt"),
                     str(tmp_path / "missing.dcm")]) == 1


def test_scan_csv_has_lf_line_ends(tmp_path, capsysbinary):
    out = tmp_path / "out.csv"
    assert cli.main(["--backend", "pydicom", "scan", "-q", "-t", "0008,0060", CT, MR]) == 0
    assert cli.main(["--backend", "pydicom", "scan", "-q", "-t", "0008,0060", CT, MR, "--csv", str(out)]) == 0
    printed = capsysbinary.readouterr().out
    assert b"\r" not in printed and printed.count(b"\n") == 3
    assert out.read_bytes() == printed


def test_scan_shows_a_progress_bar_on_a_terminal(tmp_path, monkeypatch, capsys):
    pytest.importorskip("tqdm")     # the [progress] extra; the test extra installs it

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["--backend", "pydicom", "scan", "-t", "0008,0060", CT, MR]) == 0
    assert "2/2" in terminal.getvalue()
    terminal.truncate(0)
    assert cli.main(["--backend", "pydicom", "scan", "--quiet", "-t", "0008,0060", CT, MR]) == 0
    assert terminal.getvalue().strip("\0") == ""


def test_missing_file_for_tag_is_one_line_status_1(tmp_path, capsys):
    missing = str(tmp_path / "missing.dcm")
    assert cli.main(["--backend", "pydicom", "tag", missing, "0008,0060"]) == 1
    assert capsys.readouterr().err == f"bridge: error: {missing}: file not found\n"


def test_unreadable_file_is_exit_1_with_the_file_named(tmp_path, capsys):
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(b"not dicom at all")
    assert cli.main(["--backend", "pydicom", "tag", str(bad), "0008,0060"]) == 1
    assert capsys.readouterr().err.startswith(f"bridge: error: {bad}: ")


def test_port_of_a_script_that_is_not_text_names_it(tmp_path, capsys):
    script = tmp_path / "latin1.js"
    script.write_bytes(b'print("\xe9t\xe9");\n')
    assert cli.main(["port", str(script)]) == 1
    assert capsys.readouterr().err == f"bridge: error: {script}: not UTF-8 text (byte 7: invalid continuation byte)\n"


def test_output_errors_are_one_line_and_debug_shows_the_traceback(tmp_path):
    target = str(tmp_path / "no-such-folder" / "out.csv")
    done = _bridge("--backend", "pydicom", "scan", "-q", "-t", "0008,0060", CT, "--csv", target)
    assert done.returncode == 1
    assert done.stderr == f"bridge: error: {target}: No such file or directory\n"
    done = _bridge("--backend", "pydicom", "scan", "-q", "-t", "0008,0060", CT, "--csv", target, "--debug")
    assert done.returncode == 1 and "Traceback (most recent call last)" in done.stderr


def test_usage_error_in_a_shell_is_status_2_without_traceback():
    done = _bridge("scan", "--workers", "-1", "-t", "0008,0060", CT)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == "bridge scan: error: argument --workers: must be 1 or more, not -1"


def test_closed_pipe_ends_quietly(tmp_path):
    """``bridge scan ... | head -1``: the reader goes away early; no traceback, no 'Exception ignored'."""
    shutil.copy(CT, tmp_path / "ct.dcm")
    paths = [str(tmp_path / "ct.dcm")] * 3000     # ~200 KB of rows: more than a pipe holds
    with subprocess.Popen([sys.executable, "-m", "bridge", "--backend", "pydicom", "scan", "-q",
                           "-t", "0008,0060", "--workers", "1", *paths],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout.readline().startswith(b"path,")
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=180) == 141
    assert err == ""


def test_ctrl_c_is_status_130_in_one_line(tmp_path):
    """Ctrl-C on a terminal signals the whole process group: the command and its pool's workers."""
    folder = tmp_path / "series"
    folder.mkdir()
    shutil.copy(CT, folder / "0.dcm")
    for n in range(1, 20000):           # hard links: seconds of scanning left when the signal comes
        os.link(folder / "0.dcm", folder / f"{n}.dcm")
    with subprocess.Popen([sys.executable, "-u", "-m", "bridge", "--backend", "pydicom", "scan", "-q",
                           "-t", "0008,0060", "--workers", "2", str(folder)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True) as proc:
        assert proc.stdout.readline().startswith(b"path,")     # the header: the scan has begun
        proc.stdout.readline()                                  # a row: the workers are at work
        os.killpg(proc.pid, signal.SIGINT)
        proc.stdout.read()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=180) == 130
    assert err == "bridge: interrupted\n"


# --- compare ------------------------------------------------------------------------------------

def test_compare_without_the_jvm_says_so_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr(backends.load("jvm"), "missing",
                        lambda: ["no JVM found (apt-get install -y default-jdk-headless)"])
    assert cli.main(["compare", CT]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("bridge: error: compare needs the jvm backend (real ImageJ), which is not available: "
                            "no JVM found (apt-get install -y default-jdk-headless); see `bridge doctor`\n")


@pytest.mark.jvm
def test_compare_never_calls_an_unreadable_file_identical(tmp_path, capsys):
    missing = str(tmp_path / "missing.dcm")
    assert cli.main(["compare", missing]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{missing}: neither backend could read it (MissingFileError: file not found)",
                   "identical: 0/1 (1 unreadable on both backends)"]


def test_compare_against_an_unreadable_file_names_it(tmp_path, capsys):
    saved = tmp_path / "info.txt"
    saved.write_text("0008,0060  Modality: CT\n")
    missing = str(tmp_path / "missing.dcm")
    assert cli.main(["compare", missing, "--against", str(saved)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"bridge: error: {missing}: file not found\n" and captured.out == ""


def test_compare_reports_a_crashed_backend_in_one_line_not_as_field_reprs(monkeypatch, capsys):
    jvm = backends.load("jvm")

    def fails(*args):
        raise RuntimeError("the JVM could not start")

    monkeypatch.setattr(jvm, "missing", lambda: [])
    monkeypatch.setattr(jvm, "get_info", fails)
    assert cli.main(["compare", CT]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{CT}:", "  crash: jvm: RuntimeError: the JVM could not start", "identical: 0/1"]
