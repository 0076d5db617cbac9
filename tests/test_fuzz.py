"""Property-based and fuzz tests where outside input reaches a parser, each bounded in examples and time.

- the legal and the plan parsers: any text parses, and every non-blank line lands in exactly one section;
- diacritic folding and normalising: no exception, and idempotent;
- the question reader: ``engine.ask`` on arbitrary text answers or refuses in words, never raises;
- the HTTP API: schemathesis over the real app's /openapi.json, no 5xx, responses as the schema says.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from ascc_bot.corpus import DocumentMeta, RawDocument, SourceLine
from ascc_bot.engine import QuestionError
from ascc_bot.legal import parse_legal
from ascc_bot.sections import parse_document, parse_plan
from ascc_bot.server import build_app
from ascc_bot.text import clean_line, fold, normalize


def bounded(examples: int) -> hyp_settings:
    """A fixed number of examples, the same ones every run (CI stays reproducible), nothing stored."""
    return hyp_settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                               HealthCheck.filter_too_much, HealthCheck.data_too_large])

# Lines that look like the documents' own: headings of both layouts, bullets, Vietnamese words, noise.
HEADINGS = st.sampled_from([
    "I. MỤC TIÊU", "II. NHIỆM VỤ", "1. Triển khai", "6.2. Cơ quan thực hiện: Sở Y tế", "a) Nội dung", "- Gạch đầu dòng",
    "Chương I", "CHƯƠNG II QUY ĐỊNH CHUNG", "Mục 1. Phạm vi", "Điều 1. Phạm vi điều chỉnh", "Điều 2:", "1. Khoản",
    "đ) Điểm", "PHỤ LỤC I", "Phần thứ nhất", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "Căn cứ Luật",
    "QUYẾT ĐỊNH:", "Số: 12/QĐ-UBND", "", "   ", "IV.", "10.", "z) không phải điểm", "Điều 5a. Sửa đổi"])
WORDS = st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), max_size=60)
LINES = st.lists(st.one_of(HEADINGS, WORDS, st.builds(lambda h, w: f"{h} {w}", HEADINGS, WORDS)), max_size=60)


def raw(lines: list[str]) -> RawDocument:
    meta = DocumentMeta(doc_id="mau", file="mau.txt", short_title="Mẫu", title="Văn bản mẫu")
    source = tuple(SourceLine(i, c) for i, line in enumerate(lines, start=1) if (c := clean_line(line)))
    return RawDocument(meta, source, hashlib.sha256("\n".join(lines).encode()).hexdigest())


@pytest.mark.parametrize("parser", [parse_legal, parse_plan, parse_document], ids=["legal", "plan", "detected"])
@bounded(300)
@given(lines=LINES)
def test_parsers_place_every_line_once(parser, lines):
    document = raw(lines)
    if document.lines:
        placed = sorted(n for s in parser(document).sections for n in s.lines)
        assert placed == [line.number for line in document.lines]


@bounded(500)
@given(st.text(max_size=200))
def test_folding_and_normalising_are_idempotent(text):
    folded = fold(text)
    assert fold(folded) == folded
    normal = normalize(text)
    assert normalize(normal) == normal


QUESTIONISH = st.one_of(
    st.text(max_size=300),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from([
        "Sở nào chủ trì", "hạn báo cáo", "nhiệm vụ 6", "co quan phoi hop", "Who leads task", "Mục II.6.2", "so y te",
        "còn cơ quan phối hợp thì sao?", "\u0000", "Điều 3"]), st.text(max_size=80)),
)


@bounded(100)
@given(QUESTIONISH)
def test_any_question_is_answered_or_refused_in_words(engine, question):
    try:
        answer = engine.ask(question, "fuzz:session")
    except QuestionError as exc:
        assert str(exc)  # empty or too long: a message for the person
        return
    assert answer.answer.strip() and answer.intent and 0 <= answer.confidence <= 1
    assert answer.answerable == bool(answer.citations)
    for c in answer.citations:
        assert engine.section(c.doc_id, c.section_id) is not None


# ---------------------------------------------------------------- the HTTP API against its own schema


@pytest.fixture(scope="module")
def api_schema(engine, settings, tmp_path_factory):
    # no rate limits in the way of a few hundred requests from one client
    cfg = replace(settings, data_dir=tmp_path_factory.mktemp("fuzz-data"), api_rate_limit_per_minute=0,
                  feedback_rate_limit_per_minute=0)
    return schemathesis.openapi.from_asgi("/openapi.json", build_app(cfg, engine))


def test_api_matches_its_schema_and_never_fails(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/ask", "/api/feedback", "/api/search", "/healthz"}
    for operation in operations:

        @bounded(30)
        @given(case=operation.as_strategy())
        def call(case) -> None:
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, content_type_conformance])

        call()
