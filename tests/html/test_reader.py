"""Page → article on the three platform templates of the sample portal, with and without profiles."""

from __future__ import annotations

import unicodedata

import pytest
from bs4 import BeautifulSoup

from extractor.demo import load_portal_module
from extractor.html import parse_page, read_article
from extractor.html.encoding import decode_body
from extractor.html.profiles import choose_profile, load_common
from extractor.html.reader import ParsedPage

portal_module = load_portal_module()
PORTAL = portal_module.PortalServer(unseen_site=True)  # never started: only its renderers are used
PROFILE_OF_PLATFORM = {"vnportal": "vnportal", "liferay": "liferay_dnict", "baochinhphu": "baochinhphu",
                       "generic": None}
CASES = [(site, article, i) for site in PORTAL.sites for i, article in enumerate(site.articles)]
IDS = [f"{site.platform}-{article['id']}" for site, article, _ in CASES]


def _fold(text: str) -> str:
    """Whitespace runs (no-break spaces included) as one space: HTML does not keep them apart."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


def _html(site, article, index) -> str:
    return portal_module.render_article(site, article, index)


def _local_url(site, article) -> str:
    return "http://127.0.0.1:8000" + portal_module.article_path(article)


@pytest.mark.parametrize(("site", "article", "index"), CASES, ids=IDS)
def test_profile_reader_gets_every_field_exactly(site, article, index):
    page = parse_page(_html(site, article, index), _local_url(site, article))
    assert (page.profile.name if page.profile else None) == PROFILE_OF_PLATFORM[site.platform]
    assert page.is_article()
    got = page.article()
    assert got.title == article["title"]
    assert got.published_at == article["published_at"]
    assert got.author == article.get("author")
    assert got.text == _fold(article["text"])
    assert got.captions == [c["text"] for c in article.get("captions", [])]
    if site.platform in ("liferay", "baochinhphu"):
        assert got.lead == _fold(article["text"]).split("\n\n")[0]  # "(Hanoi.gov.vn) - " stripped


@pytest.mark.parametrize(("site", "article", "index"), CASES, ids=IDS)
def test_generic_reader_alone_does_well_on_every_template(site, article, index):
    """What a portal on an unknown platform gets: no profile at all, meta → JSON-LD → density."""
    soup = BeautifulSoup(_html(site, article, index), "lxml")
    page = ParsedPage(_local_url(site, article), soup, None, load_common())
    assert page.is_article()
    got = page.article()
    assert got.title == article["title"]
    assert got.published_at == article["published_at"]
    assert got.text == _fold(article["text"])


def test_profile_is_chosen_by_host_before_fingerprints():
    soup = BeautifulSoup("<html><body><p>trống</p></body></html>", "lxml")
    assert choose_profile(soup, "https://doson.haiphong.gov.vn/tin-tuc-su-kien/a-1").name == "vnportal"
    assert choose_profile(soup, "https://www.danang.gov.vn/web/guest/chi-tiet?id=1").name == "liferay_dnict"
    assert choose_profile(soup, "https://unknown.example.vn/") is None


@pytest.mark.parametrize("platform", ["vnportal", "liferay", "baochinhphu"])
def test_listing_and_home_pages_are_not_articles(platform):
    site = next(s for s in PORTAL.sites if s.platform == platform)
    for html in (portal_module.render_listing(site, 1), portal_module.render_home(site)):
        page = parse_page(html, "http://127.0.0.1:8000/")
        links = page.links()
        assert not page.is_article()
        assert any(link.kind == "article" for link in links)


def test_links_are_classified_by_the_profile():
    site = next(s for s in PORTAL.sites if s.platform == "baochinhphu")
    kinds = {link.url: link.kind for link in parse_page(portal_module.render_listing(site, 1),
                                                        "http://127.0.0.1:8000/timelinelist/1741/1.htm").links()}
    assert kinds["http://127.0.0.1:8000/rss/home.rss"] == "feed"
    assert kinds["http://127.0.0.1:8000/timelinelist/1741/2.htm"] == "listing"
    assert kinds["http://127.0.0.1:8000" + portal_module.article_path(site.articles[0])] == "article"


@pytest.mark.parametrize(("line", "expected"), [
    ("Thứ Sáu, 22/05/2020 08:33", "2020-05-22T08:33:00+07:00"),
    ("Thời gian: 11/05/2022 12:15", "2022-05-11T12:15:00+07:00"),
    ("Đăng ngày 21-05-2023 16:55, Lượt xem: 23", "2023-05-21T16:55:00+07:00"),
    ("04:43 CH | 10/07/2026", "2026-07-10T16:43:00+07:00"),
    ("03/04/2020 | 10:36 PM", "2020-04-03T22:36:00+07:00"),
])
def test_visible_date_lines_near_the_title(line, expected):
    html = (f"<html><body><div class='top'><span>{line}</span></div><h1>Hội nghị giao ban công tác tháng</h1>"
            f"<div class='noi-dung'>{'<p>Nội dung cuộc họp được ghi lại đầy đủ tại đây.</p>' * 8}</div></body></html>")
    assert read_article(html).published_at == expected


def test_meta_and_json_ld_dates_win_and_are_shown_in_vietnam_time():
    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Họp",'
            '"datePublished": "2020-05-22T01:33:00Z", "author": {"name": "Phương Trang"}}</script></head>'
            "<body><h1>Họp</h1><p>Chiều 21/5, họp bàn kế hoạch.</p></body></html>")
    article = read_article(html)
    assert article.published_at == "2020-05-22T08:33:00+07:00"
    assert article.author == "Phương Trang"


def test_hidden_comments_scripts_and_bylines_stay_out_of_text():
    html = ("<html><body><h1>Tiêu đề bài viết về cải cách hành chính</h1><div class='content'>"
            "<p>Đoạn một nói về kết quả thực hiện cải cách hành chính trong năm qua của quận.</p>"
            "<!-- <p>Bình luận: ẩn trong chú thích</p> --><script>var x = 'mã';</script>"
            "<p>Đoạn hai nói về phương hướng nhiệm vụ trong thời gian tới của các phường.</p>"
            "<p>Tác giả: Minh Anh</p></div></body></html>")
    article = read_article(html)
    assert article.paragraphs == ["Đoạn một nói về kết quả thực hiện cải cách hành chính trong năm qua của quận.",
                                  "Đoạn hai nói về phương hướng nhiệm vụ trong thời gian tới của các phường."]
    assert article.author == "Minh Anh"


def test_encodings_declared_wrong_missing_or_decomposed():
    text = "<p>Ủy ban nhân dân quận Đồ Sơn tổ chức hội nghị tổng kết công tác năm</p>" * 5
    legacy = portal_module.encode_cp1258(text)
    assert decode_body(legacy, "text/html") == (text, "cp1258")
    assert decode_body(text.encode("utf-8"), "text/html; charset=iso-8859-1")[0] == text
    nfd = unicodedata.normalize("NFD", text).encode("utf-8")
    assert decode_body(nfd, "text/html; charset=utf-8")[0] == text
    assert decode_body(b'<meta charset="windows-1258">' + legacy, None)[1] == "cp1258"


def test_generic_reader_drops_an_inline_date_line_and_a_sidebar_summary():
    body = "".join(f"<p>Đoạn {i}: nội dung về kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội.</p>"
                   for i in range(6))
    html = ("<html><body><h1>Tổng kết công tác năm của Ủy ban nhân dân quận</h1>"
            f"<div class='noidung'><p>Cập nhật: 09/01/2026 09:40</p>{body}</div>"
            "<div class='box'><p class='summary'>Tóm tắt của một bài khác trong cột bên phải của trang.</p></div>"
            "</body></html>")
    article = read_article(html)
    assert article.published_at == "2026-01-09T09:40:00+07:00"
    assert article.lead is None
    assert article.paragraphs[0].startswith("Đoạn 0") and len(article.paragraphs) == 6


def test_liferay7_profile_keeps_header_fields_out_of_the_body():
    """hochiminhcity.gov.vn puts title, date and summary inside the journal article element."""
    html = ("<html><body><div class='journal-content-article'><div class='title-divvv'>Họp báo định kỳ quý II</div>"
            "<div class='sp-dislaydate'>10/07/2026 16:43</div><div class='text-summary'>Sáng nay, thành phố họp báo.</div>"
            "<p>Nội dung thứ nhất của cuộc họp báo.</p><p>Nội dung thứ hai của cuộc họp báo.</p></div></body></html>")
    article = read_article(html, "https://hochiminhcity.gov.vn/-/hop-bao-dinh-ky-quy-ii")
    assert article.title == "Họp báo định kỳ quý II"
    assert article.published_at == "2026-07-10T16:43:00+07:00"
    assert article.text == "Sáng nay, thành phố họp báo.\n\nNội dung thứ nhất của cuộc họp báo.\n\nNội dung thứ hai của cuộc họp báo."
