"""An office's own list of measures (CSV or XLSX: 序号, 文件名称, 发文字号, 出台单位, 出台时间),
read with csv / openpyxl and kept beside the index as measures.json."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Sequence

from index import DeclaredMeasure

FILE_NAME = "measures.json"  # in the index folder
COLUMNS = {"序号": "number", "文件名称": "title", "发文字号": "doc_number", "出台单位": "issuer",
           "出台时间": "date"}
REQUIRED = ("文件名称",)
_HEADER_SCAN = 5  # an office's sheet may have a title row or two above the header
_SAMPLE_WORDS = ("示例", "样例")
_YES = {"是", "示例", "y", "yes", "true", "1", "√"}
MAX_ROWS = 10_000
MAX_BYTES = 20_000_000  # a CSV of 10,000 rows is well under 5 MB


class MeasuresFileError(ValueError):
    """A list of measures that cannot be read; str() is one line naming the file."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _csv_rows(path: Path) -> list[list[str]]:
    if path.stat().st_size > MAX_BYTES:
        raise MeasuresFileError(f"措施清单 {path} 超过 {MAX_BYTES // 1_000_000} MB")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise MeasuresFileError(f"措施清单 {path} 不是 UTF-8 或 GB18030 编码的 CSV 文件")
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise MeasuresFileError(f"措施清单 {path} 不是有效的 CSV 文件") from e


def _xlsx_rows(path: Path) -> list[list[Any]]:
    import openpyxl
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except PermissionError as e:
        raise MeasuresFileError(f"措施清单 {path} 无权读取") from e
    except Exception as e:  # noqa: BLE001 - zipfile, XML and openpyxl each raise their own
        raise MeasuresFileError(f"措施清单 {path} 已损坏或不是 XLSX 文件，无法读取") from e
    try:
        sheet = book.worksheets[0]
        return [list(row) for _, row in zip(range(MAX_ROWS + _HEADER_SCAN + 1),
                                            sheet.iter_rows(values_only=True))]
    except Exception as e:  # noqa: BLE001 - a damaged sheet inside a sound zip
        raise MeasuresFileError(f"措施清单 {path} 的第一张工作表已损坏，无法读取") from e
    finally:
        book.close()


def read_measures_file(path: Path) -> tuple[DeclaredMeasure, ...]:
    """The rows of an office's list of measures; MeasuresFileError naming the file otherwise."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows: list[list[Any]] = _csv_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    else:
        raise MeasuresFileError(f"措施清单 {path} 须为 .csv 或 .xlsx 文件")
    header_at = next((i for i, row in enumerate(rows[:_HEADER_SCAN])
                      if "文件名称" in [_cell(c) for c in row]), None)
    if header_at is None:
        raise MeasuresFileError(f"措施清单 {path} 的前 {_HEADER_SCAN} 行中没有表头"
                                f"（须有列：{'、'.join(COLUMNS)}）")
    header = [_cell(c) for c in rows[header_at]]
    at = {name: header.index(label) for label, name in COLUMNS.items() if label in header}
    flags = [i for i, h in enumerate(header) if h in ("示例", "备注")]
    out = []
    for line, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = [_cell(c) for c in row]
        get = (lambda name: cells[at[name]] if name in at and at[name] < len(cells) else "")
        if not any(cells):
            continue
        if not get("title"):
            raise MeasuresFileError(f"措施清单 {path} 第 {line} 行没有文件名称")
        sample = any(i < len(cells) and (cells[i].lower() in _YES or
                                         any(w in cells[i] for w in _SAMPLE_WORDS))
                     for i in flags)
        out.append(DeclaredMeasure(get("number") or str(len(out) + 1), get("title"),
                                   get("doc_number") or None, get("issuer") or None,
                                   get("date") or None, sample))
    if len(out) > MAX_ROWS:
        raise MeasuresFileError(f"措施清单 {path} 超过 {MAX_ROWS} 行")
    if not out:
        raise MeasuresFileError(f"措施清单 {path} 没有任何条目")
    return tuple(out)


def save_measures(index_path: Path, measures: Sequence[DeclaredMeasure], source: Path) -> Path:
    """Write the list beside the index, atomically (a reader sees the old list or the new)."""
    index_path.mkdir(parents=True, exist_ok=True)
    target = index_path / FILE_NAME
    data = {"source": str(source), "measures": [m.to_dict() for m in measures]}
    fd, tmp = tempfile.mkstemp(dir=index_path, prefix=".measures.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load_measures(index_path: Path) -> tuple[tuple[DeclaredMeasure, ...], str | None]:
    """The declared list saved beside the index, and the file it came from (empty: none)."""
    try:
        data = json.loads((index_path / FILE_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return (), None
    except (OSError, ValueError):
        return (), None  # a damaged list shows as no list; `gongwen ingest --measures` rewrites it
    return tuple(DeclaredMeasure.from_dict(d) for d in data.get("measures", ())), data.get("source")
