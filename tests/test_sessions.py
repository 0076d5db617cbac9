"""Follow-up state survives a round trip through any store, and expires."""

from __future__ import annotations

from ascc_bot.sessions import MemoryStateStore, SessionState, SessionStore


def test_session_state_round_trips_through_json():
    state = SessionState(task_section="II.6", agencies=("Sở Y tế",), intent="lead", sections=("II.6.2", "II.6.3"),
                         doc_id="ke-hoach-ascc-hai-phong-2025", turns=2)
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
