"""Downloads against a loopback server that misbehaves on purpose (tests/httpserver.py).

Only 127.0.0.1 is ever contacted: an autouse guard refuses to resolve any
other host.  Every hostile case is timed; the bounds are the point.
"""

from __future__ import annotations

import os
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from bridge import fetch
from bridge.errors import ConfigError, FetchError, LimitExceededError

from .httpserver import CT_SMALL, PASSWORD, USER, LoopbackServer, self_signed_tls

LOOPBACK = "127.0.0.1"
PROXY_VARIABLES = [name for base in ("http", "https", "all", "no") for name in (f"{base}_proxy", f"{base.upper()}_PROXY")]


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to resolve (and so to reach) a host other than 127.0.0.1; no proxy unless a test sets one."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    real = socket.getaddrinfo

    def guarded(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != LOOPBACK:
            raise AssertionError(f"test tried to resolve {host!r}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    made = self_signed_tls(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("openssl is needed to make a test certificate")
    return made


@pytest.fixture
def https_server(tls, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:  # type: ignore[no-untyped-def]
    context, cert = tls
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client's default context trusts only our certificate
    with LoopbackServer(tls=context) as running:
        yield running


def fetch_bytes(url: str, **limits: float) -> bytes:
    with fetch.download(url, **limits) as path:  # type: ignore[arg-type]
        return Path(path).read_bytes()


def timed_failure(kind: type[Exception], url: str, **limits: float) -> tuple[Exception, float]:
    start = time.monotonic()
    with pytest.raises(kind) as caught:
        fetch_bytes(url, **limits)
    return caught.value, time.monotonic() - start


# --- the good case ------------------------------------------------------------

def test_download_yields_a_private_copy_removed_afterwards(server: LoopbackServer) -> None:
    with fetch.download(server.url("/ct.dcm")) as path:
        assert Path(path).read_bytes() == CT_SMALL.read_bytes()
        assert os.path.basename(path) == "ct.dcm"  # ImageJ titles the local copy as it titles the URL
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    assert not os.path.exists(os.path.dirname(path))


def test_copy_is_removed_when_the_caller_fails(server: LoopbackServer) -> None:
    with pytest.raises(RuntimeError), fetch.download(server.url("/ct.dcm")) as path:
        raise RuntimeError("caller failed")
    assert not os.path.exists(os.path.dirname(path))


def test_local_copy_is_named_like_imagej_titles_the_url(server: LoopbackServer) -> None:
    url = server.url("/named/a b.dcm")
    with fetch.download(url) as path:
        assert os.path.basename(path) == fetch.url_title(url) == "a%20b.dcm"
    assert server.requests == ["/named/a%20b.dcm"]


def test_unusual_characters_are_percent_encoded_on_the_wire(server: LoopbackServer) -> None:
    with fetch.download(server.url("/named/é\r\nX-Injected: 1/ü.dcm")) as path:
        assert os.path.basename(path) == "ü.dcm"
    # CR and LF are dropped by the URL parser (as browsers do), so no header can be injected
    assert server.requests == ["/named/%C3%A9X-Injected:%201/%C3%BC.dcm"]


def test_a_url_without_a_usable_name_gets_a_neutral_one(server: LoopbackServer) -> None:
    with fetch.download(server.url("/named/folder/")) as path:  # the title "" is no file name
        assert os.path.basename(path) == "tmp"


def test_exactly_the_cap_passes_and_one_byte_less_is_refused(server: LoopbackServer) -> None:
    size = CT_SMALL.stat().st_size
    assert len(fetch_bytes(server.url("/ct.dcm"), max_bytes=size)) == size
    with pytest.raises(LimitExceededError, match="Content-Length"):
        fetch_bytes(server.url("/ct.dcm"), max_bytes=size - 1)


# --- what may be fetched --------------------------------------------------------

@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "file:/etc/passwd", "FILE:///etc/passwd", "jar:file:/tmp/x.jar!/a.dcm",
    "ftp://127.0.0.1/x.dcm", "gopher://127.0.0.1/x.dcm", "127.0.0.1/x.dcm", "http:///x.dcm",
    "http://127.0.0.1:99999/x.dcm",
])
def test_refused_urls_name_themselves(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch_bytes(url)
    assert caught.value.url == url
    assert url in str(caught.value)


def test_file_urls_get_a_clear_reason() -> None:
    with pytest.raises(FetchError, match="give the local path instead"):
        fetch.check_url("file:///data/x.dcm")


@pytest.mark.parametrize(("code", "text"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error"),
                                             (403, "HTTP 403 Forbidden")])
def test_http_errors_carry_the_status(server: LoopbackServer, code: int, text: str) -> None:
    url = server.url(f"/status/{code}")
    with pytest.raises(FetchError, match=text) as caught:
        fetch_bytes(url)
    assert caught.value.url == url
    assert caught.value.imagej_message.endswith(url)  # the exact text is judged by real ImageJ below


# --- redirects ------------------------------------------------------------------

@pytest.mark.parametrize("hops", [3, fetch.MAX_REDIRECTS])
def test_redirects_are_followed_up_to_the_limit(server: LoopbackServer, hops: int) -> None:
    assert fetch_bytes(server.url(f"/redirect/{hops}/ct.dcm")) == CT_SMALL.read_bytes()
    assert len(server.requests) == hops + 1


def test_one_redirect_too_many_is_refused(server: LoopbackServer) -> None:
    url = server.url(f"/redirect/{fetch.MAX_REDIRECTS + 1}/ct.dcm")
    with pytest.raises(FetchError, match=f"more than {fetch.MAX_REDIRECTS} redirects") as caught:
        fetch_bytes(url)
    assert caught.value.url == url
    assert len(server.requests) == fetch.MAX_REDIRECTS + 1  # the last Location is never requested


def test_a_redirect_loop_is_named(server: LoopbackServer) -> None:
    with pytest.raises(FetchError, match="redirect loop"):
        fetch_bytes(server.url("/loop"))
    assert server.requests == ["/loop"]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x.dcm", "jar:file:/x.jar!/a.dcm"])
def test_redirects_to_other_schemes_are_refused(server: LoopbackServer, target: str) -> None:
    url = server.url("/to?" + quote(target, safe=""))
    with pytest.raises(FetchError, match="refused") as caught:
        fetch_bytes(url)
    assert caught.value.url == url and target in str(caught.value)


def test_a_broken_redirect_location_is_a_fetch_error(server: LoopbackServer) -> None:
    with pytest.raises(FetchError, match="unusable redirect Location"):
        fetch_bytes(server.url("/to?" + quote("http://[::1/x.dcm", safe="")))


def test_https_download(https_server: LoopbackServer) -> None:
    assert fetch_bytes(https_server.url("/redirect/1/ct.dcm")) == CT_SMALL.read_bytes()


def test_https_to_http_redirect_is_refused(https_server: LoopbackServer, server: LoopbackServer) -> None:
    url = https_server.url("/to?" + quote(server.url("/ct.dcm"), safe=""))
    with pytest.raises(FetchError, match="from https down to http"):
        fetch_bytes(url)
    assert server.requests == []


def test_http_to_https_redirect_is_followed(https_server: LoopbackServer, server: LoopbackServer) -> None:
    url = server.url("/to?" + quote(https_server.url("/ct.dcm"), safe=""))
    assert fetch_bytes(url, redirects="any-host") == CT_SMALL.read_bytes()     # another port: allowed here


def test_untrusted_certificate_is_refused(tls, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    empty = Path(tls[1]).with_name("empty.pem")
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    with LoopbackServer(tls=tls[0]) as running, pytest.raises(FetchError, match="TLS certificate refused"):
        fetch_bytes(running.url("/ct.dcm"))


@pytest.mark.parametrize(("source", "target", "rule", "allowed"), [
    ("https://a.example/x.dcm", "http://a.example/x.dcm", "any-host", False),
    ("https://a.example/x.dcm", "https://b.example/x.dcm", "any-host", True),
    ("https://a.example/x.dcm", "https://b.example/x.dcm", "same-host", False),
    ("https://a.example/x.dcm", "https://A.example:443/y.dcm", "same-host", True),
    ("https://a.example/x.dcm", "https://a.example:8443/x.dcm", "same-host", False),
    ("http://a.example/x.dcm", "https://a.example/x.dcm", "same-host", True),      # the upgrade to https
    ("http://a.example:8080/x.dcm", "https://a.example:8443/x.dcm", "same-host", False),
    ("http://a.example/x.dcm", "http://a.example/y.dcm", "none", False),
    ("http://a.example/x.dcm", "file:///x.dcm", "any-host", False),
])
def test_check_redirect(source: str, target: str, rule: str, allowed: bool) -> None:
    if allowed:
        fetch.check_redirect(source, target, rule)
    else:
        with pytest.raises(FetchError) as caught:
            fetch.check_redirect(source, target, rule)
        assert caught.value.url == source and target in str(caught.value)


def test_redirects_stay_on_the_host_and_port_unless_allowed(server: LoopbackServer,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackServer() as other:
        url = server.url("/to?" + quote(other.url("/ct.dcm"), safe=""))
        with pytest.raises(FetchError, match="another host or port.*redirects='any-host'") as caught:
            fetch_bytes(url)
        assert caught.value.url == url and other.requests == []
        assert fetch_bytes(url, redirects="any-host") == CT_SMALL.read_bytes()
        monkeypatch.setenv("BRIDGE_REDIRECTS", "any-host")
        assert fetch_bytes(url) == CT_SMALL.read_bytes()
        assert len(other.requests) == 2


def test_a_redirect_to_another_host_name_is_refused_before_resolving_it(server: LoopbackServer) -> None:
    target = f"http://localhost:{server.port}/ct.dcm"        # the guard fails the test if it is resolved
    with pytest.raises(FetchError, match="another host"):
        fetch_bytes(server.url("/to?" + quote(target, safe="")))


def test_redirects_can_be_turned_off(server: LoopbackServer) -> None:
    with pytest.raises(FetchError, match="not followed"):
        fetch_bytes(server.url("/redirect/1/ct.dcm"), redirects="none")
    with pytest.raises(ConfigError, match="redirects='elsewhere'"):
        fetch_bytes(server.url("/ct.dcm"), redirects="elsewhere")


# --- credentials in the URL -------------------------------------------------------

def with_credentials(url: str, password: str = PASSWORD) -> str:
    return url.replace("://", f"://{USER}:{quote(password, safe='')}@", 1)


def test_credentials_are_sent_as_basic_auth(server: LoopbackServer) -> None:
    assert fetch_bytes(with_credentials(server.url("/auth/ct.dcm"))) == CT_SMALL.read_bytes()
    assert server.headers[0]["Authorization"].startswith("Basic ")
    assert server.requests == ["/auth/ct.dcm"]


@pytest.mark.parametrize("route", ["/auth/ct.dcm", "/stall", "/status/500"])
def test_credentials_are_never_echoed(server: LoopbackServer, route: str) -> None:
    url = with_credentials(server.url(route), "wrong secret")
    with pytest.raises(FetchError) as caught:
        fetch_bytes(url, timeout=2, idle_timeout=0.3)
    error = caught.value
    shown = " ".join(str(part) for part in (error, error.url, error.path, error.imagej_message, repr(error)))
    assert "secret" not in shown and USER + ":" not in shown
    assert error.url == server.url(route)


def test_credentials_do_not_follow_a_redirect_to_another_host(server: LoopbackServer) -> None:
    with LoopbackServer() as other:
        url = with_credentials(server.url("/to?" + quote(other.url("/auth/ct.dcm"), safe="")))
        with pytest.raises(FetchError, match="HTTP 401"):
            fetch_bytes(url, redirects="any-host")
        assert "Authorization" in server.headers[0] and "Authorization" not in other.headers[0]


def test_credentials_follow_a_redirect_on_the_same_host(server: LoopbackServer) -> None:
    assert fetch_bytes(with_credentials(server.url("/redirect/2/auth/ct.dcm"))) == CT_SMALL.read_bytes()


# --- proxies, as urllib takes them from the environment ------------------------------

def test_http_proxy_from_the_environment(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("http_proxy", f"http://proxy-user:proxy-pw@{LOOPBACK}:{server.port}")
    url = "http://dicom.example/ct.dcm"                      # never resolved here: the proxy is asked for it
    assert fetch_bytes(url) == CT_SMALL.read_bytes()
    assert server.requests == [url]
    assert server.headers[0]["Proxy-Authorization"].startswith("Basic ")


def test_https_goes_through_a_connect_tunnel(https_server: LoopbackServer, server: LoopbackServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", f"http://proxy-user:proxy-pw@{LOOPBACK}:{server.port}")
    assert fetch_bytes(https_server.url("/ct.dcm")) == CT_SMALL.read_bytes()    # the certificate is checked too
    assert server.requests == [f"CONNECT {LOOPBACK}:{https_server.port}"]
    assert server.headers[0]["Proxy-Authorization"].startswith("Basic ")
    assert https_server.requests == ["/ct.dcm"]


def test_no_proxy_is_honoured(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://{LOOPBACK}:9")   # discard port: nothing would answer there
    monkeypatch.setenv("NO_PROXY", f"example.org, {LOOPBACK}")
    assert fetch_bytes(server.url("/ct.dcm")) == CT_SMALL.read_bytes()


def test_an_unreachable_proxy_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    probe = socket.socket()
    probe.bind((LOOPBACK, 0))
    port = probe.getsockname()[1]
    probe.close()
    monkeypatch.setenv("http_proxy", f"http://{LOOPBACK}:{port}")
    with pytest.raises(FetchError, match=f"through the proxy {LOOPBACK}:{port}") as caught:
        fetch_bytes("http://dicom.example/x.dcm", timeout=2)
    assert caught.value.url == "http://dicom.example/x.dcm"


def test_bad_limits_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="url_timeout=0"):
        fetch_bytes("http://127.0.0.1/x.dcm", timeout=0)
    with pytest.raises(ConfigError, match="max_download_bytes=-1"):
        fetch_bytes("http://127.0.0.1/x.dcm", max_bytes=-1)


# --- time limits ---------------------------------------------------------------

def test_stalled_body_fails_at_the_idle_timeout(server: LoopbackServer) -> None:
    error, seconds = timed_failure(FetchError, server.url("/stall"), timeout=4, idle_timeout=0.5)
    assert "no data for 0.5 s" in str(error)
    assert 0.4 < seconds < 1.5


def test_dripping_body_fails_at_the_total_timeout(server: LoopbackServer) -> None:
    error, seconds = timed_failure(FetchError, server.url("/drip"), timeout=1.5, idle_timeout=0.5)
    assert "not finished within 1.5 s" in str(error)
    assert 1.4 < seconds < 2.5


def test_dripping_headers_fail_at_the_total_timeout(server: LoopbackServer) -> None:
    error, seconds = timed_failure(FetchError, server.url("/slow-headers"), timeout=1, idle_timeout=0.5)
    assert "not finished within 1 s" in str(error)
    assert seconds < 2


def test_total_timeout_comes_from_the_environment(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIDGE_URL_TIMEOUT", "1")
    error, seconds = timed_failure(FetchError, server.url("/drip"))
    assert "not finished within 1 s" in str(error)
    assert seconds < 2


def test_connect_timeout() -> None:
    listener = socket.socket()
    listener.bind((LOOPBACK, 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname())  # the backlog is now full: SYNs go unanswered
    try:
        url = f"http://{LOOPBACK}:{listener.getsockname()[1]}/x.dcm"
        error, seconds = timed_failure(FetchError, url, timeout=4, connect_timeout=0.5)
        assert "could not connect within 0.5 s" in str(error)
        assert seconds < 1.5
    finally:
        filler.close()
        listener.close()


@pytest.mark.parametrize(("scheme", "reason"), [("https", "could not connect within 0.5 s"),  # handshake
                                                 ("http", "no data for 0.5 s")])           # response
def test_a_listener_that_never_answers(scheme: str, reason: str) -> None:
    with socket.socket() as listener:  # the kernel completes TCP connections that nobody accepts
        listener.bind((LOOPBACK, 0))
        listener.listen(4)
        url = f"{scheme}://{LOOPBACK}:{listener.getsockname()[1]}/x.dcm"
        error, seconds = timed_failure(FetchError, url, timeout=4, connect_timeout=0.5, idle_timeout=0.5)
    assert reason in str(error)
    assert seconds < 1.5


def test_connection_refused_is_a_fetch_error() -> None:
    probe = socket.socket()
    probe.bind((LOOPBACK, 0))
    port = probe.getsockname()[1]
    probe.close()  # nobody listens there now
    with pytest.raises(FetchError, match="ConnectionRefused"):
        fetch_bytes(f"http://{LOOPBACK}:{port}/x.dcm", timeout=2)


def test_stalled_name_resolution_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_resolver(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(3)
        raise socket.gaierror("never answers in time")

    monkeypatch.setattr(socket, "getaddrinfo", slow_resolver)
    error, seconds = timed_failure(FetchError, "http://slow-dns.invalid/x.dcm", timeout=0.5)
    assert "within 0.5 s" in str(error)  # the connect budget and the deadline end together
    assert seconds < 1


# --- size limits ----------------------------------------------------------------

@pytest.mark.parametrize("route", ["/endless", "/endless-chunked"])
def test_endless_body_stops_at_the_cap(server: LoopbackServer, route: str) -> None:
    error, seconds = timed_failure(LimitExceededError, server.url(route), max_bytes=300_000, timeout=4)
    assert "more than the limit of 300000 bytes" in str(error)
    assert error.url == server.url(route)
    assert seconds < 1


def test_huge_content_length_is_refused_before_reading(server: LoopbackServer) -> None:
    error, seconds = timed_failure(LimitExceededError, server.url("/huge-length"), timeout=4)
    assert "Content-Length 1000000000000" in str(error)
    assert seconds < 1  # the server sends no body: reading would have waited for the timeout


def test_absurd_content_length_is_a_fetch_error(server: LoopbackServer) -> None:
    error, seconds = timed_failure(FetchError, server.url("/absurd-length"), timeout=4)
    assert "absurd Content-Length of 5000 digits" in str(error)
    assert seconds < 1


def test_size_cap_comes_from_the_environment(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIDGE_MAX_DOWNLOAD_BYTES", "1000")
    with pytest.raises(LimitExceededError, match="over the download limit of 1000 bytes"):
        fetch_bytes(server.url("/ct.dcm"))


def test_body_shorter_than_its_length_is_an_error(server: LoopbackServer) -> None:
    with pytest.raises(FetchError, match="closed after 10 of 1000 bytes"):
        fetch_bytes(server.url("/short"), timeout=4)


# --- ImageJ's view of URLs --------------------------------------------------------

@pytest.mark.parametrize(("url", "title"), [
    ("http://h/a/b.dcm", "b.dcm"),
    ("http://h/a b.dcm", "a%20b.dcm"),
    ("http://h/x.dcm?series=1", "x.dcm?series=1"),
    ("http://h/dir/", ""),
    ("file:///data/4950", "4950"),
])
def test_url_title(url: str, title: str) -> None:
    assert fetch.url_title(url) == title


@pytest.mark.parametrize(("path", "expected"), [
    ("http://h/x.dcm", True), ("file:///x.dcm", True), ("file:/x.dcm", True), ("s3://b/k", True),
    ("/data/x.dcm", False), ("C:/data/x.dcm", False), ("x.dcm", False), ("file:x.dcm", False),
])
def test_is_url(path: str, expected: bool) -> None:
    assert fetch.is_url(path) is expected


@pytest.mark.jvm
@pytest.mark.parametrize("route", ["/named/a b.dcm", "/named/x.IMA", "/redirect/2/ct.dcm", "/named/noext",
                                   "/named/x.dcm?series=1", "/status/404/a b.dcm", "/status/410/x.dcm",
                                   "/redirect/1/status/503/y.dcm"])
def test_real_imagej_agrees_on_title_and_status_message(server: LoopbackServer, route: str) -> None:
    """ImageJ's own URL opener, pointed at the loopback server, judges our view of URLs."""
    from bridge.backends.jvm import quiet_stdout, runtime

    IJ = runtime.jclass("ij.IJ")
    url = server.url(route)
    with quiet_stdout():
        imp = IJ.openImage(url)
        message = IJ.getErrorMessage()
    if not fetch.routes_to_dicom(url):
        assert imp is None and message is None  # a DICOM body, but not the DICOM route: null, silently
    elif imp is not None:
        assert str(imp.getTitle()) == fetch.url_title(url)
        assert fetch_bytes(url) == CT_SMALL.read_bytes()
    else:
        with pytest.raises(FetchError) as caught:
            fetch_bytes(url)
        assert caught.value.imagej_message == str(message)


@pytest.mark.parametrize(("url", "expected"), [
    ("http://h/x.dcm", True), ("http://h/X.DCM", True), ("http://h/x.ima", True), ("http://h/x.IMA", True),
    ("http://h/x", False), ("http://h/x.dcm?series=1", False), ("http://h/x.dcm/", False),
])
def test_routes_to_dicom(url: str, expected: bool) -> None:
    assert fetch.routes_to_dicom(url) is expected
