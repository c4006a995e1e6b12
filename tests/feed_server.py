"""A local HTTP server on 127.0.0.1 for source tests, and a guard against any other address.

Routes are plain functions of the request handler, so each test says exactly what the
"internet" does: a feed with an ETag, a 304, a 500, a slow answer, an oversized body.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]


class FeedServer:
    """Serve `routes` (path → function) on 127.0.0.1 in a thread; record every request."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    send(self, 404, b"not found")
                    return
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout or size limit): expected in tests

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def base(self) -> str:
        """Return http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def hits(self, path: str) -> list[dict[str, str]]:
        """Return the headers of every request made for `path`."""
        return [headers for p, headers in self.requests if p == path]

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         headers: dict[str, str] | None = None) -> None:
    """Write a complete response with a Content-Length."""
    handler.send_response(status)
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def with_etag(body: bytes, etag: str, content_type: str = "application/rss+xml") -> Route:
    """A route answering 304 to If-None-Match: etag, else 200 with the body and the ETag."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            send(handler, 304, headers={"ETag": etag})
        else:
            send(handler, 200, body, {"ETag": etag, "Content-Type": content_type})
    return route


def live(body: Callable[[], bytes], content_type: str = "application/rss+xml") -> Route:
    """A route serving whatever `body()` returns now, with an ETag of its hash.

    For tests where the "internet" changes between scheduled runs: 304 while unchanged.
    """
    def route(handler: BaseHTTPRequestHandler) -> None:
        content = body()
        etag = f'"{hashlib.sha256(content).hexdigest()[:16]}"'
        with_etag(content, etag, content_type)(handler)
    return route


def static(body: bytes, content_type: str = "text/html; charset=utf-8") -> Route:
    """A route answering 200 with the body, no validators."""
    return lambda handler: send(handler, 200, body, {"Content-Type": content_type})


def status(code: int) -> Route:
    """A route answering an error status."""
    return lambda handler: send(handler, code, f"error {code}".encode())


def slow(seconds: float, body: bytes = b"<rss/>") -> Route:
    """A route that waits before answering (longer than the client's timeout)."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        send(handler, 200, body)
    return route


def endless(chunk: bytes = b"x" * 65536, limit: int = 64 * 1024 * 1024) -> Route:
    """A route streaming a body with no Content-Length until the client hangs up."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.end_headers()
        sent = 0
        while sent < limit:
            handler.wfile.write(chunk)
            sent += len(chunk)
    return route


def allow_only_localhost(monkeypatch) -> None:
    """Make any connection to an address other than 127.0.0.1 fail the test."""
    real_connect = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "localhost", "::1") and not isinstance(address, str | bytes):
            raise AssertionError(f"test tried to contact {address!r}; only 127.0.0.1 is allowed")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
