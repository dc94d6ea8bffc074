"""A loopback-only HTTP(S) test server whose routes misbehave on purpose.

It binds 127.0.0.1 on an ephemeral port and serves from a thread.  Routes
that stall or never end wait on the server's ``stopping`` event, so
:meth:`LoopbackServer.stop` ends them at once instead of leaving threads
behind.  Routes:

``/ct.dcm``            pydicom's CT_small.dcm, with Content-Length
``/named/<name>``      the same under any name (``%20`` and all)
``/status/<code>[/<name>]`` that HTTP status (404, 500, ...)
``/redirect/<n>/<name>`` n >= 1 relative redirects, the last to ``/<name>``
``/loop``              redirects to itself
``/to?<url>``          redirects to the (percent-encoded) URL given
``/stall``             headers, then silence
``/drip``              one byte every 0.2 s, no length
``/endless``           64 KiB blocks for ever, no length (close-delimited)
``/endless-chunked``   the same with chunked transfer coding
``/huge-length``       Content-Length of 10**12, then silence
``/absurd-length``     a Content-Length of 5000 digits, then silence
``/short``             Content-Length 1000, 10 bytes, then close
``/slow-headers``      the status line, then one header byte every 0.2 s
``/auth/<name>``       CT_small.dcm to Basic credentials ``user:pa:ss wörd``, else 401
``/text/<name>``       a short text body (not DICOM) under any name

A request line with an absolute URL (``GET http://host/path``, as sent to a
proxy) is served from its path, so the server doubles as an http proxy;
``requests`` then records the absolute URL.  ``CONNECT 127.0.0.1:<port>``
opens a tunnel to that loopback port (an https proxy); other hosts get 403.  ``headers`` keeps every
request's headers.
"""

from __future__ import annotations

import base64
import http.server
import selectors
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydicom.data

DRIP_SECONDS = 0.2
USER, PASSWORD = "user", "pa:ss wörd"
CT_SMALL = Path(pydicom.data.get_testdata_file("CT_small.dcm"))


class LoopbackServer:
    """Start with ``with LoopbackServer() as server:``; ``server.url("/ct.dcm")`` names a route."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.scheme = "https" if tls else "http"
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        if tls:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"loopback-{self.scheme}", daemon=True)

    @property
    def headers(self) -> list[dict[str, str]]:
        """The headers of each request so far, in order."""
        return self._httpd.headers

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def requests(self) -> list[str]:
        """Paths requested so far, in order."""
        return self._httpd.requests

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=2)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def self_signed_tls(folder: Path) -> tuple[ssl.SSLContext, Path] | None:
    """A server context for 127.0.0.1 and the certificate a client must trust; None without openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=30)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.stopping = threading.Event()
        self.requests: list[str] = []
        self.headers: list[dict[str, str]] = []


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 -- keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 -- the name http.server calls
        self.server.requests.append(self.path)
        self.server.headers.append(dict(self.headers.items()))
        asked = self.path
        if asked.startswith(("http://", "https://")):   # a proxy's request line
            parts = urlsplit(asked)
            asked = parts.path + (f"?{parts.query}" if parts.query else "")
        path, _, query = asked.partition("?")
        route, _, rest = path.lstrip("/").partition("/")
        handler = getattr(self, "route_" + route.replace("-", "_").replace(".", "_"), None)
        try:
            if handler is None:
                self.send_error(404)
            else:
                handler(rest, query)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the client gave up, as it should

    def do_CONNECT(self) -> None:  # noqa: N802 -- the name http.server calls
        self.server.requests.append(f"CONNECT {self.path}")
        self.server.headers.append(dict(self.headers.items()))
        host, _, port = self.path.rpartition(":")
        if host != "127.0.0.1" or not port.isdigit():
            self.send_error(403)
            return
        with socket.create_connection((host, int(port)), timeout=5) as upstream:
            self.send_response(200, "Connection established")
            self.end_headers()
            self._relay(self.connection, upstream)

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        """Copy bytes both ways until one side closes or the server stops."""
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ, upstream)
            selector.register(upstream, selectors.EVENT_READ, client)
            while not self.server.stopping.is_set():
                for key, _ in selector.select(timeout=0.05):
                    data = key.fileobj.recv(1 << 16)  # type: ignore[union-attr]
                    if not data:
                        return
                    key.data.sendall(data)

    # --- well-behaved ---
    def route_ct_dcm(self, rest: str, query: str) -> None:
        body = CT_SMALL.read_bytes()
        self._headers(200, {"Content-Type": "application/dicom", "Content-Length": str(len(body))})
        self.wfile.write(body)

    def route_named(self, rest: str, query: str) -> None:
        self.route_ct_dcm(rest, query)

    def route_auth(self, rest: str, query: str) -> None:
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self._headers(401, {"WWW-Authenticate": 'Basic realm="test"', "Content-Length": "0"})
            return
        self.route_ct_dcm(rest, query)

    def route_text(self, rest: str, query: str) -> None:
        body = b"this is not DICOM\n" * 20
        self._headers(200, {"Content-Type": "text/plain", "Content-Length": str(len(body))})
        self.wfile.write(body)

    def route_status(self, rest: str, query: str) -> None:
        self.send_error(int(rest.partition("/")[0]))

    # --- redirects ---
    def route_redirect(self, rest: str, query: str) -> None:
        count, _, name = rest.partition("/")
        n = int(count)
        self._redirect(f"/redirect/{n - 1}/{name}" if n > 1 else f"/{name}")

    def route_loop(self, rest: str, query: str) -> None:
        self._redirect("/loop")

    def route_to(self, rest: str, query: str) -> None:
        self._redirect(unquote(query))

    # --- hostile bodies ---
    def route_stall(self, rest: str, query: str) -> None:
        self._headers(200, {"Content-Length": "1000"})
        self.server.stopping.wait()

    def route_drip(self, rest: str, query: str) -> None:
        self._headers(200, {})
        while not self.server.stopping.wait(DRIP_SECONDS):
            self.wfile.write(b"x")

    def route_endless(self, rest: str, query: str) -> None:
        self._headers(200, {})
        block = bytes(1 << 16)
        while not self.server.stopping.is_set():
            self.wfile.write(block)

    def route_endless_chunked(self, rest: str, query: str) -> None:
        self.protocol_version = "HTTP/1.1"
        self._headers(200, {"Transfer-Encoding": "chunked"})
        chunk = b"%x\r\n%s\r\n" % (1 << 16, bytes(1 << 16))
        while not self.server.stopping.is_set():
            self.wfile.write(chunk)

    def route_huge_length(self, rest: str, query: str) -> None:
        self._headers(200, {"Content-Length": str(10**12)})
        self.server.stopping.wait()

    def route_absurd_length(self, rest: str, query: str) -> None:
        self._headers(200, {"Content-Length": "9" * 5000})
        self.server.stopping.wait()

    def route_short(self, rest: str, query: str) -> None:
        self._headers(200, {"Content-Length": "1000"})
        self.wfile.write(bytes(10))

    def route_slow_headers(self, rest: str, query: str) -> None:
        self.wfile.write(b"HTTP/1.0 200 OK\r\n")
        while not self.server.stopping.wait(DRIP_SECONDS):
            self.wfile.write(b"X")

    # --- helpers ---
    def _headers(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _redirect(self, location: str) -> None:
        self._headers(302, {"Location": location, "Content-Length": "0"})
