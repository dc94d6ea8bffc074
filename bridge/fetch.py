"""Downloads for URL inputs: http and https only, bounded in time and in size.

ImageJ's own URL opener (``java.net.URL``) goes wherever a URL points
(``file:``, ``jar:``, ``ftp:``), waits for ever on a stalled body and reads
without a size limit.  So ``bridge`` never hands a URL to ImageJ: the facade
downloads it with :func:`download` into a private temporary file, opens that
file, and titles the image with :func:`url_title` as ImageJ titles a URL.

Every refusal is a typed error naming the URL that was asked for (without
any ``user:password@``, which is never shown: not in messages, titles or
``file_info["url"]``):

* :class:`FetchError` for a scheme other than http/https (checked again on
  every redirect; ``file:`` URLs are refused, with the local path to give
  instead), more than :data:`MAX_REDIRECTS` redirects or a loop, a redirect
  the ``redirects`` rule does not allow, a redirect from https down to
  http, an HTTP status of 400 or more, a body cut short, and the three
  timeouts: connecting, no data for a while (idle), and the whole download
  (``url_timeout``, ``BRIDGE_URL_TIMEOUT``);
* :class:`LimitExceededError` for a body over ``max_download_bytes``
  (``BRIDGE_MAX_DOWNLOAD_BYTES``): refused on its Content-Length before
  reading, and counted while streaming when the length is not declared.

Redirects (setting ``redirects``, ``BRIDGE_REDIRECTS``, or the keyword of
:func:`download`): ``"same-host"`` (the default) follows them only to the
same host and port, or from http to https on the same host's default
ports; ``"any-host"`` to any http(s) host; ``"none"`` to nowhere.

Credentials in the URL (``https://user:password@host/x.dcm``) are sent as
HTTP Basic authentication, and only to the URL's own scheme, host and port.
Proxies come from the environment as urllib takes them
(``http_proxy``, ``https_proxy``, ``no_proxy``, upper case too; see
:func:`urllib.request.getproxies`), a proxy's own credentials as
Proxy-Authorization; https goes through a CONNECT tunnel.

Only the standard library is used.  Content-Encoding is never decoded (we
ask for ``identity``), so a compressed "bomb" stays the size it was sent.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http.client
import os
import re
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit

from .config import check, settings
from .errors import DicomReadError, FetchError, LimitExceededError, NotDicomError
from .safety import copy_limited, private_tempfile

if TYPE_CHECKING:
    from .model import ImagePlus

__all__ = ["download", "url_title", "is_url", "routes_to_dicom", "check_url", "check_redirect", "public_url",
           "MAX_REDIRECTS", "CONNECT_TIMEOUT", "IDLE_TIMEOUT"]

SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 10.0   # seconds to resolve, connect and shake hands (at most the total)
IDLE_TIMEOUT = 30.0      # seconds without a byte (at most the total)
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_USER_AGENT = "bridge (Python http.client)"
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: ``scheme://user:password@``: everything up to the last ``@`` of the authority is credentials
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


# --- URLs as ImageJ sees them -------------------------------------------------

def is_url(path: str | os.PathLike[str]) -> bool:
    """ImageJ's test in ``Opener.openImage``: the path contains ``://`` or ``file:/``."""
    text = os.fspath(path)
    return "://" in text or "file:/" in text


def url_title(url: str) -> str:
    """ImageJ's title for an image opened from ``url``: everything after the last ``/``.

    ImageJ first replaces spaces by ``%20`` and keeps any query string, so
    ``http://h/a b.dcm`` is titled ``a%20b.dcm``.
    """
    text = _as_sent(url)
    cut = text.rfind("/")
    if cut == -1:
        cut = text.rfind("\\")
    return text[cut + 1:]


def routes_to_dicom(url: str) -> bool:
    """Whether ImageJ hands this URL to its DICOM reader: it ends in ``.dcm`` or ``.ima``, any case.

    Other URLs go through content-type sniffing and plugins; a DICOM file
    behind such a URL gives ``null`` without a message (``Opener.openURL``).
    """
    return _as_sent(url).lower().endswith((".dcm", ".ima"))


def _as_sent(url: str) -> str:
    """The URL ImageJ requests: spaces become ``%20`` (``Opener.openURL``)."""
    return url.replace(" ", "%20")


def public_url(url: str) -> str:
    """``url`` without ``user:password@``: the form every message, title and file info shows."""
    return _USERINFO.sub(r"\1", url)


def _basic_auth(url: str) -> str | None:
    """The ``Authorization`` value for the credentials in ``url`` (HTTP Basic), or None."""
    try:
        parts = urlsplit(url)
        user, password = parts.username, parts.password
    except ValueError:
        return None
    if user is None:
        return None
    pair = f"{unquote(user)}:{unquote(password or '')}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default one if none is written): where credentials may go."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


# --- which URLs may be fetched ------------------------------------------------

def check_url(url: str) -> None:
    """Raise :class:`FetchError` unless ``url`` is an http(s) URL with a host."""
    reason = _refusal(url)
    if reason:
        raise FetchError(reason, url=public_url(url))


def check_redirect(source: str, target: str, redirects: str | None = None) -> None:
    """Raise :class:`FetchError` (naming ``source``) unless a redirect to ``target`` may be followed.

    ``redirects`` is the rule (``"same-host"``, ``"any-host"``, ``"none"``;
    default: the ``redirects`` setting).
    """
    rule = settings().redirects if redirects is None else check("redirects", redirects)
    reason = _refusal(target, came_from=source, redirects=rule)
    if reason:
        raise FetchError(reason, url=public_url(source))


def _refusal(url: str, came_from: str | None = None, redirects: str = "any-host") -> str | None:
    """Why ``url`` is not fetched (after a redirect from ``came_from`` under the rule ``redirects``), or None."""
    shown = public_url(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError as exc:
        return f"not a valid URL ({exc}): {shown}"
    scheme = parts.scheme.lower()
    prefix = f"redirect to {shown} refused: " if came_from else ""
    if scheme == "file":
        local = unquote(parts.path) if not parts.netloc or parts.netloc == "localhost" else shown
        return prefix + f"file: URLs are not fetched; give the local path instead ({local})"
    if scheme not in SCHEMES:
        return prefix + f"only http and https URLs are fetched, not {scheme or 'scheme-less'} ones"
    if not parts.hostname:
        return prefix + "the URL names no host"
    if came_from is None:
        return None
    if scheme == "http" and urlsplit(came_from).scheme.lower() == "https":
        return prefix + "it would go from https down to http"
    if redirects == "none":
        return prefix + "redirects are not followed (redirects='none'; allow them with redirects='same-host')"
    if redirects == "same-host" and not _same_host(came_from, url):
        return prefix + ("it goes to another host or port (allow it with redirects='any-host' "
                         "or BRIDGE_REDIRECTS=any-host)")
    return None


def _same_host(source: str, target: str) -> bool:
    """The same host and port, or http's default port moving up to https's on the same host."""
    (from_scheme, from_host, from_port), (to_scheme, to_host, to_port) = _origin(source), _origin(target)
    if from_host != to_host:
        return False
    upgrade = (from_scheme, from_port, to_scheme, to_port) == ("http", 80, "https", 443)
    return from_port == to_port or upgrade


# --- the download ------------------------------------------------------------

@contextlib.contextmanager
def download(url: str, *, timeout: float | None = None, max_bytes: int | str | None = None,
             connect_timeout: float = CONNECT_TIMEOUT, idle_timeout: float = IDLE_TIMEOUT,
             redirects: str | None = None) -> Iterator[str]:
    """Fetch ``url`` into a private temporary file; yield its path; delete it afterwards.

    ``timeout`` is the total time in seconds (default ``settings().url_timeout``),
    ``max_bytes`` the size cap (default ``settings().max_download_bytes``),
    ``redirects`` where redirects may lead (default ``settings().redirects``);
    a value none of them can take is a :class:`~bridge.errors.ConfigError`.
    The file is named like the URL's last component when that is a plain
    file name, so ImageJ gives the local file the title it gives the URL.
    """
    config = settings()
    total = config.url_timeout if timeout is None else check("url_timeout", timeout)
    cap = config.max_download_bytes if max_bytes is None else check("max_download_bytes", max_bytes)
    rule = config.redirects if redirects is None else check("redirects", redirects)
    check_url(url)
    job = _Download(url, total=total, cap=cap, connect=min(connect_timeout, total),
                    idle=min(idle_timeout, total), redirects=rule)
    with private_tempfile(name=_local_name(url)) as path:
        with open(path, "wb") as out:
            job.into(out)
        yield path


def _local_name(url: str) -> str | None:
    """The URL's title if it can serve as a file name, else None (a neutral name)."""
    name = url_title(url)
    if name in ("", ".", "..") or "\0" in name or "\\" in name:
        return None
    try:
        return name if len(os.fsencode(name)) <= 255 else None
    except UnicodeError:
        return None


class _Download:
    """One download: the redirects, the status, the limits, and errors that name the URL."""

    def __init__(self, url: str, *, total: float, cap: int, connect: float, idle: float,
                 redirects: str = "same-host") -> None:
        self.url = public_url(url)          # what every error names: never the credentials
        self.auth = _basic_auth(url)
        self.origin = _origin(url)
        self.total, self.cap, self.connect, self.idle = total, cap, connect, idle
        self.redirects = redirects
        self.phase = "connect"  # or "read": which timeout a TimeoutError means
        self.proxy: str | None = None  # host:port of the proxy of the last request, for messages

    def into(self, out: BinaryIO) -> None:
        with _Deadline(self.total) as deadline:
            try:
                conn, response, final_url = self._final_response(deadline)
                try:
                    self._check_status(response, final_url)
                    copied = self._copy_body(response, out)
                finally:
                    _close(conn, response)
            except (OSError, http.client.HTTPException) as exc:
                raise FetchError(self._explain(exc, deadline), url=self.url) from None
            if deadline.expired:  # the timer cut the connection, so the body may look complete
                raise FetchError(self._too_slow(), url=self.url)
        declared = _content_length(response)
        if declared is not None and not response.chunked and copied < declared:
            # http.client's read(n) takes an early close for the end; the declared length knows better
            raise FetchError(f"the connection closed after {copied} of {declared} bytes", url=self.url)

    def _final_response(self, deadline: _Deadline) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse, str]:
        """GET the URL, following up to MAX_REDIRECTS redirects, each one checked; also the URL that answered."""
        current = _as_sent(self.url)
        seen = {current}
        for _ in range(MAX_REDIRECTS + 1):
            conn, response = self._get(current, deadline)
            location = response.getheader("Location")
            if response.status not in _REDIRECT_STATUSES or location is None:
                return conn, response, current
            _close(conn, response)
            try:
                target = _as_sent(public_url(urljoin(current, location.strip())))
            except ValueError:  # e.g. a broken IPv6 literal
                raise FetchError(f"unusable redirect Location {public_url(location)[:200]!r}",
                                 url=self.url) from None
            reason = _refusal(target, came_from=current, redirects=self.redirects)
            if reason is None and target in seen:
                reason = f"redirect loop: {target} again"
            if reason:
                raise FetchError(reason, url=self.url)
            seen.add(target)
            current = target
        raise FetchError(f"more than {MAX_REDIRECTS} redirects (last: {current})", url=self.url)

    def _get(self, url: str, deadline: _Deadline) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        """One GET of ``url`` (no credentials in it), directly or through the environment's proxy."""
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), parts.hostname or ""
        headers = {"Accept-Encoding": "identity", "User-Agent": _USER_AGENT}
        if self.auth and _origin(url) == self.origin:
            headers["Authorization"] = self.auth
        target = _request_target(parts)
        proxy = _proxy_for(scheme, parts.netloc)
        self.proxy = None if proxy is None else proxy.netloc.rpartition("@")[2]
        self.phase = "connect"
        if proxy is None:
            conn = _connection(scheme, host, parts.port, self.connect, deadline)
        else:
            conn = _connection(scheme, proxy.hostname or "", proxy.port, self.connect, deadline)
            proxy_auth = {"Proxy-Authorization": value} if (value := _basic_auth(proxy.geturl())) else {}
            if scheme == "https":
                conn.set_tunnel(host, parts.port, headers=proxy_auth)
            else:
                target = f"http://{parts.netloc}{target}"   # an http proxy is sent the absolute URL
                headers.update(proxy_auth)
        try:
            conn.connect()
            conn.sock.settimeout(self.idle)
            self.phase = "read"
            conn.request("GET", target, headers=headers)
            return conn, conn.getresponse()
        except BaseException:
            conn.close()
            raise

    def _check_status(self, response: http.client.HTTPResponse, final_url: str) -> None:
        status, phrase = response.status, response.reason[:100]
        if status >= 400:
            raise FetchError(f"HTTP {status} {phrase}".rstrip(), url=self.url,
                             imagej_message=_imagej_status_message(status, public_url(final_url)))
        if not 200 <= status < 300:
            raise FetchError(f"unexpected HTTP status {status} {phrase}".rstrip(), url=self.url)
        declared = _content_length(response)
        if declared is not None and declared > self.cap:
            raise LimitExceededError(f"Content-Length {declared} is over the download limit of {self.cap} bytes"
                                     " (max_download_bytes, BRIDGE_MAX_DOWNLOAD_BYTES)", url=self.url)

    def _copy_body(self, response: http.client.HTTPResponse, out: BinaryIO) -> int:
        try:
            return copy_limited(response, out, self.cap, self.url)
        except LimitExceededError as exc:
            raise LimitExceededError(f"{exc.reason} (max_download_bytes, BRIDGE_MAX_DOWNLOAD_BYTES)",
                                     url=self.url) from None

    def _too_slow(self) -> str:
        return f"not finished within {self.total:g} s (url_timeout, BRIDGE_URL_TIMEOUT)"

    def _explain(self, exc: BaseException, deadline: _Deadline) -> str:
        reason = self._reason(exc, deadline)
        return reason if self.proxy is None else f"{reason} (through the proxy {self.proxy})"

    def _reason(self, exc: BaseException, deadline: _Deadline) -> str:
        if deadline.expired:
            return self._too_slow()
        if isinstance(exc, TimeoutError):
            if self.phase == "connect":
                return f"could not connect within {self.connect:g} s"
            return f"no data for {self.idle:g} s"
        if isinstance(exc, http.client.IncompleteRead):
            return "the connection closed before the end of the body"
        if isinstance(exc, ssl.SSLCertVerificationError):
            return f"TLS certificate refused: {exc.verify_message}"
        return f"{type(exc).__name__}: {exc}"


def _imagej_status_message(status: int, url: str) -> str:
    """What ImageJ's DICOM reader shows for a .dcm URL answering ``status`` (Java's HttpURLConnection)."""
    if status in (404, 410):
        return f"java.io.FileNotFoundException\n \n{url}"
    return f"java.io.IOException\n \nServer returned HTTP response code: {status} for URL: {url}"


def _proxy_for(scheme: str, netloc: str) -> SplitResult | None:
    """The proxy urllib would use for a ``scheme`` URL to ``netloc``: from the environment, minus no_proxy."""
    proxy = urllib.request.getproxies().get(scheme)
    host_port = netloc.rpartition("@")[2]
    if not proxy or urllib.request.proxy_bypass(host_port):
        return None
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return parts if parts.hostname else None


def _request_target(parts: SplitResult) -> str:
    """Path and query, with anything outside printable ASCII percent-encoded (no header injection)."""
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return quote(target, safe="!#$%&'()*+,/:;=?@[]~")


def _close(conn: http.client.HTTPConnection, response: http.client.HTTPResponse) -> None:
    """Close both: after an HTTP/1.0 reply the response alone holds the socket."""
    response.close()
    conn.close()


def _content_length(response: http.client.HTTPResponse) -> int | None:
    """The declared length; None if absent or not a number (http.client then reads to the close)."""
    value = (response.getheader("Content-Length") or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    if len(value) > 30:  # int() refuses thousands of digits, and no real body is that long
        raise http.client.HTTPException(f"absurd Content-Length of {len(value)} digits")
    return int(value)


def _connection(scheme: str, host: str, port: int | None, timeout: float,
                deadline: _Deadline) -> http.client.HTTPConnection:
    """A connection whose socket is opened under the deadline (through http.client's own hook)."""
    conn: http.client.HTTPConnection
    if scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    # http.client's own hook for opening the socket, used by its code but absent from the stubs
    conn._create_connection = functools.partial(_open_socket, deadline=deadline)  # type: ignore[attr-defined]
    return conn


def _open_socket(address: tuple[str, int], timeout: float, source_address: object = None, *,
                 deadline: _Deadline) -> socket.socket:
    """Resolve and connect within the connect timeout and the deadline; the deadline then watches it."""
    host, port = address
    last: OSError = OSError(f"no address for {host}")
    for family, kind, proto, _, sockaddr in _resolve(host, port, deadline.budget(timeout)):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(deadline.budget(timeout))
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        deadline.watch(sock)
        return sock
    raise last


#: one ``getaddrinfo`` answer: (family, type, proto, canonical name, socket address)
_AddressInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[Any, ...]]


def _resolve(host: str, port: int, timeout: float) -> list[_AddressInfo]:
    """``getaddrinfo`` with a time limit (it has none of its own); a late answer is dropped."""
    infos: list[_AddressInfo] = []
    errors: list[OSError] = []
    done = threading.Event()

    def ask() -> None:
        try:
            infos.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            errors.append(exc)
        done.set()

    threading.Thread(target=ask, name=f"bridge-resolve-{host}", daemon=True).start()
    if not done.wait(timeout):
        raise TimeoutError(f"could not resolve {host} within {timeout:g} s")
    if errors:
        raise errors[0]
    return infos


class _Deadline:
    """The total time one download may take.

    A blocked ``recv`` does not look at a clock, and a server can send one
    byte just before each idle timeout.  So a timer thread shuts the
    connection's socket down when the time is up: the blocked read returns
    at once and :attr:`expired` says why.
    """

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._watched: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._watched:
                sock.close()
            self._watched.clear()

    def budget(self, limit: float) -> float:
        """``limit``, or less if the deadline is nearer; TimeoutError if it has passed."""
        left = self._end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("deadline passed")
        return min(limit, left)

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when time is up (a duplicate is kept, so TLS wrapping does not matter)."""
        copy = sock.dup()
        with self._lock:
            self._watched.append(copy)
            if self.expired:
                _shutdown(copy)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._watched:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


# --- opening a URL as ImageJ would ---------------------------------------------
def open_url(url: str, open_local: Callable[[str], ImagePlus]) -> ImagePlus:
    """``IJ.openImage(url)`` for DICOM URLs, on any backend's ``open_local``.

    The body is fetched by :func:`download` (never by ImageJ's own URL
    reader) and opened as a local file; the title and file info then say the
    URL, as ImageJ's do.  URLs ImageJ does not send to its DICOM reader give
    the silent null ImageJ gives.
    """
    shown = public_url(url)
    if not routes_to_dicom(url):
        check_url(url)
        raise NotDicomError("ImageJ opens only URLs ending in .dcm or .ima as DICOM", url=shown)
    with download(url) as local:
        try:
            imp = open_local(local)
        except DicomReadError as error:
            raise _about_url(error, local, shown) from None
    title = url_title(shown)
    imp.title = title
    if imp.file_info:
        sent = _as_sent(shown)
        imp.file_info.update(fileName=title, directory=sent[:len(sent) - len(title)], url=shown)
    return imp


def _about_url(error: DicomReadError, local: str, url: str) -> DicomReadError:
    """The error of opening the downloaded copy, told about the URL (the copy is deleted by now)."""
    error.url = error.path = url
    error.args = (f"{url}: {error.reason}",)
    if error.imagej_message:
        error.imagej_message = error.imagej_message.replace(local, _as_sent(url))
    return error
