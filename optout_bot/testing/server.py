"""Serve a FakeSite over real HTTP on a local port (the browser's own cookie and redirect path)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optout_bot.testing.site import FakeSite


def _handler_class(site: FakeSite, address: tuple[str, int]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            host = self.headers.get("Host") or f"{address[0]}:{address[1]}"
            response = site.handle(
                self.command, f"http://{host}{self.path}", dict(self.headers.items()), body
            )
            if response.delay_ms:
                time.sleep(response.delay_ms / 1000)
            payload = b"" if self.command == "HEAD" else response.body
            self.send_response(response.status)
            for name, value in response.headers:
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            """Quiet: the site records requests itself."""

    return Handler


@contextmanager
def serve(site: FakeSite, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run a ThreadingHTTPServer for ``site`` in a daemon thread; yield its base URL; stop on exit."""
    server = ThreadingHTTPServer((host, port), BaseHTTPRequestHandler)
    server.RequestHandlerClass = _handler_class(site, (host, server.server_port))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="fakesite-http", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
