"""The small typed values that stages hand each other and doors render."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Citation:
    doc_id: str
    section_id: str
    heading: str  # "Kế hoạch ASCC Hải Phòng, Mục II, điểm 6.2"
    label: str  # "Mục II, điểm 6.2"
    quote: str  # verbatim document text
    url: str


@dataclass(frozen=True)
class Answer:
    answer: str
    answerable: bool
    intent: str
    citations: tuple[Citation, ...]
    confidence: float
    answer_id: str = ""
    lang: str = "vi"
    suggestions: tuple[str, ...] = ()  # follow-up questions about the same task or agency

    def to_dict(self) -> dict:
        data = asdict(self)
        data["citations"] = [asdict(c) for c in self.citations]
        data["suggestions"] = list(self.suggestions)
        return data


@dataclass(frozen=True)
class SearchResult:
    doc_id: str
    section_id: str
    heading: str
    text: str
    score: float
