"""Small hand-built Documents for the index tests, and the reference bulletin as ingest parses it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from index import Index, create_index, setup_analysis
from ingest.model import BulletinInfo, Document, Passage, Section

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_5452a5bf9b53dca5.txt"
BULLETIN_ID = "gaige-kuaibao-2021-12"

def reference_bulletin() -> Document:
    """《改革快报》2021年第12期（总第38期）, parsed from the seed text by the real parser."""
    from ingest import parse_file

    (doc,) = parse_file(SEED)
    return replace(doc, doc_id=BULLETIN_ID)


def make_doc(doc_id: str, title: str, paragraphs: list[str], doc_type: str = "policy",
             **meta: object) -> Document:
    """A document whose paragraphs are passages p1, p2, … of one preamble section."""
    passages = tuple(Passage(id=f"p{i}", text=t) for i, t in enumerate(paragraphs, 1))
    return Document(doc_id=doc_id, title=title, doc_type=doc_type,
                    sections=(Section("", 0, passages),), **meta)


def small_corpus() -> list[Document]:
    """Six documents with known contents, metadata and dates."""
    return [
        make_doc("pol-a", "关于加强产业工人队伍建设的通知",
                 ["为加强产业工人队伍建设，现就有关事项通知如下。",
                  "各地要推进厂务公开，开好职代会。",
                  "请于年底前报送工作情况。"],
                 kind="通知", issuer="云南省总工会", doc_number="云工发〔2021〕12号",
                 date=dt.date(2021, 3, 5)),
        make_doc("pol-b", "关于推进集体协商工作的意见",
                 ["产业工人积极参与职工队伍建设，推进集体协商。",
                  "完善工资集体协商机制，保障职工权益。"],
                 kind="意见", issuer="大理州总工会", doc_number="大工发[2020]3号",
                 date=dt.date(2020, 11, 20)),
        make_doc("bul-a", "首届白州工匠评选活动启动",
                 ["首届“白州工匠”评选等活动在全州展开，充分发挥“两微一端”平台作用。"],
                 doc_type="bulletin", kind="简报", issuer="大理州总工会", date=dt.date(2022, 4, 1),
                 bulletin=BulletinInfo(name="工作简报", year=2022, number=3)),
        make_doc("oth-x", "网页脚本测试",
                 ["<script>alert(1)</script> 网页里的产业工人 & 工会"],
                 doc_type="other"),
        make_doc("pol-c", "政务新媒体管理办法",
                 ["深化放管服改革，全面推行双随机、一公开监管。",
                  "政务新媒体包括网站和“两微一端”等平台。"],
                 kind="办法", issuer="国务院办公厅", doc_number="国办发〔2019〕3号",
                 date=dt.date(2019, 7, 1)),
        make_doc("bul-b", "劳动竞赛工作简报",
                 ["全州开展劳动竞赛。",
                  "农业合作社发展良好。",
                  "劳动竞赛和技能大赛并举，劳动竞赛覆盖各行业，劳动竞赛成效显著。",
                  "职工书屋建设稳步推进。",
                  "继续组织劳动竞赛，提升职工技能。"],
                 doc_type="bulletin", kind="简报", issuer="云南省总工会", date=dt.date(2021, 8, 9),
                 bulletin=BulletinInfo(name="改革快报", year=2021, number=5, total_number=31)),
    ]


@dataclass(frozen=True)
class ExplodingDocument(Document):
    """A document that fails while it is being indexed (it cannot be serialized)."""

    def to_dict(self) -> dict:
        raise RuntimeError("document unreadable")


def build_index(folder: Path, docs: Iterable[Document]) -> Index:
    """A real index on disk in folder holding docs (the caller closes it)."""
    setup_analysis()
    index = create_index(folder)
    index.add_documents(docs)
    return index
