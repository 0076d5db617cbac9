"""The Zalo bot against a fake Zalo Bot API server on 127.0.0.1: long polling, the webhook
route of the served app, wrapped and bare payloads, stickers, long replies, rate limits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from ascc_bot import cli
from ascc_bot.server import build_app
from bots.zalo_bot import SECRET_HEADER, WEBHOOK_PATH, ZaloPlatform, unwrap

from conftest import LiveServer, PollingDoor, free_port
from fake_zalo import TOKEN, FakeZalo

QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"
FOLLOW_UP = "còn cơ quan phối hợp thì sao?"
SECRET = "zalo-test-secret"


@pytest.fixture(scope="module")
def zalo(engine, settings, tmp_path_factory) -> Iterator[FakeZalo]:
    with FakeZalo() as fake:
        fake.webhook = {"url": "https://old.example.vn/webhooks/zalo", "secret_token": "old"}  # left by a webhook run
        bot_settings = replace(settings, zalo_token=TOKEN, zalo_base_url=fake.url,
                               data_dir=tmp_path_factory.mktemp("zalo-data"))
        with PollingDoor(ZaloPlatform(bot_settings, poll_timeout=1), bot_settings, engine):
            fake.wait_calls("getUpdates")
            yield fake
        assert fake.calls_of("deleteWebhook")


def test_polling_answers_in_plain_text_with_citation_lines(zalo: FakeZalo) -> None:
    zalo.push(zalo.event("u1", QUESTION))
    reply = zalo.wait_sent("u1")[0]
    for name in ("Sở Y tế", "Bảo hiểm Xã hội Hải Phòng", "Sở Lao động Thương binh và Xã hội"):
        assert name in reply
    assert "<" not in reply and "&amp;" not in reply  # plain text, no HTML
    assert "\nNguồn: Mục II, điểm 6.2 (Kế hoạch ASCC Hải Phòng)" in reply
    typing = zalo.calls_of("sendChatAction", chat_id="u1")
    assert typing and typing[0].params["action"] == "typing"
    assert typing[0].at <= zalo.calls_of("sendMessage", chat_id="u1")[0].at


def test_polling_follow_up(zalo: FakeZalo) -> None:
    zalo.push(zalo.event("u2", QUESTION))
    zalo.push(zalo.event("u2", FOLLOW_UP))
    follow = zalo.wait_sent("u2", 2)[1]
    first_line = follow.split("\n")[0]
    assert "phối hợp" in first_line and "nhiệm vụ 6" in first_line and "Mục II, điểm 6.3" in first_line


def test_sticker_gets_a_short_reply(zalo: FakeZalo) -> None:
    zalo.push(zalo.event("u3", event_name="message.sticker.received"))
    assert "chỉ đọc được tin nhắn chữ" in zalo.wait_sent("u3")[0]


def test_reply_over_2000_characters_is_split_at_lines(zalo: FakeZalo, engine) -> None:
    section = engine.section("ke-hoach-ascc-hai-phong-2025", "II.6")
    full = "\n".join([section.title] + [s.text for s in engine.document(section.doc_id).descendants("II.6")])
    assert len(full) > 2000
    zalo.push(zalo.event("u4", "/muc II.6"))
    zalo.wait_sent("u4", 2)
    time.sleep(0.3)
    parts = zalo.sent("u4")
    assert len(parts) >= 2 and all(len(p) <= 2000 for p in parts)
    lines = [ln for p in parts for ln in p.split("\n")]
    assert lines[0] == "Kế hoạch ASCC Hải Phòng, Mục II, khoản 6"
    paragraphs = [t for s in engine.document(section.doc_id).descendants("II.6") for b in s.blocks
                  for t in b.text.split("\n")]
    assert [ln for ln in lines if ln in paragraphs] == paragraphs  # every paragraph whole, in order


def test_commands_work_as_text(zalo: FakeZalo) -> None:
    zalo.push(zalo.event("u5", "/nhiemvu LĐTBXH"))
    assert zalo.wait_sent("u5")[0].startswith("Nhiệm vụ của Sở Lao động Thương binh và Xã hội")
    zalo.push(zalo.event("u5", "/hanchot"))  # the duties may take more than one message: wait for the dates
    assert zalo.wait_for(lambda: any("trước ngày 01 tháng 12 hàng năm" in m for m in zalo.sent("u5")), 10)


def test_rate_limit(zalo: FakeZalo) -> None:
    for i in range(25):
        zalo.push(zalo.event("u6", f"Hạn gửi báo cáo là khi nào? {i}"))
    zalo.push(zalo.event("u7", "/help"))  # handled in order: this reply means all 25 were
    zalo.wait_sent("u7", timeout=30)
    replies = zalo.sent("u6")
    assert len(replies) == 21
    assert "tối đa 20 câu mỗi phút" in replies[-1]


def test_unwrap_accepts_bare_and_wrapped_updates() -> None:
    bare = {"event_name": "message.text.received", "message": {"text": "x"}}
    assert unwrap(bare) == bare
    assert unwrap({"ok": True, "result": bare}) == bare
    assert unwrap({"ok": True}) is None and unwrap([1]) is None


# ---------------------------------------------------------------- webhook inside `ascc-bot serve`


@pytest.fixture(scope="module")
def webhook(engine, settings) -> Iterator[tuple[FakeZalo, str]]:
    with FakeZalo() as fake:
        served = replace(settings, zalo_token=TOKEN, zalo_base_url=fake.url, zalo_secret=SECRET,
                         zalo_webhook_url="https://ascc.example.vn/webhooks/zalo")
        app = build_app(served, engine)
        with LiveServer(app, free_port()) as server:
            server.app = app
            yield fake, server


def test_webhook_is_registered_with_a_secret(webhook) -> None:
    fake, _ = webhook
    call = fake.wait_calls("setWebhook")[0]
    assert call.params == {"url": "https://ascc.example.vn/webhooks/zalo", "secret_token": SECRET}


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "wrapped"])
def test_webhook_with_the_secret_is_answered(webhook, wrapped: bool) -> None:
    fake, server = webhook
    url = server.url
    chat = f"w-{wrapped}"
    update = fake.event(chat, QUESTION)
    r = httpx.post(url + WEBHOOK_PATH, json={"ok": True, "result": update} if wrapped else update,
                   headers={SECRET_HEADER: SECRET})
    assert r.status_code == 200
    assert "Nguồn: Mục II, điểm 6.2" in fake.wait_sent(chat)[0]


def test_webhook_sticker(webhook) -> None:
    fake, server = webhook
    url = server.url
    r = httpx.post(url + WEBHOOK_PATH, json=fake.event("w-sticker", event_name="message.sticker.received"),
                   headers={SECRET_HEADER: SECRET})
    assert r.status_code == 200
    assert "chỉ đọc được tin nhắn chữ" in fake.wait_sent("w-sticker")[0]


@pytest.mark.parametrize("headers", [{SECRET_HEADER: "wrong-secret"}, {}], ids=["wrong", "missing"])
def test_webhook_without_the_right_secret_is_refused(webhook, headers: dict) -> None:
    fake, server = webhook
    url = server.url
    r = httpx.post(url + WEBHOOK_PATH, json=fake.event("w-bad", QUESTION), headers=headers)
    assert r.status_code == 403
    time.sleep(0.3)
    assert fake.sent("w-bad") == []


def test_chat_questions_are_logged_with_their_channel(webhook) -> None:
    """The question log sees chat doors too: the channel, the words as typed, the answer given."""
    from ascc_bot.feedback import Filters

    fake, server = webhook
    r = httpx.post(server.url + WEBHOOK_PATH, json=fake.event("w-log", "/nhiemvu so y te"),
                   headers={SECRET_HEADER: SECRET})
    assert r.status_code == 200
    fake.wait_sent("w-log")
    store = server.app.state.feedback_store
    deadline = time.monotonic() + 5
    while store.channel_counts(Filters()).get("zalo", 0) < 1:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    row = store.db.rows("SELECT channel, question, answer, answerable FROM questions "
                        "WHERE question = '/nhiemvu so y te'")[0]
    assert (row["channel"], row["answerable"]) == ("zalo", 1) and row["answer"].startswith("Nhiệm vụ của Sở Y tế")


# ---------------------------------------------------------------- command line


@pytest.mark.parametrize(("token", "message"), [("", "Thiếu ASCC_ZALO_TOKEN"), ("abc:def", "không đúng dạng")])
def test_cli_missing_or_malformed_token(monkeypatch, capsys, token: str, message: str) -> None:
    monkeypatch.setenv("ASCC_ZALO_TOKEN", token)
    assert cli.main(["zalo", "--polling"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_cli_rejected_token(monkeypatch, capsys) -> None:
    with FakeZalo() as fake:
        monkeypatch.setenv("ASCC_ZALO_TOKEN", "1234567890:wrongwrongwrongwrongwrongwrong")
        monkeypatch.setenv("ASCC_ZALO_BASE_URL", fake.url)
        assert cli.main(["zalo", "--polling"]) == 2
    err = capsys.readouterr().err.strip()
    assert "Zalo từ chối ASCC_ZALO_TOKEN" in err and "\n" not in err


def test_webhook_queue_is_bounded_and_refuses_beyond_it(engine, settings, monkeypatch):
    """While the one worker is held up, updates wait in a queue of QUEUE_MAX; the next is refused with a
    503 (Zalo can deliver it again) instead of memory growing, and the waiting ones are all answered."""
    from bots import zalo_bot

    monkeypatch.setattr(zalo_bot, "QUEUE_MAX", 2)
    with FakeZalo() as fake:
        served = replace(settings, zalo_token=TOKEN, zalo_base_url=fake.url, zalo_secret=SECRET,
                         zalo_webhook_url="https://ascc.example.vn/webhooks/zalo")
        with LiveServer(build_app(served, engine), free_port()) as server:
            fake.wait_calls("setWebhook")
            fake.pause("sendChatAction")  # Zalo slow to answer: the worker waits on the first message

            def post(chat: str):
                return httpx.post(server.url + WEBHOOK_PATH, json=fake.event(chat, QUESTION),
                                  headers={SECRET_HEADER: SECRET})

            deadline = time.monotonic() + 10
            while (first := post("q-1")).status_code == 503:  # until the webhook is registered
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert first.status_code == 200
            fake.wait_calls("sendChatAction", chat_id="q-1")  # the worker holds q-1; the queue is empty
            assert [post(c).status_code for c in ("q-2", "q-3")] == [200, 200]
            refused = post("q-4")
            assert refused.status_code == 503 and "quá tải" in refused.json()["detail"]
            fake.resume()
            for chat in ("q-1", "q-2", "q-3"):
                assert "Sở Y tế" in fake.wait_sent(chat)[0]
            assert fake.sent("q-4") == []
