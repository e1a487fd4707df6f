"""The one parser of portal publication lines (shared by the scraper and the pipeline)."""

from __future__ import annotations

import pytest

from extractor.pipeline import Pipeline
from extractor.published import parse_publication_datetime

CASES = [
    ("Thứ Sáu, 22/05/2020 08:33", "2020-05-22T08:33:00+07:00"),
    ("Đăng ngày 09-03-2021 03:04", "2021-03-09T03:04:00+07:00"),
    ("16:43 | 10/07/2026", "2026-07-10T16:43:00+07:00"),
    ("04:43 CH | 10/07/2026", "2026-07-10T16:43:00+07:00"),
    ("10:43 SA | 10/07/2026", "2026-07-10T10:43:00+07:00"),
    ("12:05 SA | 01/01/2020", "2020-01-01T00:05:00+07:00"),
    ("03/04/2020 | 10:36 PM", "2020-04-03T22:36:00+07:00"),
    ("03/04/2020 | 12:10 PM", "2020-04-03T12:10:00+07:00"),
    ("Thời gian: 11/05/2022 12:15", "2022-05-11T12:15:00+07:00"),
    ("Ngày xuất bản: 09/11/2017 2:58:00 CH", "2017-11-09T14:58:00+07:00"),
    ("(20:08 19/12/2018)", "2018-12-19T20:08:00+07:00"),
    ("Cập nhật: Thứ tư, 31/8/2016 | 4:03:24 PM", "2016-08-31T16:03:24+07:00"),
    ("01/02/2021 - 04:37 PM", "2021-02-01T16:37:00+07:00"),
    ("07/12/2021 13:07 GMT+7", "2021-12-07T13:07:00+07:00"),
    ("Thứ Ba, 05/01/2021, 10:00 (GMT+7)", "2021-01-05T10:00:00+07:00"),
    ("Thứ Hai, ngày 22 tháng 5 năm 2020 - 08:15", "2020-05-22T08:15:00+07:00"),
    ("22/5/2020 8h33", "2020-05-22T08:33:00+07:00"),
    ("22.05.2020 08:33", "2020-05-22T08:33:00+07:00"),
    ("2020/05/22 08:33", "2020-05-22T08:33:00+07:00"),
    ("2020-05-22T08:33:00+07:00", "2020-05-22T08:33:00+07:00"),
    ("2020-05-22T01:33:00Z", "2020-05-22T01:33:00+00:00"),
    ("2020-05-22", "2020-05-22"),
    ("Fri, 22 May 2020 01:33:00 +0000", "2020-05-22T01:33:00+00:00"),
    ("Cập nhật ngày 31/8/2016", "2016-08-31"),
    # NFD and a no-break space, as some pages serve them.
    ("Th\u01b0\u0301 Sa\u0301u,\u00a022/05/2020\u00a008:33", "2020-05-22T08:33:00+07:00"),
]


@pytest.mark.parametrize("line,expected", CASES)
def test_portal_formats(line, expected):
    assert parse_publication_datetime(line) == expected


@pytest.mark.parametrize("line", ["Tin khác", "", "31/02/2020 10:00", "Số 123/2020/QĐ-UBND", "Lượt xem: 1.234",
                                  "Hotline 0225.3842.123", None])
def test_lines_without_a_date(line):
    assert parse_publication_datetime(line) is None


def test_a_date_line_as_published_at_anchors_year_less_dates():
    record = Pipeline(components=("dates",)).extract_text("Ngày 28/12, họp.", published_at="Chủ nhật, 03/01/2021 08:00")
    assert record.published_at == "2021-01-03T08:00:00+07:00"
    assert [d.value for d in record.dates] == ["2020-12-28"]
