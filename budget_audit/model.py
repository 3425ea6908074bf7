"""The document model: what an ingester saw, with no interpretation.

Frozen-ish dataclasses shared by every layer. Pages are 1-based. An ingester fills a
:class:`Document` with pages, paragraphs (prose in reading order) and tables (raw cell
text, row by row, in source order, with the title, 单位名称 line and unit line found
around the table). Recognition (``budget_audit.recognise``) turns this into meaning.

Cell text ``None`` means "covered by a merged neighbour" (PDF ruling says so); ``""``
means the cell exists and is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


@dataclass(frozen=True, slots=True)
class Cell:
    text: str | None
    page: int | None = None
    bbox: BBox | None = None


@dataclass(slots=True)
class RawRow:
    cells: list[Cell]
    page: int | None = None

    @property
    def texts(self) -> list[str]:
        return [c.text or "" for c in self.cells]


@dataclass(slots=True)
class Table:
    """One logical table, possibly spanning pages (the ingester joins the pieces)."""

    id: str  # "T1", "T2", ... in document order
    title: str
    rows: list[RawRow]
    pages: list[int] = field(default_factory=list)
    unit_line: str | None = None  # e.g. "单位：百元"; None when the document prints none
    org_line: str | None = None  # e.g. "单位名称：XX局" / "编制单位：XX局"
    notes: list[str] = field(default_factory=list)  # text printed under the table
    title_page: int | None = None
    bboxes: dict[int, BBox] = field(default_factory=dict)  # page -> table area
    source: str | None = None  # the file it came from (documents may span two files)

    @property
    def first_page(self) -> int | None:
        return self.title_page or (self.pages[0] if self.pages else None)


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    text: str
    page: int | None = None
    bbox: BBox | None = None
    source: str | None = None


@dataclass(slots=True)
class Page:
    number: int
    width: float = 0.0
    height: float = 0.0
    text: str = ""


@dataclass(slots=True)
class Document:
    path: str  # the first source file; a display name for the whole document
    format: str  # "pdf" or "text"
    pages: list[Page] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # Extraction notes: what the ingester could not do (one line each, Chinese).
    extraction_notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding or a fact sits. Every field is optional; the more the better."""

    file: str | None = None
    page: int | None = None
    table: str | None = None  # table id, e.g. "T5"
    table_title: str | None = None
    row: int | None = None  # 1-based body row number within the table
    row_label: str | None = None
    column: str | None = None
    paragraph: int | None = None
    text: str | None = None  # the sentence or cell text
    bbox: BBox | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in self.__slots__:  # type: ignore[attr-defined]
            value = getattr(self, name)
            if value is not None:
                out[name] = list(value) if name == "bbox" else value
        return out

    def describe(self, lang: str = "zh") -> str:
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"第{self.page}页" if lang == "zh" else f"p.{self.page}")
        if self.table_title:
            parts.append(f"《{self.table_title}》")
        if self.row_label:
            parts.append(
                f"行「{self.row_label}」" if lang == "zh" else f"row '{self.row_label}'"
            )
        if self.column:
            parts.append(
                f"列「{self.column}」" if lang == "zh" else f"column '{self.column}'"
            )
        if self.paragraph is not None and not self.table:
            parts.append(
                f"第{self.paragraph}段" if lang == "zh" else f"para {self.paragraph}"
            )
        return " ".join(parts)
