"""Where the issuer comes from when the title does not name it in full: the organ's full name on
a line of its own (落款, a plan's cover), the organ a rule says interprets it; else nothing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest import parse_file
from render import DATA, Para, render_pdf
from test_metadata import BODY

OFFICE = DATA / "office_files"


def test_a_title_that_leaves_out_the_province_gets_it_from_the_signature(tmp_path: Path) -> None:
    paras = [Para("示教办发〔2021〕38号", 15, "center", 0),
             Para("省教育厅关于进一步加强高等学校", 21, "center", 0, 24),
             Para("教学管理工作的通知", 21, "center", 0),
             Para("各高等学校：", 15, "justify", 0, 14), *BODY,
             Para("河西省教育厅", 15, "right", 0, 30), Para("2021年10月27日", 15, "right", 0)]
    (doc,) = parse_file(render_pdf(tmp_path / "notice.pdf", paras).path)
    assert doc.title == "省教育厅关于进一步加强高等学校教学管理工作的通知"
    assert (doc.issuer, doc.date) == ("河西省教育厅", dt.date(2021, 10, 27))


def test_without_a_full_name_in_the_text_the_title_issuer_stays(tmp_path: Path) -> None:
    paras = [Para("示教办发〔2021〕38号", 15, "center", 0),
             Para("省教育厅关于加强教学管理工作的通知", 21, "center", 0, 24),
             Para("各高等学校：", 15, "justify", 0, 14), *BODY,
             Para("2021年10月27日", 15, "right", 0, 30)]
    (doc,) = parse_file(render_pdf(tmp_path / "notice.pdf", paras).path)
    assert doc.issuer == "省教育厅"


def attachment(closing: str) -> list[Para]:
    return [Para("附件", 16, "left", 0), Para("示例燃料目录", 20, "center", 0, 20),
            Para("一、为改善城市空气质量，根据有关法律规定，制定本目录。"),
            Para("二、本目录所指燃料是需要强化管理的燃料，仅适用于禁燃区的管理。"), Para(closing)]


def test_an_attachment_alone_is_issued_by_the_organ_that_interprets_it(tmp_path: Path) -> None:
    (doc,) = parse_file(render_pdf(tmp_path / "att.pdf",
                                   attachment("三、本目录由示例部负责解释。")).path)
    assert (doc.title, doc.issuer, doc.extra["attachment"]) == ("示例燃料目录", "示例部", "附件")


def test_an_attachment_that_names_no_organ_has_no_issuer(tmp_path: Path) -> None:
    (doc,) = parse_file(render_pdf(tmp_path / "att.pdf",
                                   attachment("三、本目录自发布之日起实施。")).path)
    assert doc.issuer is None


@pytest.mark.skipif(not OFFICE.is_dir(), reason="../shared/data/office_files is absent")
def test_real_attachment_names_its_interpreting_ministry() -> None:
    (doc,) = parse_file(OFFICE / "Fungwingwaa+cee" / "gwrrlml.pdf")
    assert (doc.title, doc.issuer) == ("高污染燃料目录", "环境保护部")
