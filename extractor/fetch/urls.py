"""URL canonicalization and crawl scope.

One article must be fetched once however it is linked: the fragment goes, tracking parameters
(utm_*, fbclid, …) are folded away, the host is lower-cased and default ports dropped, and the
remaining query parameters are sorted so `?b=2&a=1` and `?a=1&b=2` are the same page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from url_normalize import url_normalize

_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str, tracking_params: tuple[str, ...] = (), base: str | None = None) -> str:
    """The one spelling of a URL the crawler stores: no fragment, no tracking parameters.

    A parameter is dropped when its name equals an entry of `tracking_params` or starts with an
    entry ending in "_" (so "utm_" covers utm_source, utm_medium, …).

    >>> canonical_url("HTTP://Example.org:80/a/b?utm_source=fb&id=7#top", ("utm_",))
    'http://example.org/a/b?id=7'
    """
    if base:
        url = urljoin(base, url)
    try:
        url = url_normalize(url.strip())
    except Exception:  # url_normalize rejects some malformed input; keep the raw form then
        url = url.strip()
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracking(k, tracking_params)]
    query.sort()
    netloc = parts.hostname or ""
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        netloc = f"{netloc}:{parts.port}"
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))


def _is_tracking(name: str, tracking_params: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return any(lowered == p or (p.endswith("_") and lowered.startswith(p)) for p in tracking_params)


def host_of(url: str) -> str:
    """The host[:port] a politeness budget is kept for.

    >>> host_of("http://127.0.0.1:8080/a")
    '127.0.0.1:8080'
    """
    return urlsplit(url).netloc.lower()


def site_of(url: str) -> str:
    """The site name a record carries: the host without "www." and without port.

    >>> site_of("https://www.haiphong.gov.vn/tin-tuc-su-kien/a-1")
    'haiphong.gov.vn'
    """
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def start_url(site_or_url: str) -> str:
    """A crawl seed from what the user typed: a bare site name means its https home page.

    >>> start_url("danang.gov.vn")
    'https://danang.gov.vn/'
    """
    text = site_or_url.strip()
    if "://" not in text and not _OTHER_SCHEME_RE.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return text  # malformed: `url_problem` says why
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


# "javascript:…", "mailto:…" (a scheme), but not "localhost:8000" (a host and port).
_OTHER_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*:(?!\d+(?:/|$))", re.IGNORECASE)


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched over HTTP (None when it can): scheme, host, port.

    >>> url_problem("http://[::1"), url_problem("http://h:99999/"), url_problem("javascript:alert(1)")
    ('not a valid URL (Invalid IPv6 URL)', 'port 99999 is not a port (1-65535)', "scheme 'javascript' is not http or https")
    >>> url_problem("https://danang.gov.vn/") is None
    True
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        if "Port" in str(exc) or "port" in str(exc):
            raw = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[-1]
            return f"port {raw} is not a port (1-65535)"
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"scheme {parts.scheme.lower()!r} is not http or https" if parts.scheme else "no http:// or https:// scheme"
    if not parts.hostname:
        return "no host name"
    if any(ch.isspace() or ch in "<>\"{}|\\^`" for ch in parts.hostname):
        return f"{parts.hostname!r} is not a host name"
    if port is not None and not 0 < port < 65536:
        return f"port {port} is not a port (1-65535)"
    return None


@dataclass(frozen=True)
class Scope:
    """The hosts a crawl may touch: the seeds' hosts, their "www." twins and their sub-domains.

    Sub-domains are in scope because district portals live there (doson.haiphong.gov.vn under
    haiphong.gov.vn); a sibling domain never is.

    >>> Scope.from_seeds(["https://haiphong.gov.vn/"]).allows("https://doson.haiphong.gov.vn/x")
    True
    >>> Scope.from_seeds(["http://127.0.0.1:8000/"]).allows("http://localhost:8000/x")
    False
    """

    hosts: frozenset[str]

    @classmethod
    def from_seeds(cls, seeds: list[str]) -> "Scope":
        hosts = set()
        for seed in seeds:
            host = host_of(seed)
            hosts.add(host)
            hosts.add(host[4:] if host.startswith("www.") else "www." + host)
        return cls(frozenset(hosts))

    def including(self, url: str) -> "Scope":
        """This scope with `url`'s host (and its "www." twin) added.

        >>> Scope.from_seeds(["https://a.vn/"]).including("https://b.vn/x").allows("https://www.b.vn/")
        True
        """
        return Scope(self.hosts | Scope.from_seeds([url]).hosts)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        host = parts.netloc.lower()
        if host in self.hosts:
            return True
        # Sub-domains only for named hosts: an IP address has no sub-domains, and "localhost"
        # aliases of 127.0.0.1 are other hosts as far as politeness goes.
        return any(not _is_ip(h) and host.endswith("." + h) for h in self.hosts)


def _is_ip(host: str) -> bool:
    name = host.rsplit(":", 1)[0]
    return name.replace(".", "").isdigit() or name.startswith("[")
