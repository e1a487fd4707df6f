"""Image captions stay out of `text` and come back in the record's `captions`, whatever the markup:
caption classes, <figcaption>, caption cells, and vnPortal's class-less italic paragraph after an image."""

from __future__ import annotations

import pytest

import extractor
from extractor.demo import load_portal_module
from extractor.normalize import normalize_text

from ..conftest import assert_valid_record

BODY_1 = "Sáng 14/3, UBND quận Lê Chân tổ chức hội nghị tổng kết công tác năm 2023 với 120 đại biểu dự."
BODY_2 = "Năm qua, quận đã giải quyết 12.345 hồ sơ đúng hạn, đạt 98,5% kế hoạch đề ra."
BODY_3 = "Chiều cùng ngày, đoàn công tác kiểm tra tiến độ xây dựng 3 trường học tại phường Dư Hàng Kênh."


def page(*parts: str) -> str:
    return ('<html><head><title>Tin</title></head><body><h1>Quận Lê Chân tổng kết năm 2023</h1>'
            '<div class="news-content">' + "".join(parts) + "</div></body></html>")


CAPTIONED = [
    # vnPortal: a centred image paragraph, then the caption centred and in italics, no class.
    ('<p style="text-align:center"><img src="/Upload/a.jpg" alt="" /></p>'
     '<p style="text-align: center;"><em>Ảnh minh họa: Quang cảnh hội nghị tổng kết.</em></p>',
     "Ảnh minh họa: Quang cảnh hội nghị tổng kết."),
    ('<p style="text-align:center"><img src="/Upload/b.jpg" /></p><p><i>Đồng chí Chủ tịch UBND quận phát biểu.</i></p>',
     "Đồng chí Chủ tịch UBND quận phát biểu."),
    ('<p style="text-align:center"><img src="/Upload/c.jpg" /><br/><em>Các đại biểu dự hội nghị.</em></p>',
     "Các đại biểu dự hội nghị."),
    ("<p><em>Ảnh: Minh Anh</em></p>", "Ảnh: Minh Anh"),
    ('<figure><img src="d.jpg" /><figcaption>Đại biểu tham quan gian trưng bày</figcaption></figure>',
     "Đại biểu tham quan gian trưng bày"),
    ('<table align="center"><tr><td><img src="e.jpg" /></td></tr><tr><td class="caption">Toàn cảnh buổi lễ</td></tr></table>',
     "Toàn cảnh buổi lễ"),
]


@pytest.mark.parametrize("markup, caption", CAPTIONED, ids=["vnportal", "italic-after-image", "same-paragraph",
                                                            "credit", "figcaption", "caption-cell"])
def test_captions_leave_the_text_for_the_captions_field(markup, caption, record_validator):
    record = extractor.extract_html(page(f"<p>{BODY_1}</p>", markup, f"<p>{BODY_2}</p>"))
    assert record.text == f"{BODY_1}\n\n{BODY_2}"
    data = record.to_dict()
    assert data["captions"] == [caption]
    assert_valid_record(data, record_validator)


def test_emphasis_or_centring_alone_is_no_caption():
    kept = [
        "<p><em>Đây là đoạn in nghiêng giữa bài, không đứng sau ảnh.</em></p>",
        '<p style="text-align:center"><img src="a.jpg" /></p><p style="text-align:center">Năm 2024, quận phấn đấu '
        "giải quyết 15.000 hồ sơ.</p>",
    ]
    record = extractor.extract_html(page(f"<p>{BODY_1}</p>", *kept, f"<p>{BODY_3}</p>"))
    assert "in nghiêng giữa bài" in record.text and "15.000 hồ sơ" in record.text
    assert "captions" not in record.to_dict()  # written only when a page has some


def test_text_records_carry_no_captions_field():
    assert "captions" not in extractor.extract_text(BODY_1).to_dict()


def test_sample_portal_captions_reach_the_record():
    portal = load_portal_module()
    server = portal.PortalServer(unseen_site=True)  # never started: only its renderers are used
    checked = 0
    for site in server.sites:
        for index, article in enumerate(site.articles):
            record = extractor.extract_html(portal.render_article(site, article, index))
            expected = [normalize_text(" ".join(c["text"].split())) for c in article.get("captions", [])]
            assert record.captions == expected, article["id"]
            for caption in expected:
                assert caption not in record.text
            checked += bool(expected)
    assert checked
