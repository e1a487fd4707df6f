"""URL inputs of `vnextract extract`: `-i urls.txt` lists, URL-only JSONL lines, polite fetching, totals.

- `-i FILE`: one URL a line; blank lines and `#` comments are skipped; a line that is not an
  http(s) URL is an error naming FILE:LINE (the other lines still run).
- A `.txt` input whose every non-blank, non-comment line is a URL is a URL list handed over as an
  article by mistake: it is treated as a URL list, with a warning on stderr saying so (`-i` says
  it on purpose). Prose with a URL line or two is still one article's text.
- A JSONL line with a `url` and neither `text` nor `html` is fetched (its id/title/published_at kept).
- Every URL input (arguments, lists, JSONL lines) is fetched in the main process through one
  `HttpClient`, as the crawler fetches: robots.txt read once per host and obeyed, one request
  per host per `--delay` (default: rules/settings.json's delay, or the site's Crawl-delay when
  longer), retries after 429/503 as Retry-After says, size limits.
  With `--resume`, a URL whose record the output already holds is not fetched again.
- `count_documents`: the number of documents the inputs hold when it is cheap to know (lines of
  JSONL files and URL lists, files of folders), for a progress bar with a total and an ETA.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Iterable, Iterator

from .input_doc import JSONL_SUFFIXES, InputDoc, InputError

_COUNT_CHUNK = 1 << 20


def is_url(line: str) -> bool:
    """A whole line that is one http(s) URL.

    >>> is_url("https://hanoi.gov.vn/tin-tuc/a-1.htm"), is_url("Ngày 9/3 tại https://x.vn")
    (True, False)
    """
    return line.startswith(("http://", "https://")) and len(line) > 8 and not any(c.isspace() for c in line)


def url_lines(content: str) -> list[tuple[int, str]]:
    """(line number, text) of the lines a URL list means: not blank, not a `#` comment.

    >>> url_lines("# site A\\nhttp://a/1\\n\\nhttp://a/2  # second\\n")
    [(2, 'http://a/1'), (4, 'http://a/2')]
    """
    found = []
    for number, line in enumerate(content.splitlines(), start=1):
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            found.append((number, line))
    return found


def looks_like_url_list(content: str) -> bool:
    """Whether a text is a list of URLs rather than an article (every meaningful line a URL).

    >>> looks_like_url_list("http://a/1\\nhttp://a/2\\n"), looks_like_url_list("Sáng 9/3, họp.\\nhttp://a/1")
    (True, False)
    """
    lines = url_lines(content)
    return bool(lines) and all(is_url(line) for _, line in lines)


def iter_url_list(label: str, content: str) -> Iterator[InputDoc | InputError]:
    """Fetch documents for the URLs of a list (errors for lines that are not URLs).

    >>> [getattr(item, "doc", item) for item in iter_url_list("l.txt", "http://a/1\\nftp://b\\n")]
    [{'url': 'http://a/1', 'fetch': True}, InputError(label='l.txt:2', message="not an http(s) URL: 'ftp://b'")]
    """
    for number, line in url_lines(content):
        where = f"{label}:{number}"
        if is_url(line):
            yield InputDoc(where, {"url": line, "fetch": True})
        else:
            yield InputError(where, f"not an http(s) URL: {line[:80]!r}")


def iter_url_list_file(path: str) -> Iterator[InputDoc | InputError]:
    """`-i FILE` (or `-i -` for standard input)."""
    try:
        content = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(path, f"cannot read the URL list: {getattr(exc, 'strerror', None) or exc}")
        return
    yield from iter_url_list(path, content)


def warn_url_list(label: str) -> None:
    """Say on stderr that an input is taken as a URL list, and how to say so on purpose."""
    print(f"vnextract: {label}: every line is a URL: fetching them as a URL list (say -i {label} to do "
          f"so without this warning)", file=sys.stderr, flush=True)


def url_record_id(doc: dict) -> str | None:
    """The id a URL-only document's record will have, when known before fetching: its own id, or
    the URL's (a page whose rel=canonical names another URL gets that one's, known only later).

    >>> url_record_id({"url": "https://haiphong.gov.vn/a-1", "fetch": True}), url_record_id({"text": "x"})
    ('2c048a32508fa6ab', None)
    """
    if not doc.get("fetch") or not isinstance(doc.get("url"), str):
        return None
    from .record import stable_id

    return str(doc["id"]) if doc.get("id") else stable_id(doc["url"])


class PoliteFetcher:
    """Turns fetch documents (`{"url": …, "fetch": True}`) into HTML documents, one shared client.

    >>> PoliteFetcher(delay=0).settings.delay_seconds
    0
    """

    def __init__(self, rules=None, delay: float | None = None):
        from .fetch.settings import FetchSettings

        self.settings = FetchSettings.load(rules, delay_seconds=delay)
        self._client = None

    @property
    def client(self):
        if self._client is None:
            from .fetch.http import HttpClient

            self._client = HttpClient(self.settings)
        return self._client

    def resolve(self, items: Iterable[InputDoc | InputError]) -> Iterator[InputDoc | InputError]:
        try:
            for item in items:
                if isinstance(item, InputDoc) and item.doc.get("url") and not isinstance(item.doc.get("text"), str) \
                        and not isinstance(item.doc.get("html"), str):
                    yield self.fetch(item)
                else:
                    yield item
        finally:
            if self._client is not None:
                self._client.close()

    def fetch(self, item: InputDoc) -> InputDoc | InputError:
        from .html.encoding import decode_body

        url, s = item.doc["url"], self.settings
        for attempt in range(s.max_retries + 1):  # bounded: a few attempts at most
            result = self.client.fetch(url, allow_types=s.html_types)
            if result.error is None or result.retry_after is None or attempt == s.max_retries:
                break
            time.sleep(min(max(result.retry_after, s.backoff_seconds * 2 ** attempt), s.max_backoff_seconds))
        if not result.ok:
            return InputError(item.label, f"{url}: {result.error or result.skipped}")
        text, _encoding = decode_body(result.body, result.content_type)
        doc = {k: v for k, v in item.doc.items() if k not in ("fetch", "url")}
        doc.update(html=text, url=result.final_url or url)
        return InputDoc(item.label, doc)


def count_documents(sources: list[str], lists: list[str]) -> int | None:
    """How many documents the inputs hold, when cheap to know; None when unknown (stdin, WARCs).

    >>> count_documents(["-"], [])
    """
    total = 0
    for source in sources:
        if source == "-":
            return None
        if source.startswith(("http://", "https://")):
            total += 1
            continue
        path = Path(source)
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) \
            if path.is_dir() else [path]
        for file in files:
            if file.name.lower().endswith((".warc", ".warc.gz")):
                return None
            total += _count_lines(file) if file.suffix.lower() in JSONL_SUFFIXES else 1
    for name in lists:
        if name == "-":
            return None
        try:
            total += len(url_lines(Path(name).read_text(encoding="utf-8-sig", errors="replace")))
        except OSError:
            continue
    return total


def _count_lines(path: Path) -> int:
    """Non-empty lines of a file, counted in 1 MB chunks (a JSONL archive of gigabytes is fine)."""
    count, last = 0, b"\n"
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_COUNT_CHUNK):  # ends at end of file
                count += chunk.count(b"\n") - chunk.count(b"\n\n")
                last = chunk[-1:]
    except OSError:
        return 1
    return count + (last != b"\n")
