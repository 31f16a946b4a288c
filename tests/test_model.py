"""The Document contract: the JSON round trip the index relies on (citations: test_citation)."""
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
