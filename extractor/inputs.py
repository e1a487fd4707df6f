"""Reading what users hand the CLI: HTML files, text files, JSONL documents, stdin, URLs.

Every input becomes one or more `InputDoc`s (a document dict plus a label naming where it came
from, e.g. "batch.jsonl:17"), or an `InputError` naming the input — never an exception that
would stop the batch.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any, Iterator

from charset_normalizer import from_bytes

from .html.encoding import bom_encoding
from .input_doc import JSONL_SUFFIXES, InputDoc, InputError  # noqa: F401 (re-exported)

MAX_INPUT_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".aspx", ".php"}
UTF8_BOM = b"\xef\xbb\xbf"


def decode_bytes(data: bytes, label: str) -> str:
    """UTF-8 when it is, UTF-16/32 when a byte-order mark says so (Windows "Unicode" text), else
    the detected charset; binary data is refused.

    >>> decode_bytes("Chiều 21/5".encode("utf-8"), "x"), decode_bytes("Chiều 21/5".encode("utf-16"), "x")
    ('Chiều 21/5', 'Chiều 21/5')
    """
    marked = bom_encoding(data)
    if marked is not None:
        codec, size = marked
        try:
            return data[size:].decode(codec)
        except UnicodeDecodeError:
            raise ValueError(f"{label}: not valid {codec} after its byte-order mark") from None
    if b"\x00" in data[:8192]:
        raise ValueError(f"{label}: binary data, not text or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise ValueError(f"{label}: undecodable bytes (not UTF-8, no charset detected)") from None
        return str(best)


def iter_inputs(sources: list[str], max_bytes: int = MAX_INPUT_BYTES) -> Iterator[InputDoc | InputError]:
    """Yield documents (or errors) from paths, directories, URLs and "-" (stdin), in order."""
    for source in sources or ["-"]:
        if source == "-":
            yield from _iter_binary("<stdin>", sys.stdin.buffer, max_bytes)
        elif source.startswith(("http://", "https://")):
            yield InputDoc(source, {"url": source, "fetch": True})
        else:
            path = Path(source)
            if path.is_dir():
                children = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
                if not children:
                    yield InputError(source, "directory holds no files")
                for child in children:
                    yield from _iter_path(child, max_bytes)
            else:
                yield from _iter_path(path, max_bytes)


def output_collides_with_input(output: str, sources: list[str]) -> str | None:
    """The input that `output` would overwrite or feed back into (the same file under any path or
    link, or a file inside an input folder), else None.

    >>> output_collides_with_input("/nonexistent/out.jsonl", ["/nonexistent/in.jsonl"]) is None
    True
    """
    if not output or output == "-":
        return None
    target = Path(output)
    resolved = target.resolve()
    for source in sources:
        if source == "-" or source.startswith(("http://", "https://")):
            continue
        path = Path(source)
        try:
            if path.is_dir():
                if path.resolve() in resolved.parents:
                    return source
            elif resolved == path.resolve() or (target.exists() and path.exists() and target.samefile(path)):
                return source
        except OSError:
            continue
    return None


def _iter_path(path: Path, max_bytes: int) -> Iterator[InputDoc | InputError]:
    label = str(path)
    if path.name.lower().endswith((".warc", ".warc.gz")):  # a web archive: its article pages (warc_input.py)
        from .warc_input import iter_warc

        yield from iter_warc(path)
        return
    suffix = path.suffix.lower()
    try:
        if suffix in HTML_SUFFIXES | TEXT_SUFFIXES and path.stat().st_size > max_bytes:
            yield InputError(label, f"file is {path.stat().st_size} bytes, over the {max_bytes}-byte limit")
            return
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(label, f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        try:
            yield from _iter_binary(label, handle, max_bytes, suffix)
        except OSError as exc:
            yield InputError(label, f"cannot read: {exc.strerror or exc}")


class _Prepended:
    """A byte stream with bytes already read from it put back in front (after sniffing its start)."""

    def __init__(self, head: bytes, stream: Any):
        self.head = io.BytesIO(head)
        self.stream = stream

    def readline(self, limit: int) -> bytes:
        line = self.head.readline(limit)
        if not line.endswith(b"\n") and len(line) < limit:
            line += self.stream.readline(limit - len(line))
        return line

    def read(self, size: int) -> bytes:
        data = self.head.read(size)
        if len(data) < size:
            data += self.stream.read(size - len(data))
        return data


def _iter_binary(label: str, stream: Any, max_bytes: int, suffix: str = "") -> Iterator[InputDoc | InputError]:
    """One input of any kind, as bytes: JSON Lines are recognized by their first non-blank line
    and read line by line (limits per line, any file size); other content is one document."""
    consumed: list[bytes] = []
    first = b""
    size = 0
    # Leading blank lines are skipped to find the first line that says what the input is; each
    # readline consumes at least one byte, and the look stops after max_bytes.
    while size <= max_bytes:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            break
        consumed.append(raw)
        size += len(raw)
        if raw.strip().removeprefix(UTF8_BOM).strip():
            first = raw
            break
    kind = _sniff_first_line(b"".join(consumed), first, suffix)
    stream = _Prepended(b"".join(consumed), stream)
    if kind == "json_document":  # a pretty-printed object (a gold file, say) is one document
        data = stream.read(max_bytes + 1)
        if len(data) <= max_bytes:
            try:
                obj = json.loads(data.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                pass
            else:
                yield _check_doc(label, obj)
                return
        stream = _Prepended(data, stream)
        kind = "jsonl"
    if kind == "jsonl":
        yield from _iter_jsonl_lines(label, stream, max_bytes)
        return
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield InputError(label, f"input over the {max_bytes}-byte limit")
        return
    yield from _iter_content(label, data, max_bytes, suffix)


def _sniff_first_line(head: bytes, first: bytes, suffix: str) -> str:
    """"jsonl", "json_document" (starts like an object that spans lines) or "other"."""
    if b"\x00" in head or suffix in HTML_SUFFIXES or suffix in TEXT_SUFFIXES:
        return "other"  # UTF-16/32 text or binary data: decoded (or refused) as a whole
    stripped = first.strip().removeprefix(UTF8_BOM).strip()
    if not stripped:
        return "jsonl" if suffix in JSONL_SUFFIXES and head else "other"
    try:
        json.loads(stripped)
    except (UnicodeDecodeError, ValueError):
        if stripped.startswith(b"{"):
            return "json_document"
        return "jsonl" if suffix in JSONL_SUFFIXES else "other"
    return "jsonl"  # any JSON value: JSON Lines (a line that is no object is reported as one)


def _iter_jsonl_lines(label: str, stream: Any, max_bytes: int) -> Iterator[InputDoc | InputError]:
    """Documents from JSONL lines read lazily (memory does not grow with the input); limits apply
    per line, and only "\\n" ends a line (U+2028 may stand inside a JSON string)."""
    found = False
    for number, (raw, oversize) in enumerate(_bounded_lines(stream, max_bytes), start=1):
        where = f"{label}:{number}"
        if oversize:
            found = True
            yield InputError(where, f"line over the {max_bytes}-byte limit")
            continue
        if not raw.strip():
            continue
        found = True
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield InputError(where, "undecodable bytes (JSONL must be UTF-8)")
            continue
        yield _parse_jsonl_line(where, line)
    if not found:
        yield InputError(label, "empty input (no JSON lines)")


def _bounded_lines(stream: Any, max_bytes: int) -> Iterator[tuple[bytes, bool]]:
    """(line, oversize) for each line of a byte stream; an oversize line is skipped to its end
    without being held in memory. Every read consumes bytes, so this ends with the stream."""
    while raw := stream.readline(max_bytes + 1):
        if len(raw.rstrip(b"\r\n")) <= max_bytes:
            yield raw, False
            continue
        tail = raw
        while tail and not tail.endswith(b"\n"):
            tail = stream.readline(1 << 20)
        yield b"", True


def _iter_content(label: str, data: bytes, max_bytes: int, suffix: str = "") -> Iterator[InputDoc | InputError]:
    """A whole input read into memory (text, HTML, or JSON Lines in UTF-16/32) → its documents."""
    try:
        content = decode_bytes(data, label)
    except ValueError as exc:
        yield InputError(label, str(exc).split(": ", 1)[-1])
        return
    if not content.strip():
        yield InputError(label, "empty input")
        return
    kind = _sniff(content, suffix)
    if kind == "jsonl":
        yield from _iter_binary(label, io.BytesIO(content.encode("utf-8")), max_bytes, ".jsonl")
    elif kind == "html":
        yield InputDoc(label, {"html": content, "source": label})
    elif kind == "text" and _url_list(content):  # URLs handed over as an article: see sources.py
        from .sources import iter_url_list, warn_url_list

        warn_url_list(label)
        yield from iter_url_list(label, content)
    else:
        yield InputDoc(label, {"text": content, "source": label})


def _sniff(content: str, suffix: str) -> str:
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = content.lstrip()[:200].lower()
    if suffix in JSONL_SUFFIXES or head.startswith("{"):
        return "jsonl"
    if head.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body", "<div", "<p")):
        return "html"
    return "text"


def _parse_jsonl_line(where: str, line: str) -> InputDoc | InputError:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(where, f"bad JSON: {exc.msg} at column {exc.colno}")
    return _check_doc(where, obj)


def _url_list(content: str) -> bool:
    from .sources import looks_like_url_list

    return looks_like_url_list(content)


def _check_doc(label: str, obj: Any) -> InputDoc | InputError:
    if not isinstance(obj, dict):
        return InputError(label, "a JSONL line must be an object")
    if not isinstance(obj.get("text"), str) and not isinstance(obj.get("html"), str):
        if isinstance(obj.get("url"), str) and obj["url"].startswith(("http://", "https://")):
            return InputDoc(label, dict(obj, fetch=True))  # a URL only: fetched (sources.py)
        return InputError(label, "document has neither a 'text' nor an 'html' string, nor an http(s) 'url' to fetch")
    return InputDoc(label, obj)
