"""The Telegram bot: the real python-telegram-bot Application against a fake Bot API server
on 127.0.0.1, in polling mode and as a webhook route of the served app."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from ascc_bot import cli
from ascc_bot.server import build_app
from ascc_bot.sessions import MemoryStateStore
from bots.commands import BotServices
from bots.common import Span, line, split_lines, to_messages, utf16_len, webhook_secret
from bots.telegram_bot import ANSWER_TTL_S, ANSWERS_KEPT, SECRET_HEADER, WEBHOOK_PATH, TelegramBot, TelegramPlatform

from conftest import LiveServer, PollingDoor, free_port
from fake_telegram import BOT_ID, BOT_USERNAME, TOKEN, FakeTelegram, parse_html

QUESTION = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"
SECRET = "test-secret_123"
FOLLOW_UP = "còn cơ quan phối hợp thì sao?"


@pytest.fixture(scope="module")
def telegram(engine, settings, tmp_path_factory) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        bot_settings = replace(settings, telegram_token=TOKEN, telegram_base_url=f"{fake.url}/bot",
                               data_dir=tmp_path_factory.mktemp("telegram-data"))
        with PollingDoor(TelegramPlatform(bot_settings, poll_timeout=1), bot_settings, engine):
            fake.wait_calls("getUpdates")
            yield fake


def plain(message: dict) -> str:
    return message["text"]


def buttons(message: dict) -> list[dict]:
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def test_commands_are_registered_and_start_explains(telegram: FakeTelegram) -> None:
    call = telegram.wait_calls("setMyCommands")[0]
    names = {c["command"] for c in call.params["commands"]}
    assert {"start", "help", "hoi", "nhiemvu", "hanchot", "muc"} <= names
    telegram.push_text(101, "/start")
    reply = telegram.wait_sent(101)[0]
    parse_html(reply["html"])
    assert "/hoi" in plain(reply) and "/nhiemvu" in plain(reply) and "/muc" in plain(reply)
    assert QUESTION in plain(reply)


def test_question_is_answered_in_html_with_citations_and_buttons(telegram: FakeTelegram) -> None:
    telegram.push_text(102, QUESTION)
    reply = telegram.wait_sent(102)[0]
    text, entities = parse_html(reply["html"])  # what Telegram's parser would accept
    assert text == plain(reply)
    for name in ("Sở Y tế", "Bảo hiểm Xã hội Hải Phòng", "Sở Lao động Thương binh và Xã hội"):
        assert name in text
    citation_lines = [ln for ln in text.split("\n") if ln.startswith("Nguồn: ")]
    assert citation_lines and citation_lines[0].startswith("Nguồn: Mục II, điểm 6.2")
    assert any(e["type"] == "bold" for e in entities)
    keyboard = buttons(reply)
    assert {"text": "Xem Mục II, điểm 6.2", "callback_data": "sec:0:II.6.2"} in keyboard
    assert all(len(b["callback_data"].encode()) <= 64 for b in keyboard)
    typing = telegram.calls_of("sendChatAction", chat_id=102)
    assert typing and typing[0].params["action"] == "typing"
    sent = telegram.calls_of("sendMessage", chat_id=102)
    assert typing[0].at <= sent[0].at


def test_follow_up_uses_the_chat_as_session(telegram: FakeTelegram) -> None:
    telegram.push_text(103, QUESTION)
    telegram.wait_sent(103, 1)
    telegram.push_text(103, FOLLOW_UP)
    follow = telegram.wait_sent(103, 2)[1]
    first_line = plain(follow).split("\n")[0]
    assert "phối hợp" in first_line and "nhiệm vụ 6" in first_line and "Mục II, điểm 6.3" in first_line
    assert buttons(follow)[0]["callback_data"] == "sec:0:II.6.3"
    # another chat has no such context
    telegram.push_text(104, FOLLOW_UP)
    other = telegram.wait_sent(104)[0]
    assert "nhiệm vụ 6" not in plain(other).split("\n")[0]


def test_button_expands_the_section_in_place_and_folds_it_back(telegram: FakeTelegram) -> None:
    telegram.push_text(105, QUESTION)
    answer = telegram.wait_sent(105)[0]
    original = plain(answer)
    telegram.push_callback(105, answer, "sec:0:II.6.2")
    telegram.wait_calls("editMessageText", chat_id=105)
    expanded = telegram.sent(105)[0]
    assert len(telegram.sent(105)) == 1  # edited, not a new message
    parse_html(expanded["html"])
    assert plain(expanded).startswith(original)
    assert "Kế hoạch ASCC Hải Phòng, Mục II, điểm 6.2" in plain(expanded)[len(original):]
    assert any(e["type"] == "blockquote" for e in expanded["entities"])
    assert {"text": "Thu gọn Mục II, điểm 6.2", "callback_data": "sec:0:II.6.2"} in buttons(expanded)
    telegram.wait_calls("answerCallbackQuery")
    telegram.push_callback(105, expanded, "sec:0:II.6.2")
    telegram.wait_calls("editMessageText", 2, chat_id=105)
    assert plain(telegram.sent(105)[0]) == original


def test_button_of_a_forgotten_answer_sends_the_section(telegram: FakeTelegram) -> None:
    """After a restart the bot no longer holds the answer's text: it shows the section below instead."""
    telegram.push_text(116, "/help")
    shown = telegram.wait_sent(116)[0]
    telegram.push_callback(116, shown, "sec:0:II.6.3")
    section = telegram.wait_sent(116, 2)[1]
    assert plain(section).startswith("Kế hoạch ASCC Hải Phòng, Mục II, điểm 6.3\n")
    telegram.push_callback(116, shown, "sec:7:II.99")
    telegram.wait_for(lambda: any(c.params.get("show_alert") for c in telegram.calls_of("answerCallbackQuery")))


def test_section_command_and_unknown_id(telegram: FakeTelegram) -> None:
    telegram.push_text(106, "/muc II.6.2")
    shown = telegram.wait_sent(106)[0]
    assert plain(shown).startswith("Kế hoạch ASCC Hải Phòng, Mục II, điểm 6.2\n")
    assert "Cơ quan thực hiện: Sở Y tế; Bảo hiểm Xã hội Hải Phòng" in plain(shown)
    telegram.push_text(106, "/muc IX.9")
    unknown = plain(telegram.wait_sent(106, 2)[1])
    assert "Không có mục «IX.9»" in unknown and "II.6.2" in unknown and "GIẢI PHÁP THỰC HIỆN" in unknown


def test_long_section_is_split_at_line_boundaries(telegram: FakeTelegram, engine) -> None:
    section = engine.section("ke-hoach-ascc-hai-phong-2025", "V")
    assert len(section.text) > 4096  # a real section longer than one Telegram message
    telegram.push_text(107, "/muc V")
    telegram.wait_sent(107, 2)
    time.sleep(0.3)  # let any further part arrive
    parts = telegram.sent(107)
    assert len(parts) >= 2
    for part in parts:
        parse_html(part["html"])
        assert utf16_len(part["html"]) <= 4096
    lines = [ln for part in parts for ln in plain(part).split("\n")]
    paragraphs = [text for block in section.blocks for text in block.text.split("\n")]
    assert lines == ["Kế hoạch ASCC Hải Phòng, Mục V", f"V. {section.title}", *paragraphs]  # whole, in order


def test_deadlines_list_each_with_its_citation(telegram: FakeTelegram) -> None:
    telegram.push_text(108, "/hanchot")
    reply = telegram.wait_sent(108)[0]
    parse_html(reply["html"])
    text = plain(reply)
    assert "trước ngày 01 tháng 12 hàng năm, gửi về Sở Lao động Thương binh và Xã hội (Nguồn: Mục VI, khoản 1)" in text
    for year in ("Năm 2017", "Năm 2020", "Năm 2025"):
        milestone = next(ln for ln in text.split("\n") if year + ":" in ln)
        assert milestone.endswith("(Nguồn: Mục IV, khoản 2)")


@pytest.mark.parametrize(("chat", "name", "expected"), [
    (109, "so y te", "Nhiệm vụ của Sở Y tế"),
    (110, "LĐTBXH", "Nhiệm vụ của Sở Lao động Thương binh và Xã hội"),
])
def test_agency_tasks_accept_unaccented_names_and_abbreviations(telegram: FakeTelegram, chat: int, name: str,
                                                               expected: str) -> None:
    telegram.push_text(chat, f"/nhiemvu {name}")
    reply = telegram.wait_sent(chat)[0]
    assert plain(reply).startswith(expected)
    assert buttons(reply)


def test_agency_tasks_unknown_name(telegram: FakeTelegram) -> None:
    telegram.push_text(111, "/nhiemvu Sở Xây dựng")
    assert "không nêu cơ quan nào tên «Sở Xây dựng»" in plain(telegram.wait_sent(111)[0])


def test_groups_answer_only_commands_mentions_and_replies(telegram: FakeTelegram) -> None:
    group = -2001
    telegram.push_text(group, "Hạn gửi báo cáo là khi nào?", chat_type="group", user_id=7)
    telegram.push_text(group, "/hoi Hạn gửi báo cáo là khi nào?", chat_type="group", user_id=7)
    first = telegram.wait_sent(group)[0]
    assert "trước ngày 01 tháng 12" in plain(first)
    telegram.push_text(group, f"@{BOT_USERNAME} Sở Y tế phải làm gì?", chat_type="group", user_id=7)
    assert "Sở Y tế" in plain(telegram.wait_sent(group, 2)[1])
    bot_message = {k: v for k, v in first.items() if k != "html"}
    assert bot_message["from"]["id"] == BOT_ID
    telegram.push_text(group, "còn cơ quan phối hợp thì sao?", chat_type="group", user_id=7, reply_to=bot_message)
    telegram.wait_sent(group, 3)
    telegram.push_text(group, "cảm ơn mọi người", chat_type="group", user_id=8)
    telegram.push_text(group, "/hoi Kinh phí thực hiện kế hoạch lấy từ đâu?", chat_type="group", user_id=8)
    telegram.wait_sent(group, 4)
    time.sleep(0.3)
    assert len(telegram.sent(group)) == 4  # the plain group messages got no reply


def test_question_length_is_capped(telegram: FakeTelegram) -> None:
    telegram.push_text(112, "Sở Y tế " * 200)
    assert "Câu hỏi quá dài" in plain(telegram.wait_sent(112)[0])


def test_sticker_gets_a_short_reply(telegram: FakeTelegram) -> None:
    telegram.push_sticker(113)
    assert "chỉ đọc được tin nhắn chữ" in plain(telegram.wait_sent(113)[0])


def test_rate_limit_answers_politely_and_keeps_running(telegram: FakeTelegram) -> None:
    chat = 114
    start = time.monotonic()
    for i in range(50):
        telegram.push_text(chat, f"Hạn gửi báo cáo là khi nào? ({i})")
        time.sleep(0.02)
    assert time.monotonic() - start < 10
    telegram.push_text(115, "/start")  # updates are handled in order: this reply means all 50 were
    telegram.wait_sent(115, timeout=30)
    replies = [plain(m) for m in telegram.sent(chat)]
    assert len(replies) == 21
    assert sum("trước ngày 01 tháng 12" in r for r in replies) == 20
    assert "tối đa 20 câu mỗi phút" in replies[-1]


# ---------------------------------------------------------------- splitting, directly


def test_splitter_keeps_lines_whole() -> None:
    lines = [f"Dòng {i}: " + "nội dung kế hoạch " * (i % 7 + 1) for i in range(200)]
    text = "\n".join(lines)
    assert len(text) > 5000
    parts = split_lines(lines, 4096)
    assert len(parts) >= 2
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert [ln for p in parts for ln in p.split("\n")] == lines


def test_splitter_cuts_an_over_long_line_without_breaking_html() -> None:
    long_quote = "«" + "Sở Y tế & Bảo hiểm Xã hội <Hải Phòng> " * 140 + "»"
    assert len(long_quote) > 5000
    parts = to_messages([line(Span("Mục V", "b")), line("Nguồn: ", Span(long_quote, "i"))], "html", 4096)
    assert len(parts) >= 2
    texts = [parse_html(p)[0] for p in parts]  # each part is valid HTML on its own
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert " ".join(" ".join(t.split()) for t in texts) == " ".join(f"Mục V\nNguồn: {long_quote}".split())


# ---------------------------------------------------------------- webhook inside `ascc-bot serve`


@pytest.fixture(scope="module")
def webhook(engine, settings) -> Iterator[tuple[FakeTelegram, str]]:
    with FakeTelegram() as fake:
        served = replace(settings, telegram_token=TOKEN, telegram_base_url=f"{fake.url}/bot",
                         telegram_webhook_url="https://ascc.example.vn/webhooks/telegram",
                         telegram_secret="test-secret_123")
        with LiveServer(build_app(served, engine), free_port()) as server:
            yield fake, server.url
        assert fake.calls_of("setWebhook")


def update_for(fake: FakeTelegram, chat_id: int, text: str) -> dict:
    return {"update_id": 900000 + chat_id, "message": fake.user_message(chat_id, text)}


def test_webhook_is_registered_with_a_secret(webhook) -> None:
    fake, _ = webhook
    call = fake.wait_calls("setWebhook")[0]
    assert call.params["url"] == "https://ascc.example.vn/webhooks/telegram"
    assert call.params["secret_token"] == "test-secret_123"
    assert fake.calls_of("setMyCommands")


def test_webhook_with_the_right_secret_is_answered(webhook) -> None:
    fake, url = webhook
    r = httpx.post(url + WEBHOOK_PATH, json=update_for(fake, 201, QUESTION),
                   headers={SECRET_HEADER: "test-secret_123"})
    assert r.status_code == 200
    reply = fake.wait_sent(201)[0]
    assert "Sở Y tế" in plain(reply) and buttons(reply)


@pytest.mark.parametrize("headers", [{SECRET_HEADER: "wrong-secret"}, {}], ids=["wrong", "missing"])
def test_webhook_without_the_right_secret_is_refused(webhook, headers: dict) -> None:
    fake, url = webhook
    r = httpx.post(url + WEBHOOK_PATH, json=update_for(fake, 202, QUESTION), headers=headers)
    assert r.status_code == 403
    time.sleep(0.3)
    assert fake.sent(202) == []


def test_derived_secret_is_stable_and_hides_the_token() -> None:
    secret = webhook_secret(TOKEN, "", "ASCC_TELEGRAM_SECRET")
    assert secret == webhook_secret(TOKEN, "", "ASCC_TELEGRAM_SECRET")
    assert TOKEN.split(":")[1] not in secret and secret.isalnum() and 8 <= len(secret) <= 256
    with pytest.raises(ValueError):
        webhook_secret(TOKEN, "no spaces allowed", "ASCC_TELEGRAM_SECRET")


def test_serve_with_a_malformed_token_exits_2(engine, settings, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_app(replace(settings, telegram_token="not-a-token", telegram_webhook_url="https://x.vn/webhooks/telegram"),
                  engine)
    assert exit_info.value.code == 2
    assert "ASCC_TELEGRAM_TOKEN" in capsys.readouterr().err


# ---------------------------------------------------------------- command line


@pytest.mark.parametrize(("token", "message"), [("", "Thiếu ASCC_TELEGRAM_TOKEN"),
                                                ("12345", "không đúng dạng"),
                                                ("123456:ABC DEF", "không đúng dạng")])
def test_cli_missing_or_malformed_token(monkeypatch, capsys, token: str, message: str) -> None:
    monkeypatch.setenv("ASCC_TELEGRAM_TOKEN", token)
    assert cli.main(["telegram", "--polling"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_cli_rejected_token(monkeypatch, capsys) -> None:
    with FakeTelegram() as fake:
        monkeypatch.setenv("ASCC_TELEGRAM_TOKEN", "654321:ZYX-wrong-token-abcdefghijklmnop")
        monkeypatch.setenv("ASCC_TELEGRAM_BASE_URL", f"{fake.url}/bot")
        assert cli.main(["telegram", "--polling"]) == 2
    err = capsys.readouterr().err.strip()
    assert "Telegram từ chối ASCC_TELEGRAM_TOKEN" in err and "\n" not in err


# ---------------------------------------------------------------- a failed setWebhook, and replicas


def test_a_failed_set_webhook_is_retried_and_the_route_answers_503_meanwhile(engine, settings, monkeypatch):
    from bots import door

    monkeypatch.setattr(door, "RETRY_FIRST_S", 0.1)
    with FakeTelegram() as fake:
        fake.failing["setWebhook"] = (502, "Bad Gateway")
        served = replace(settings, telegram_token=TOKEN, telegram_base_url=f"{fake.url}/bot",
                         telegram_webhook_url="https://ascc.example.vn/webhooks/telegram", telegram_secret=SECRET)
        with LiveServer(build_app(served, engine), free_port()) as server:
            fake.wait_calls("setWebhook", 3)  # 0.1 s, 0.2 s, … apart
            r = httpx.post(server.url + WEBHOOK_PATH, json=update_for(fake, 301, QUESTION),
                           headers={SECRET_HEADER: SECRET})
            assert r.status_code == 503 and "chưa sẵn sàng" in r.json()["detail"] and r.headers["retry-after"]
            del fake.failing["setWebhook"]  # Telegram is back
            fake.wait_for(lambda: fake.webhook.get("url") == "https://ascc.example.vn/webhooks/telegram")
            deadline = time.monotonic() + 10
            while (r := httpx.post(server.url + WEBHOOK_PATH, json=update_for(fake, 302, QUESTION),
                                   headers={SECRET_HEADER: SECRET})).status_code == 503:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert r.status_code == 200
            assert "Sở Y tế" in plain(fake.wait_sent(302)[0])


def test_sent_answers_live_in_a_shared_state_store_with_a_time_to_live(engine, settings):
    """Two replicas behind one webhook address share a StateStore: a button pressed under an answer that
    replica A sent is expanded in place by replica B; after the time to live it is forgotten."""
    now = [1000.0]
    state = MemoryStateStore(clock=lambda: now[0])
    with FakeTelegram() as fake:
        served = replace(settings, telegram_token=TOKEN, telegram_base_url=f"{fake.url}/bot",
                         telegram_webhook_url="https://ascc.example.vn/webhooks/telegram", telegram_secret=SECRET)
        with LiveServer(build_app(served, engine, state=state), free_port()) as a, \
                LiveServer(build_app(served, engine, state=state), free_port()) as b:
            fake.wait_calls("setWebhook", 2)
            headers = {SECRET_HEADER: SECRET}
            for server in (a, b):  # until both have registered
                fake.wait_for(lambda s=server: httpx.post(s.url + WEBHOOK_PATH, json={"update_id": 1},
                                                          headers=headers).status_code != 503)
            assert httpx.post(a.url + WEBHOOK_PATH, json=update_for(fake, 303, QUESTION), headers=headers).is_success
            answer = {k: v for k, v in fake.wait_sent(303)[0].items() if k != "html"}  # as Telegram delivers it
            original = plain(answer)
            key = f"telegram:303:answer:{answer['message_id']}"
            deadline = time.monotonic() + 5
            while state.get(key) is None:  # stored right after Telegram confirmed the message
                assert time.monotonic() < deadline, f"{key} never stored"
                time.sleep(0.02)
            callback = {"update_id": 990001, "callback_query": {
                "id": "cb-303", "chat_instance": "ci", "data": "sec:0:II.6.2", "message": answer,
                "from": {"id": 303, "is_bot": False, "first_name": "Cán bộ"}}}
            assert httpx.post(b.url + WEBHOOK_PATH, json=callback, headers=headers).is_success
            fake.wait_for(lambda: "Mục II, điểm 6.2" in plain(fake.sent(303)[0])[len(original):])
            assert len(fake.sent(303)) == 1  # edited in place by the other replica
            now[0] += ANSWER_TTL_S + 1  # two days later: the answer is forgotten, the section comes as a new message
            callback["update_id"] += 1
            callback["callback_query"]["id"] = "cb-303b"
            assert httpx.post(b.url + WEBHOOK_PATH, json=callback, headers=headers).is_success
            section = fake.wait_sent(303, 2)[1]
            assert plain(section).startswith("Kế hoạch ASCC Hải Phòng, Mục II, điểm 6.2\n")


def test_a_chats_remembered_answers_are_bounded(engine, settings):
    bot = TelegramBot(engine, settings, BotServices(state=MemoryStateStore()))
    for message_id in range(1, ANSWERS_KEPT + 11):
        bot._remember(77, message_id, f"<b>{message_id}</b>", [("sec:0:II.6.2", "Mục II, điểm 6.2")], None)
    assert bot._recall(77, 10) is None  # older than the last ANSWERS_KEPT
    assert bot._recall(77, ANSWERS_KEPT + 10) == (f"<b>{ANSWERS_KEPT + 10}</b>", [("sec:0:II.6.2", "Mục II, điểm 6.2")],
                                                   None)
