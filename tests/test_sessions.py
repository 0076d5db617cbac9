"""Follow-up state survives a round trip through any store, and expires."""

from __future__ import annotations

import pytest

from ascc_bot.sessions import MemoryStateStore, SessionState, SessionStore, refer_to_item


def test_session_state_round_trips_through_json():
    state = SessionState(task_section="II.6", agencies=("Sở Y tế",), intent="lead", sections=("II.6.2", "II.6.3"),
                         doc_id="ke-hoach-ascc-hai-phong-2025", turns=2, items=("nhiệm vụ 6", "Mục V"))
    assert SessionState.from_json(state.to_json()) == state


def test_unknown_fields_from_another_version_are_ignored():
    assert SessionState.from_json('{"intent": "lead", "future_field": 1}') == SessionState(intent="lead")


def test_sessions_expire_and_stay_bounded():
    now = [0.0]
    store = MemoryStateStore(max_keys=2, clock=lambda: now[0])
    sessions = SessionStore(store, ttl_s=10)
    sessions.put("web:a", SessionState(intent="lead"))
    assert sessions.get("web:a") == SessionState(intent="lead")
    now[0] = 11
    assert sessions.get("web:a") is None
    for key in ("x", "y", "z"):
        store.put(key, key, 100)
    assert store.get("x") is None and store.get("z") == "z"


def test_a_corrupt_stored_session_starts_afresh():
    store = MemoryStateStore()
    store.put("session:web:a", "{not json", 100)
    assert SessionStore(store).get("web:a") is None


_LISTED = SessionState(agencies=("Sở Kế hoạch và Đầu tư", "Sở Ngoại vụ"), intent="lead", turns=1,
                       items=("năm 2017", "năm 2020", "năm 2025"))


@pytest.mark.parametrize("question, meant", [
    ("mốc đầu tiên thì làm gì?", "năm 2017 thì làm gì?"),
    ("cái cuối cùng là gì?", "Sở Ngoại vụ là gì?"),  # after a list of bodies, "cái" is one of them
    ("Cơ quan được nêu đầu tiên còn làm gì?", "Sở Kế hoạch và Đầu tư còn làm gì?"),
    ("What happens in the second of those years?", "What happens in 2020?"),
    ("Does the first of them also report to the city?", "Does Sở Kế hoạch và Đầu tư also report to the city?"),
    ("And the last one?", "And Sở Ngoại vụ?"),
    # the plan's own numbering, an ordinal of no list, a list too short: unchanged
    ("Nhiệm vụ thứ hai là gì?", "Nhiệm vụ thứ hai là gì?"),
    ("Cuối cùng báo cáo gửi về đâu?", "Cuối cùng báo cáo gửi về đâu?"),
    ("mốc thứ tư là gì?", "mốc thứ tư là gì?"),
    ("What about the former?", "What about Sở Kế hoạch và Đầu tư?"),  # of the two bodies
])
def test_a_place_in_the_last_list_names_that_thing(question, meant):
    assert refer_to_item(question, _LISTED) == meant


def test_no_conversation_no_list():
    assert refer_to_item("cái thứ hai là gì?", None) == "cái thứ hai là gì?"


def test_the_former_or_the_latter_of_more_than_two_names_none():
    three = SessionState(intent="deadline", turns=1, items=("năm 2017", "năm 2020", "năm 2025"))
    assert refer_to_item("What about the latter?", three) == "What about the latter?"
    assert refer_to_item("What about the former?", three) == "What about the former?"


def test_that_department_after_who_advises_the_city_is_the_body_answered(engine):
    """"Ai tham mưu cho UBND thành phố …?" names the city on the way; "sở đó" next is the department answered,
    and what else it does begins with its own item."""
    sid = "sessions-advises-then-that-department"
    engine.ask("Ai tham mưu cho Ủy ban nhân dân thành phố tổ chức sơ kết, tổng kết kế hoạch?", session_id=sid)
    a = engine.ask("Sở đó còn phải làm gì nữa?", session_id=sid)
    assert a.intent == "agency_tasks" and a.citations[0].section_id == "VI.2", a.answer
    assert "Sở Lao động Thương binh và Xã hội" in a.answer and "giám sát" in a.answer, a.answer


def test_what_else_that_department_does_after_the_reporting_chain_starts_with_its_own_item(engine):
    sid = "sessions-reports-then-else"
    engine.ask("Who reports to whom under this plan?", session_id=sid)
    a = engine.ask("And what else does that department have to do?", session_id=sid)
    assert a.intent == "agency_tasks" and a.citations[0].section_id == "VI.2", a.answer


def test_that_resolution_then_another_by_number(engine):
    sid = "sessions-resolution-then-another"
    engine.ask("kế hoạch có nhắc tới nghị quyết 15 không", session_id=sid)
    a = engine.ask("nghị quyết đó nằm trong nhiệm vụ nào, ai thực hiện", session_id=sid)
    assert a.answerable and a.citations[0].section_id == "II.2.1", a.answer
    assert "Sở Lao động Thương binh và Xã hội" in a.answer, a.answer
    a = engine.ask("thế còn nghị quyết 21 thì nói về gì", session_id=sid)  # that document, not the plan
    assert a.intent == "reference" and a.citations[0].section_id == "II.6.1.1", a.answer


def test_where_that_department_forwards_the_reports(engine):
    sid = "sessions-forward-reports"
    engine.ask("Is there an annual reporting deadline for implementing agencies?", session_id=sid)
    engine.ask("Who are those reports sent to?", session_id=sid)
    a = engine.ask("And where does that department forward them after compiling?", session_id=sid)
    assert a.answerable and "Bộ Lao động Thương binh và Xã hội" in a.answer, a.answer


def test_that_year_is_the_year_the_last_question_named():
    from ascc_bot.sessions import SessionState, refer_to_year
    after = SessionState(topic="Năm 2020 có mốc gì?", turns=1)
    assert refer_to_year("Năm đó làm gì?", after) == "Năm 2020 làm gì?"
    assert refer_to_year("nam do ai tong ket", SessionState(topic="nam 2025 co gi", turns=1)) == "nam 2025 ai tong ket"
    assert refer_to_year("Who reports in that year?", after) == "Who reports in 2020?"
    assert refer_to_year("Năm nay làm gì?", after) == "Năm nay làm gì?"  # this year, not that one
    two = SessionState(topic="Giai đoạn 2016 - 2020 và 2021 - 2025?", turns=1)
    assert refer_to_year("Năm đó làm gì?", two) == "Năm đó làm gì?"  # which of them: not guessed


def test_that_year_in_a_conversation(engine):
    engine.ask("Năm 2020 có mốc gì?", session_id="that-year")
    a = engine.ask("Năm đó làm gì?", session_id="that-year")
    assert a.citations[0].section_id == "IV.2" and "Tổ chức sơ kết" in a.answer and "Năm 2017" not in a.answer, a.answer


def test_items_of_the_part_just_listed(engine):
    sid = "part-vi-walk"
    engine.ask("Mục VI gồm mấy khoản?", session_id=sid)
    second = engine.ask("khoản 2 nói gì?", session_id=sid)
    assert second.citations[0].section_id == "VI.2", second.answer
    last = engine.ask("còn khoản cuối cùng?", session_id=sid)
    assert last.citations[0].section_id == "VI.6" and "Ban Tuyên giáo Thành ủy" in last.answer, last.answer


def test_the_last_item_of_the_part_of_the_last_answer(engine):
    sid = "finance-then-last"
    engine.ask("Sở Tài chính phải làm gì?", session_id=sid)
    a = engine.ask("What about the last item?", session_id=sid)
    assert a.citations[0].section_id == "VI.6", a.answer


def test_the_points_of_the_last_turns_task(engine):
    sid = "points-of-task-6"
    engine.ask("Who leads task 6?", session_id=sid)
    a = engine.ask("How many points does its content part have?", session_id=sid)
    assert a.citations[0].section_id == "II.6.1" and "2 points" in a.answer, a.answer
