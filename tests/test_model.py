"""The Document contract: citations and the JSON round trip the index relies on."""
from __future__ import annotations

import datetime as dt

import pytest

from ingest.model import BulletinInfo, Document, Passage, Reference, Section, Source


def _bulletin() -> Document:
    office = "云南省新时期产业工人队伍建设改革工作协调领导小组办公室"
    passage = Passage("p3", "结合实际……", page=2, section_path=("二、在推进改革上做到“五个聚焦”",))
    return Document(
        doc_id="b", title="大理州高位推动，系统谋划 以典型引领全面推进改革", doc_type="bulletin",
        kind="快报", date=dt.date(2021, 6, 22), issuer=office,
        bulletin=BulletinInfo("改革快报", 2021, 12, 38, office),
        sections=(Section("二、在推进改革上做到“五个聚焦”", 1, (passage,)),),
        recipients={"报": ("省委改革办",), "送": ("各州市", "各成员单位")},
        references=(Reference("大理州企业民主管理工作意见"), Reference("某通知", "国办发〔2019〕6号")),
        source=Source("/data/b.pdf", "pdf", "ab" * 32), extra={"policy_measures": "24"})


def test_bulletin_citation_names_issue_date_and_page() -> None:
    doc = _bulletin()
    (passage,) = doc.passages()
    assert doc.citation(passage) == (
        "《改革快报》2021年第12期（总第38期），《大理州高位推动，系统谋划 以典型引领全面推进改革》，"
        "云南省新时期产业工人队伍建设改革工作协调领导小组办公室，2021年6月22日，第2页")


def test_policy_citation_nests_title_marks() -> None:
    doc = Document(doc_id="p", title="关于印发《企业民主管理工作意见》的通知", doc_type="policy",
                   issuer="示例州总工会", doc_number="示工发〔2020〕15号", date=dt.date(2020, 5, 18))
    assert doc.citation() == ("《关于印发〈企业民主管理工作意见〉的通知》，示工发〔2020〕15号，"
                              "示例州总工会，2020年5月18日")


def test_to_dict_round_trips() -> None:
    doc = _bulletin()
    data = doc.to_dict()
    assert data["references"] == ["大理州企业民主管理工作意见", "某通知"]
    assert data["bulletin"] == {"name": "改革快报", "year": 2021, "number": 12,
                                "total_number": 38, "office": doc.issuer}
    assert data["date"] == "2021-06-22"
    assert Document.from_dict(data) == doc


def test_unknown_doc_type_is_refused() -> None:
    with pytest.raises(ValueError, match="doc_type"):
        Document(doc_id="x", title="t", doc_type="memo")
