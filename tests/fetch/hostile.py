"""A real HTTP server on 127.0.0.1 that misbehaves the way each test asks.

Each path is a small function of the request handler; helpers send a body, trickle it byte by
byte, stall, reset the connection or serve a gzip bomb. The server logs every request (path, Host
header) so tests can check what the client asked for and what it never asked for.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit


@dataclass
class Hit:
    path: str
    host: str
    time: float


class HostileHandler(BaseHTTPRequestHandler):
    server_version = "hostile/1.0"
    hostile: "HostileServer"

    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.hostile.log.append(Hit(self.path, self.headers.get("Host", ""), time.monotonic()))
        route = self.hostile.find(self.path)
        try:
            if route is None:
                self.send(404, b"not here")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass  # the client hung up: what a client that stops reading does

    # -- what a route can do ------------------------------------------------------------------
    def send(self, status: int, body: bytes | str, content_type: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, b"", headers={"Location": location})

    def trickle(self, body: bytes, every: float, content_type: str = "text/html; charset=utf-8") -> None:
        """Headers at once, then the body one byte at a time."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        for byte in body:
            if self.hostile.stopping.wait(every):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def trickle_headers(self, every: float) -> None:
        """Even the status line comes one byte at a time."""
        for byte in b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"x" * 10_000:
            if self.hostile.stopping.wait(every):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def stall(self, seconds: float = 30.0) -> None:
        """Accept, read the request, say nothing."""
        self.hostile.stopping.wait(seconds)

    def reset(self) -> None:
        """Close the connection with a TCP reset, before any reply."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def gzip_bomb(self, megabytes: int, prefix: bytes = b"", content_type: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
        self.send(200, gzip_bomb(megabytes, prefix), content_type, {"Content-Encoding": "gzip", **(headers or {})})


@lru_cache(maxsize=8)
def gzip_bomb(megabytes: int, prefix: bytes = b"") -> bytes:
    """`prefix` then zeros, `megabytes` MiB in all, gzip'ed (about a thousandth of the size)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(prefix)]
    parts += [packer.compress(block) for _ in range(megabytes)]
    parts.append(packer.flush())
    return b"".join(parts)


class HostileServer:
    """`server.routes["/path"] = lambda h: h.send(200, "…")`; a key ending in "*" is a prefix."""

    def __init__(self):
        self.routes: dict[str, Callable[[HostileHandler], None]] = {}
        self.log: list[Hit] = []
        self.stopping = threading.Event()
        handler = type("Handler", (HostileHandler,), {"hostile": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def find(self, path: str):
        if path in self.routes:
            return self.routes[path]
        bare = urlsplit(path).path
        if bare in self.routes:
            return self.routes[bare]
        prefixes = [k for k in self.routes if k.endswith("*") and path.startswith(k[:-1])]
        return self.routes[max(prefixes, key=len)] if prefixes else None

    def hits(self, prefix: str) -> list[Hit]:
        return [hit for hit in self.log if hit.path.startswith(prefix)]

    def start(self) -> "HostileServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "HostileServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


ARTICLE_TEMPLATE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{title}</title><meta property="og:type" content="article">
<meta property="article:published_time" content="{published}"></head><body>
<article><h1>{title}</h1>
<p>Sáng {day}/3, Ủy ban nhân dân phường Cầu Rào tổ chức hội nghị triển khai kế hoạch chỉnh trang
đô thị năm 2024 với sự tham dự của đại diện các tổ dân phố, hội cựu chiến binh và đoàn thanh niên.</p>
<p>Theo báo cáo, trong năm qua phường đã cải tạo 14 tuyến ngõ, lắp mới 120 bộ đèn chiếu sáng và
trồng thêm 350 cây xanh trên các tuyến phố chính; tổng kinh phí thực hiện hơn 2,4 tỷ đồng.</p>
<p>Phát biểu tại hội nghị, lãnh đạo phường đề nghị các tổ dân phố tiếp tục vận động người dân
giữ gìn vệ sinh chung, không lấn chiếm vỉa hè và phối hợp với lực lượng chức năng kiểm tra định kỳ.</p>
{extra}</article></body></html>"""


def article_page(number: int, extra: str = "") -> str:
    """A small article page, written for these tests, that the generic reader takes as an article."""
    return ARTICLE_TEMPLATE.format(title=f"Phường Cầu Rào chỉnh trang đô thị, đợt {number}",
                                   published=f"2024-03-{number % 27 + 1:02d}T08:00:00+07:00",
                                   day=number % 27 + 1, extra=extra)


def html_page(links: list[str], text: str = "Trang danh mục") -> str:
    items = "".join(f'<li><a href="{href}">Liên kết {i}</a></li>' for i, href in enumerate(links))
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{text}</title></head><body><ul>{items}</ul></body></html>"
