"""Reading what users hand the CLI: HTML files, text files, JSONL documents, stdin, URLs.

Every input becomes one or more `InputDoc`s (a document dict plus a label naming where it came
from, e.g. "batch.jsonl:17"), or an `InputError` naming the input — never an exception that
would stop the batch.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from charset_normalizer import from_bytes

from .html.encoding import bom_encoding

MAX_INPUT_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".aspx", ".php"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}


@dataclass
class InputDoc:
    """One document to extract: `doc` has `text` or `html`, and optional id/url/title/published_at."""

    label: str
    doc: dict[str, Any] = field(default_factory=dict)


@dataclass
class InputError:
    """An input that could not be read; `label` names it (file, file:line, URL)."""

    label: str
    message: str


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
            yield from _iter_stdin(sys.stdin.buffer, max_bytes)
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


def _iter_stdin(stream: Any, max_bytes: int) -> Iterator[InputDoc | InputError]:
    """JSONL on stdin streams line by line (archives of any size); anything else is one document."""
    first = stream.readline(max_bytes + 1)
    if _streamable_jsonl(first):
        yield from _iter_jsonl_lines("<stdin>", first, stream, max_bytes)
    else:
        yield from _iter_stream("<stdin>", first + stream.read(max_bytes + 1 - len(first)), max_bytes)


def _streamable_jsonl(first_line: bytes) -> bool:
    """A first line that is a whole JSON object: one document a line, safe to read lazily."""
    stripped = first_line.strip().removeprefix(b"\xef\xbb\xbf")
    return stripped.startswith(b"{") and stripped.endswith(b"}") and b"\x00" not in stripped


def _iter_jsonl_lines(label: str, first: bytes, rest: Any, max_bytes: int) -> Iterator[InputDoc | InputError]:
    """Documents from JSONL lines read lazily (memory does not grow with the input); limits apply per line."""
    for number, raw in enumerate(_chain(first, rest), start=1):
        where = f"{label}:{number}"
        if len(raw) > max_bytes:
            yield InputError(where, f"line over the {max_bytes}-byte limit")
            continue
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield InputError(where, "undecodable bytes (JSONL must be UTF-8)")
            continue
        yield _parse_jsonl_line(where, line)


def _chain(first: bytes, rest: Any) -> Iterator[bytes]:
    yield first
    yield from rest


def _iter_path(path: Path, max_bytes: int) -> Iterator[InputDoc | InputError]:
    label = str(path)
    if path.name.lower().endswith((".warc", ".warc.gz")):  # a web archive: its article pages (warc_input.py)
        from .warc_input import iter_warc

        yield from iter_warc(path)
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        try:
            with path.open("rb") as handle:
                if b"\x00" not in handle.read(8192):
                    handle.seek(0)
                    first = handle.readline(max_bytes + 1)
                    if _streamable_jsonl(first):
                        yield from _iter_jsonl_lines(label, first, handle, max_bytes)
                        return
        except OSError as exc:
            yield InputError(label, f"cannot read: {exc.strerror or exc}")
            return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield InputError(label, f"file is {size} bytes, over the {max_bytes}-byte limit")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(label, f"cannot read: {exc.strerror or exc}")
        return
    yield from _iter_stream(label, data, max_bytes, suffix=path.suffix.lower())


def _iter_stream(label: str, data: bytes, max_bytes: int, suffix: str = "") -> Iterator[InputDoc | InputError]:
    if len(data) > max_bytes:
        yield InputError(label, f"input over the {max_bytes}-byte limit")
        return
    try:
        content = decode_bytes(data, label)
    except ValueError as exc:
        yield InputError(label, str(exc).split(": ", 1)[-1])
        return
    kind = _sniff(content, suffix)
    if kind == "jsonl":
        yield from _iter_jsonl(label, content)
    elif kind == "html":
        yield InputDoc(label, {"html": content, "source": label})
    elif kind == "text" and _url_list(content):  # URLs handed over as an article: see sources.py
        from .sources import iter_url_list, warn_url_list

        warn_url_list(label)
        yield from iter_url_list(label, content)
    else:
        yield InputDoc(label, {"text": content, "source": label})


def _sniff(content: str, suffix: str) -> str:
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = content.lstrip()[:200].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body", "<div", "<p")):
        return "html"
    return "text"


def _url_list(content: str) -> bool:
    from .sources import looks_like_url_list

    return looks_like_url_list(content)


def _iter_jsonl(label: str, content: str) -> Iterator[InputDoc | InputError]:
    stripped = content.strip()
    # A single pretty-printed JSON object (a gold file, say) is one document too.
    if stripped.startswith("{") and "\n" in stripped and not stripped.splitlines()[0].rstrip().endswith("}"):
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError:
            pass
        else:
            yield _check_doc(label, obj)
            return
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        yield _parse_jsonl_line(f"{label}:{number}", line)


def _parse_jsonl_line(where: str, line: str) -> InputDoc | InputError:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(where, f"bad JSON: {exc.msg} at column {exc.colno}")
    return _check_doc(where, obj)


def _check_doc(label: str, obj: Any) -> InputDoc | InputError:
    if not isinstance(obj, dict):
        return InputError(label, "a JSONL line must be an object")
    if not isinstance(obj.get("text"), str) and not isinstance(obj.get("html"), str):
        if isinstance(obj.get("url"), str) and obj["url"].startswith(("http://", "https://")):
            return InputDoc(label, dict(obj, fetch=True))  # a URL only: fetched (sources.py)
        return InputError(label, "document has neither a 'text' nor an 'html' string, nor an http(s) 'url' to fetch")
    return InputDoc(label, obj)
