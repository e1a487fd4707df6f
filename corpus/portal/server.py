"""The sample portal: corpus/articles rendered as government-portal sites on real localhost HTTP.

Each site of the corpus (haiphong.gov.vn, its district sites, danang.gov.vn, hanoi.gov.vn) gets
its own port on 127.0.0.1 and the look of the platform it runs in real life: vnPortal (ASP.NET),
Liferay with the DNICT news module, the baochinhphu template. Optionally an "unseen" site renders
the Ha Noi articles in a template no profile knows, to exercise the generic reader.

Every site carries the traps a real crawl meets (see TRAPS below) and the server keeps a request
log (site, Host header, path, status, monotonic time, User-Agent) that tests check politeness
against. Run it by hand: `python corpus/portal/server.py` prints the site URLs and serves until ^C.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent
ARTICLES_DIR = HERE.parent / "articles"
TEMPLATES_DIR = HERE / "templates"

PLATFORM_OF_SITE = (("haiphong.gov.vn", "vnportal"), ("danang.gov.vn", "liferay"), ("hanoi.gov.vn", "baochinhphu"))
PAGE_SIZE = 4
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
HUGE_BYTES = 11 * 1024 * 1024      # over the crawler's 10 MB response limit
BOMB_BYTES = 64 * 1024 * 1024      # gzip bomb: tiny on the wire, over the 50 MB decompressed limit

# Paths no polite crawler may request: robots.txt disallows them on every site.
DISALLOWED_PREFIXES = ("/Admin/", "/tin-tuc-su-kien/ban-in/", "/c/portal/", "/search/")
ROBOTS = """User-agent: *
Disallow: /Admin/
Disallow: /tin-tuc-su-kien/ban-in/
Disallow: /c/portal/
Disallow: /search/
"""

STATIC_PAGES = {"/so-do-cong": "Sơ đồ cổng thông tin", "/lien-he": "Liên hệ", "/gioi-thieu": "Giới thiệu",
                "/lien-ket-website": "Liên kết website"}

# What each platform's sites carry, by trap name → the article role it applies to.
TRAPS = {
    "vnportal": ["utm_duplicate", "wrong_charset_header", "alternate_url", "pdf_links", "offsite_link", "html_comment"],
    "liferay": ["retry_after_503", "redirect_chain", "no_charset_cp1258", "sitemap_only", "huge_page", "gzip_bomb"],
    "baochinhphu": ["nfd_page", "rss_only", "crawl_delay", "related_in_body"],
}


@dataclass
class LogEntry:
    """One request as the server saw it."""

    site: str
    host: str
    method: str
    path: str
    status: int
    time: float
    user_agent: str
    conditional: bool = False  # If-None-Match / If-Modified-Since was sent


@dataclass
class SampleSite:
    """One portal site: its articles (newest first), platform and listening port."""

    name: str
    platform: str
    articles: list[dict]
    crawl_delay: float | None = None
    port: int = 0
    server: ThreadingHTTPServer | None = None
    paths: dict[str, dict] = field(default_factory=dict)      # local path?query → article
    roles: dict[str, dict] = field(default_factory=dict)      # trap role → article

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def local_url(self, article: dict) -> str:
        return self.base_url + article_path(article)


def article_path(article: dict) -> str:
    parts = urlsplit(article["url"])
    return parts.path + ("?" + parts.query if parts.query else "")


def platform_of(site: str) -> str:
    for suffix, platform in PLATFORM_OF_SITE:
        if site == suffix or site.endswith("." + suffix):
            return platform
    return "vnportal"


def load_articles(folder: Path = ARTICLES_DIR) -> list[dict]:
    """The annotated corpus articles (one JSON file each)."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


class PortalServer:
    """All sample sites, one port each, one request log.

    >>> with PortalServer() as portal:  # doctest: +SKIP
    ...     portal.site_urls()
    """

    def __init__(self, articles: list[dict] | None = None, crawl_delay: float | None = 0.25,
                 unseen_site: bool = False):
        articles = load_articles() if articles is None else articles
        by_site: dict[str, list[dict]] = {}
        for article in articles:
            by_site.setdefault(article["site"], []).append(article)
        self.sites: list[SampleSite] = []
        for name, items in sorted(by_site.items()):
            items.sort(key=lambda a: (a.get("published_at") or "", a["id"]), reverse=True)
            platform = platform_of(name)
            delay = crawl_delay if platform == "baochinhphu" else None
            self.sites.append(SampleSite(name, platform, items, crawl_delay=delay))
        if unseen_site:
            hanoi = [a for a in articles if platform_of(a["site"]) == "baochinhphu"]
            unseen = [dict(a, url=f"https://tintuc.example.vn/news/{i + 1}/{slugify(a['title'])}")
                      for i, a in enumerate(sorted(hanoi, key=lambda a: a["id"]))]
            self.sites.append(SampleSite("tintuc.example.vn", "generic", unseen))
        self.log: list[LogEntry] = []
        self._log_lock = threading.Lock()
        self._once: set[str] = set()
        self._bomb: bytes | None = None
        for site in self.sites:
            _assign_roles(site)

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> "PortalServer":
        for site in self.sites:
            handler = type("Handler", (_Handler,), {"portal": self, "site": site})
            site.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            site.server.daemon_threads = True
            site.port = site.server.server_address[1]
            threading.Thread(target=site.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for site in self.sites:
            if site.server is not None:
                site.server.shutdown()
                site.server.server_close()

    def __enter__(self) -> "PortalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what tests ask ---------------------------------------------------------------------
    def site_urls(self, include_unseen: bool = False) -> list[str]:
        return [s.base_url + "/" for s in self.sites if include_unseen or s.platform != "generic"]

    def site(self, name: str) -> SampleSite:
        return next(s for s in self.sites if s.name == name)

    def expected(self, include_unseen: bool = False) -> dict[str, dict]:
        """Local article URL → gold article, for every article a crawl must find."""
        return {s.local_url(a): a for s in self.sites if include_unseen or s.platform != "generic"
                for a in s.articles}

    def record(self, entry: LogEntry) -> None:
        with self._log_lock:
            self.log.append(entry)

    def first_time(self, key: str) -> bool:
        with self._log_lock:
            if key in self._once:
                return False
            self._once.add(key)
            return True

    def gzip_bomb(self) -> bytes:
        if self._bomb is None:
            self._bomb = gzip.compress(b" " * BOMB_BYTES, compresslevel=9)
        return self._bomb


def _assign_roles(site: SampleSite) -> None:
    """Give each article trap to a distinct article (as far as the site has articles)."""
    article_traps = [t for t in TRAPS.get(site.platform, []) if t in _ARTICLE_TRAPS]
    for trap, article in zip(article_traps, site.articles):
        site.roles[trap] = article
    for article in site.articles:
        site.paths[article_path(article)] = article


_ARTICLE_TRAPS = {"utm_duplicate", "wrong_charset_header", "alternate_url", "retry_after_503", "redirect_chain",
                  "no_charset_cp1258", "sitemap_only", "nfd_page", "rss_only"}


def slugify(text: str) -> str:
    """ASCII URL slug of a Vietnamese title.

    >>> slugify("Đà Nẵng: 99,21% hồ sơ")
    'da-nang-99-21-ho-so'
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# -- rendering ------------------------------------------------------------------------------
_TEMPLATES: dict[str, Template] = {}


def template(name: str) -> Template:
    if name not in _TEMPLATES:
        _TEMPLATES[name] = Template((TEMPLATES_DIR / f"{name}.html").read_text(encoding="utf-8"))
    return _TEMPLATES[name]


def date_line(platform: str, published: str | None, index: int) -> str:
    """The publication line each platform prints (several formats per platform, by index)."""
    if not published:
        return ""
    if len(published) == 10:
        d = date.fromisoformat(published)
        return {"liferay": f"Thời gian: {d:%d/%m/%Y}", "baochinhphu": f"{d:%d/%m/%Y}"}.get(
            platform, f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y}")
    t = datetime.fromisoformat(published)
    hour12 = t.hour % 12 or 12
    if platform == "vnportal":
        return f"{WEEKDAYS[t.weekday()]}, {t:%d/%m/%Y %H:%M}"
    if platform == "liferay":
        return (f"Thời gian: {t:%d/%m/%Y %H:%M}" if index % 2 == 0
                else f"Đăng ngày {t:%d-%m-%Y %H:%M}, Lượt xem: {37 + 11 * index}")
    if platform == "baochinhphu":
        return [f"{t:%H:%M} | {t:%d/%m/%Y}",
                f"{hour12:02d}:{t:%M} {'CH' if t.hour >= 12 else 'SA'} | {t:%d/%m/%Y}",
                f"{t:%d/%m/%Y} | {hour12:02d}:{t:%M} {'PM' if t.hour >= 12 else 'AM'}"][index % 3]
    return f"{t:%d/%m/%Y - %H:%M}"


def _figure(platform: str, caption: str, n: int) -> str:
    caption = html.escape(caption)
    if platform == "vnportal":
        return (f'<table class="image" align="center"><tbody><tr><td><img src="/Upload/anh-{n}.jpg" alt="" /></td></tr>'
                f'<tr><td class="caption"><em>{caption}</em></td></tr></tbody></table>')
    if platform == "liferay":
        return f'<p style="text-align:center"><img src="/documents/anh-{n}.jpg" /></p><p class="image-caption"><em>{caption}</em></p>'
    if platform == "baochinhphu":
        return (f'<figure class="VCSortableInPreviewMode" type="Photo"><div><img src="/upload/anh-{n}.jpg" /></div>'
                f'<figcaption class="PhotoCMS_Caption"><p>{caption}</p></figcaption></figure>')
    return f'<figure><img src="/img/anh-{n}.jpg" /><figcaption>{caption}</figcaption></figure>'


def render_body(platform: str, paragraphs: list[str], captions: list[dict], first_index: int) -> str:
    """Body paragraphs with the captioned images placed after their paragraph."""
    after: dict[int, list[str]] = {}
    for n, caption in enumerate(captions):
        after.setdefault(int(caption.get("after_paragraph", 0)), []).append(_figure(platform, caption["text"], n))
    parts = []
    for figure in after.get(first_index - 1, []) if first_index else []:
        parts.append(figure)
    for i, paragraph in enumerate(paragraphs, start=first_index):
        parts.append(f"<p>{html.escape(paragraph)}</p>")
        parts.extend(after.get(i, []))
    return "\n".join(parts)


def render_article(site: SampleSite, article: dict, index: int) -> str:
    platform = site.platform
    paragraphs = article["text"].split("\n\n")
    has_lead = platform in ("liferay", "baochinhphu", "generic")
    lead, body_paragraphs = (paragraphs[0], paragraphs[1:]) if has_lead else ("", paragraphs)
    body = render_body(platform, body_paragraphs, article.get("captions", []), 1 if has_lead else 0)
    others = [a for a in site.articles if a is not article and a not in _hidden(site)][:3]
    other = "".join(f'<li><a href="{_link(site, a)}">{html.escape(a["title"])}</a></li>' for a in others)
    author = html.escape(article.get("author") or "")
    if platform == "vnportal":
        byline = f'<p style="text-align: right;"><strong>{author}</strong></p>' if author else ""
        content = template("vnportal_article").substitute(
            title=html.escape(article["title"]), slug=slugify(article["title"]), body=body, byline=byline,
            date_line=date_line(platform, article.get("published_at"), index), site_label=site.name, other=other)
    else:
        content = template(f"{platform}_article").substitute(
            title=html.escape(article["title"]), slug=slugify(article["title"]), body=body,
            lead=html.escape(lead), author=author, other=other,
            date_line=date_line(platform, article.get("published_at"), index))
        if not author:
            content = re.sub(r'<[^>]+class="(?:the-article-author|detail-author)"[^>]*>[^<]*</div>', "", content)
            content = content.replace('<p class="post-writer" style="text-align:right"><b></b></p>', "")
    canonical = f'<link rel="canonical" href="{html.escape(site.local_url(article))}" />'
    return page(site, content, article["title"], og_type="article", head_links=canonical)


def page(site: SampleSite, content: str, title: str, og_type: str = "website", charset: bool = True,
         head_links: str = "") -> str:
    side = "".join(f'<li><a href="{_link(site, a)}">{html.escape(a["title"])}</a></li>' for a in site.articles[:3])
    return template(f"{site.platform}_page").substitute(
        content=content, page_title=html.escape(title), site_label=site.name, og_title=html.escape(title),
        og_type=og_type, side=side, head_links=head_links,
        charset_meta='<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />' if charset else "",
        offsite_url=f"http://localhost:{site.port}/lien-ket-website",
    )


def _hidden(site: SampleSite) -> list[dict]:
    """Articles reachable only through the sitemap or the RSS feed, not through listings."""
    return [site.roles[r] for r in ("sitemap_only", "rss_only") if r in site.roles]


def _link(site: SampleSite, article: dict) -> str:
    """How listings link an article (old URLs and tracking parameters are traps)."""
    if article is site.roles.get("redirect_chain"):
        return f"/web/guest/tin-cu?id={parse_qs(urlsplit(article['url']).query)['id'][0]}"
    return article_path(article)


def alternate_path(article: dict) -> str:
    """vnPortal also serves an article as /Pages/ChiTiet.aspx?ItemID=<id>; its canonical link says which URL is the one."""
    return "/Pages/ChiTiet.aspx?ItemID=" + re.search(r"(\d+)$", urlsplit(article["url"]).path).group(1)


def listing_pages(site: SampleSite) -> list[list[dict]]:
    visible = [a for a in site.articles if a not in _hidden(site)]
    return [visible[i:i + PAGE_SIZE] for i in range(0, len(visible), PAGE_SIZE)] or [[]]


def listing_url(site: SampleSite, page_no: int) -> str:
    return {"vnportal": f"/tin-tuc-su-kien?page={page_no}" if page_no > 1 else "/tin-tuc-su-kien",
            "liferay": f"/web/guest/tin-tuc?cur={page_no}",
            "baochinhphu": f"/timelinelist/1741/{page_no}.htm",
            "generic": f"/news?page={page_no}"}[site.platform]


def render_listing(site: SampleSite, page_no: int) -> str | None:
    pages = listing_pages(site)
    if not 1 <= page_no <= len(pages):
        return None
    items = []
    for article in pages[page_no - 1]:
        href, title = _link(site, article), html.escape(article["title"])
        if site.platform == "vnportal":
            items.append(f'<li><a href="{href}">{title}</a> <span class="Date">({article.get("published_at", "")[:10]})</span></li>')
        elif site.platform == "liferay":
            items.append(f'<div class="news-item"><a class="title" href="{href}">{title}</a></div>')
        elif site.platform == "baochinhphu":
            items.append(f'<div class="box-stream-item"><a class="box-stream-link-title" href="{href}" title="{title}">{title}</a></div>')
        else:
            items.append(f'<div class="item"><a href="{href}">{title}</a></div>')
    pager = " ".join(f'<a href="{listing_url(site, n)}">{n}</a>' for n in range(1, len(pages) + 1) if n != page_no)
    if page_no < len(pages):
        pager += f' <a class="next btn-viewmore" href="{listing_url(site, page_no + 1)}">Xem thêm</a>'
    content = template(f"{site.platform}_listing").substitute(items="\n".join(items), pager=pager)
    return page(site, content, "Tin tức")


def render_home(site: SampleSite) -> str:
    latest = [a for a in site.articles if a not in _hidden(site)][:2]
    links = []
    for article in latest:
        href = _link(site, article)
        if article is site.roles.get("utm_duplicate"):
            href += "?utm_source=zalo&utm_medium=social&utm_campaign=tin-moi"
        links.append(f'<li><a href="{href}">{html.escape(article["title"])}</a></li>')
    if "alternate_url" in site.roles:  # the same article under the platform's other URL shape
        article = site.roles["alternate_url"]
        links.append(f'<li><a href="{alternate_path(article)}">{html.escape(article["title"])}</a></li>')
    items = "\n".join(links)
    more = f'<a href="{listing_url(site, 1)}">Xem tất cả tin tức</a>'
    if site.platform == "vnportal":
        content = f'<div class="HomeNews"><h2>Tin mới</h2><ul class="ArticleList">{items}</ul>{more}</div>'
    elif site.platform == "baochinhphu":
        content = f'<div class="home-news">{"".join(f"<div class=box-stream-item>{li}</div>" for li in links)}{more}</div>'
    else:
        content = f'<div class="home-news"><ul>{items}</ul>{more}</div>'
    return page(site, content, "Trang chủ")


def render_sitemap(site: SampleSite) -> str:
    urls = "".join(f"<url><loc>{html.escape(site.local_url(a))}</loc><lastmod>{(a.get('published_at') or '')[:10]}</lastmod></url>"
                   for a in site.articles)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def render_rss(site: SampleSite) -> str:
    items = "".join(
        f"<item><title>{html.escape(a['title'])}</title><link>{html.escape(site.local_url(a))}</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(a['published_at'])) if len(a.get('published_at') or '') > 10 else ''}</pubDate></item>"
        for a in site.articles)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{site.name}</title>'
            f"<link>{site.base_url}/</link>{items}</channel></rss>")


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese pages use it: base letters precomposed, tone marks combining."""
    out = []
    tones = "\u0300\u0301\u0303\u0309\u0323"
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out.append(base.encode("cp1258", "xmlcharrefreplace")
                       + "".join(c for c in decomposed if c in tones).encode("cp1258", "xmlcharrefreplace"))
    return b"".join(out)


# -- HTTP -----------------------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    portal: PortalServer
    site: SampleSite
    server_version = "Microsoft-IIS/8.5"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # the portal keeps its own log
        pass

    def do_GET(self) -> None:
        # Logged on arrival (the time politeness is judged by), before the client can see a reply.
        entry = LogEntry(self.site.name, self.headers.get("Host", ""), "GET", self.path, 0, time.monotonic(),
                         self.headers.get("User-Agent", ""),
                         bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")))
        self.portal.record(entry)
        self._entry = entry
        try:
            entry.status = self._route()
        except (BrokenPipeError, ConnectionResetError):
            entry.status = 599  # the client hung up (it stopped reading a too-large body)

    def _route(self) -> int:
        site, path = self.site, self.path
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/robots.txt":
            robots = ROBOTS + (f"Crawl-delay: {site.crawl_delay}\n" if site.crawl_delay else "")
            if site.platform == "liferay":
                robots += f"Sitemap: {site.base_url}/sitemap.xml\n"
            return self._send(200, robots.encode(), "text/plain; charset=utf-8")
        if parts.path in ("/", "/web/guest/home"):
            return self._html(render_home(site))
        if parts.path in STATIC_PAGES or parts.path.startswith("/tag/"):
            return self._html(page(site, f"<p>{STATIC_PAGES.get(parts.path, 'Chủ đề')}</p>", "Thông tin"))
        if parts.path.startswith(DISALLOWED_PREFIXES):
            return self._html(page(site, "<p>Khu vực quản trị</p>", "Quản trị"))
        if site.platform == "liferay" and parts.path == "/sitemap.xml":
            return self._send(200, render_sitemap(site).encode(), "application/xml; charset=utf-8")
        if site.platform == "baochinhphu" and parts.path == "/rss/home.rss":
            return self._send(200, render_rss(site).encode(), "application/rss+xml; charset=utf-8")
        if parts.path.endswith(".pdf") or parts.path == "/DownloadFile.aspx":
            return self._send(200, b"%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF", "application/pdf")
        if parts.path == "/web/guest/video":
            return self._huge()
        if parts.path == "/web/guest/bao-cao":
            return self._send(200, self.portal.gzip_bomb(), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        # Unlinked traps, for the HTTP client's own tests: an endless redirect chain, a redirect off-site.
        if parts.path.startswith("/vong-lap/"):
            return self._redirect(302, f"/vong-lap/{int(parts.path.rsplit('/', 1)[-1]) + 1}")
        if parts.path == "/chuyen-ra-ngoai":
            return self._redirect(302, f"http://localhost:{site.port}/")
        if parts.path == "/web/guest/tin-cu" and "id" in query:
            return self._redirect(301, f"/tin-cu/{query['id'][0]}")
        if parts.path.startswith("/tin-cu/"):
            return self._redirect(302, f"/web/guest/chi-tiet?id={parts.path.rsplit('/', 1)[-1]}")
        if parts.path == "/Pages/ChiTiet.aspx" and "alternate_url" in site.roles \
                and path == alternate_path(site.roles["alternate_url"]):
            return self._article(site.roles["alternate_url"])
        listing = self._listing_page(parts.path, query)
        if listing is not None:
            body = render_listing(site, listing)
            return self._html(body) if body else self._not_found()
        article = site.paths.get(path) or site.paths.get(parts.path)
        if article is not None and (article_path(article) == path):
            return self._article(article)
        return self._not_found()

    def _listing_page(self, path: str, query: dict) -> int | None:
        platform = self.site.platform
        if platform == "vnportal" and path == "/tin-tuc-su-kien":
            return int(query.get("page", ["1"])[0])
        if platform == "liferay" and path == "/web/guest/tin-tuc":
            return int(query.get("cur", ["1"])[0])
        if platform == "generic" and path == "/news":
            return int(query.get("page", ["1"])[0])
        match = re.fullmatch(r"/timelinelist/1741/(\d+)\.htm", path)
        if platform == "baochinhphu" and match:
            return int(match.group(1))
        return None

    def _article(self, article: dict) -> int:
        site = self.site
        if article is site.roles.get("retry_after_503") and self.portal.first_time("503:" + article["id"]):
            return self._send(503, b"Service Unavailable", "text/html", {"Retry-After": "1"})
        index = site.articles.index(article)
        text = render_article(site, article, index)
        if article is site.roles.get("no_charset_cp1258"):
            text = render_article(site, article, index).replace(
                '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />', "")
            return self._send(200, encode_cp1258(text), "text/html", self._validators(article))
        if article is site.roles.get("nfd_page"):
            return self._send(200, unicodedata.normalize("NFD", text).encode("utf-8"),
                              "text/html; charset=utf-8", self._validators(article))
        content_type = "text/html; charset=utf-8"
        if article is site.roles.get("wrong_charset_header"):
            content_type = "text/html; charset=iso-8859-1"
            text = text.replace('<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />', "")
        validators = self._validators(article)
        if self.headers.get("If-None-Match") == validators["ETag"]:
            return self._send(304, b"", None, validators)
        return self._send(200, text.encode("utf-8"), content_type, validators)

    def _validators(self, article: dict) -> dict[str, str]:
        etag = '"' + hashlib.sha1(article["id"].encode()).hexdigest()[:16] + '"'
        published = article.get("published_at") or "2020-01-01"
        stamp = datetime.fromisoformat(published if len(published) > 10 else published + "T00:00:00+07:00")
        return {"ETag": etag, "Last-Modified": format_datetime(stamp, usegmt=False)}

    def _html(self, text: str) -> int:
        return self._send(200, text.encode("utf-8"), "text/html; charset=utf-8")

    def _not_found(self) -> int:
        return self._send(404, page(self.site, "<p>Không tìm thấy trang</p>", "404").encode(), "text/html; charset=utf-8")

    def _redirect(self, status: int, location: str) -> int:
        return self._send(status, b"", None, {"Location": location})

    def _huge(self) -> int:
        """An endless-looking HTML page without Content-Length: the crawler must stop reading."""
        self._entry.status = 200  # set before the reply leaves: tests read the log at once
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        sent = 0
        while sent < HUGE_BYTES:
            self.wfile.write(chunk)
            sent += len(chunk)
        return 200

    def _send(self, status: int, body: bytes, content_type: str | None, headers: dict | None = None) -> int:
        self._entry.status = status
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
        return status


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the sample portal on 127.0.0.1 until interrupted.")
    parser.add_argument("--unseen", action="store_true", help="also serve the unseen-template site")
    args = parser.parse_args()
    with PortalServer(unseen_site=args.unseen) as portal:
        for site in portal.sites:
            print(f"{site.base_url}/\t{site.name}\t{site.platform}\t{len(site.articles)} articles", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
