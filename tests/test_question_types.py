"""The answer-type reader held to a table of phrasings: many per type, in every variant (plain,
colloquial, unaccented, abbreviated, typo, English). None of them is a dev question; each asserts what
matters: the answer type, the section cited, and the facts the answer must carry."""

from __future__ import annotations

import pytest

from ascc_bot.text import fold
from ascc_bot.understand import read, section_reference, split_clauses

LĐ = "Sở Lao động Thương binh và Xã hội"


def ids(answer) -> list[str]:
    return [c.section_id for c in answer.citations]


def has(answer, *facts: str) -> bool:
    text = fold(answer.answer)
    return all(fold(f) in text for f in facts)


# (question, intent, a section among the first three citations, facts the answer must contain)
LEAD = [
    ("Việc phòng chống thiên tai được giao cho sở nào?", "II.4.2", ["Sở Khoa học và Công nghệ", "Sở Y tế"]),
    ("Phổ biến kiến thức sở hữu trí tuệ thuộc trách nhiệm của cơ quan nào", "II.8.2", ["Sở Khoa học và Công nghệ"]),
    ("đầu tư y tế cơ sở thì cơ quan nào làm vậy?", "II.6.2", ["Sở Y tế", "Bảo hiểm Xã hội Hải Phòng"]),
    ("quang ba du lich Hai Phong do so nao phu trach", "II.7.2", ["Sở Văn hóa và Thể thao", "Sở Du lịch"]),
    ("Sở nào lo vụ chống ma túy?", "II.4.2", ["Sở Nội vụ"]),
    ("Bảo tồn đa dạng sinh học là việc của ai?", "II.3.2", ["Sở Tài nguyên và Môi trường"]),
    ("Ai đảm nhận việc vận động viện trợ của các tổ chức phi Chính phủ nước ngoài?", "II.10.2",
     ["Sở Kế hoạch và Đầu tư", "Sở Ngoại vụ"]),
    ("Thúc đẩy bình đẳng giới giao cho cơ quan nào thực hiện vậy ạ?", "II.2.2", [LĐ]),
    ("nang cao hieu qua thong tin co so la viec cua nhung so nao", "II.8.2", ["Sở Thông tin và Truyền thông"]),
    ("Xây dựng văn hóa kinh doanh của thành phố do cơ quan nào thưc hiện?", "II.5.2",
     ["Sở Thông tin và Truyền thông", "Sở Giáo dục và Đào tạo"]),
    ("Who is in charge of protecting the marine and coastal environment?", "II.3.2", ["Sở Tài nguyên và Môi trường"]),
    ("Which agencies carry out the health care services task?", "II.6.2", ["Sở Y tế", LĐ]),
]


@pytest.mark.parametrize("question,section,facts", LEAD)
def test_who_carries_out_a_task(engine, question, section, facts):
    a = engine.ask(question)
    assert a.answerable and a.intent == "lead", a.answer
    assert section in ids(a)[:3] and has(a, *facts), (ids(a), a.answer)


ROLE = [
    ("Việc phát triển du lịch làng nghề có giao cho Sở Du lịch không?", "II.7.2", ["Có", "Sở Du lịch"]),
    ("Nhiệm vụ chăm sóc sức khỏe cho người dân có giao cho Sở Tư pháp không?", "II.6.2", ["Không", "Sở Y tế"]),
    ("Ngoại giao văn hóa do Sở Ngoại vụ hay Sở Tư pháp phụ trách?", "II.9.2",
     ["Sở Ngoại vụ có", "Sở Tư pháp không thuộc"]),
    ("Văn hóa văn nghệ là việc của riêng Sở VH&TT hay còn sở nào khác?", "II.7.2", ["Không chỉ", "Sở Du lịch"]),
    ("Is the Department of Justice a coordinating agency for building a cohesive community?", "II.1.3",
     ["Sở Tư pháp"]),
    # English "task … of" is no question about a body's duties when it asks who leads
    ("Is task 6 led by the Department of Health or the Department of Education?", "II.6.2",
     ["Sở Y tế is one of them", "Sở Giáo dục và Đào tạo is not"]),
    ("Is the Department of Education and Training the only body carrying out the dynamic community task?", "II.5.2",
     ["Not only", "Sở Thông tin và Truyền thông"]),
]


@pytest.mark.parametrize("question,section,facts", ROLE)
def test_yes_no_and_either_or_about_a_role(engine, question, section, facts):
    a = engine.ask(question)
    assert a.answerable and a.intent in ("lead", "coordinate"), a.answer
    assert section in ids(a)[:3] and has(a, *facts), (ids(a), a.answer)


def test_a_bare_coordinate_question_is_the_role_not_task_10(engine):
    engine.ask("Sở nào thực hiện nhiệm vụ xây dựng cộng đồng gắn kết?", session_id="types-1")
    a = engine.ask("Ai phối hợp?", session_id="types-1")
    assert a.intent == "coordinate" and ids(a)[0] == "II.1.3" and "Sở Tư pháp" in a.answer


DUTIES = [
    ("Sở Tài chính lo những việc gì?", {"III.1", "VI.3"}, ["cân đối ngân sách"]),
    ("What does the Department of Finance have to do under the plan?", {"III.1", "VI.3"}, []),
    ("Sở KH&ĐT có trách nhiệm gì trong KH?", {"VI.4", "II.10.2"}, ["vận động nguồn hỗ trợ"]),
    ("so y te phai lam nhung gi", {"II.1.2", "II.4.2", "II.6.2"}, []),
    ("Sở VH-TT được giao những nhiệm vụ nào?", {"II.1.2", "II.7.2", "II.9.2"}, []),
]


@pytest.mark.parametrize("question,sections,facts", DUTIES)
def test_what_one_body_must_do(engine, question, sections, facts):
    a = engine.ask(question)
    assert a.answerable and a.intent == "agency_tasks", a.answer
    assert sections <= set(ids(a)) and has(a, *facts), (ids(a), a.answer)


def test_a_bodys_duties_leave_out_other_bodies_duties(engine):
    a = engine.ask("Sở LĐTBXH có nhiệm vụ gì trong kế hoạch?")
    assert {"II.1.2", "II.2.2", "II.4.2", "II.6.2", "VI.2"} <= set(ids(a))
    # "Phối hợp với Sở LĐTBXH" is the Department of Finance's duty; reports sent to it are the senders'
    assert not {"VI.1", "VI.3", "closing"} & set(ids(a))


@pytest.mark.parametrize("question,count", [
    ("Sở LĐTBXH chủ trì mấy nhiệm vụ?", "4"), ("Sở Y tế là cơ quan thực hiện của bao nhiêu nhiệm vụ?", "3"),
    ("How many tasks does the Department of Science and Technology carry out?", "3"),
])
def test_how_many_tasks_a_body_has(engine, question, count):
    a = engine.ask(question)
    assert a.answerable and a.intent == "agency_tasks" and count in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "Hạn nộp báo cáo hằng năm là khi nào?", "báo cáo kết quả hằng năm gửi cho ai, trước ngày nào?",
    "han gui bao cao la ngay nao", "When must departments send their yearly report, and to whom?",
])
def test_the_report_deadline_and_recipient(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "VI.1" and has(a, "01 tháng 12", LĐ), a.answer


@pytest.mark.parametrize("question,facts", [
    ("Kế hoạch có mấy nhiệm vụ?", ["11 khoản", "10 nhiệm vụ"]),
    ("How many parts does the plan have?", ["6 parts"]),
    ("Kế hoạch đặt ra bao nhiêu mục tiêu cụ thể?", ["(Mục tiêu cụ thể) có 4 ý"]),
    ("Liệt kê các nhiệm vụ của kế hoạch", ["chăm sóc sức khỏe", "ngoại giao văn hóa"]),
])
def test_structure_is_counted_on_the_section_tree(engine, question, facts):
    a = engine.ask(question)
    assert a.answerable and a.intent == "structure" and has(a, *facts), a.answer


@pytest.mark.parametrize("question,section,facts", [
    ("Kế hoạch gửi tới những nơi nào?", "closing", ["Bộ LĐTBXH", "UBND các quận, huyện"]),
    ("Who receives the plan?", "closing", ["Ban Tuyên giáo TU"]),
    ("Ai ban hành kế hoạch này?", "preamble", ["Ủy ban nhân dân thành phố Hải Phòng"]),
    ("kế hoạch này nói về cái gì vậy?", "preamble", ["161/QĐ-TTg"]),
    ("Kế hoạch áp dụng ở đâu?", "IV.1", ["toàn thành phố Hải Phòng"]),
    ("Kế hoạch thực hiện đến năm nào?", "IV.2", ["2025"]),
])
def test_questions_about_the_document_itself(engine, question, section, facts):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:3] and has(a, *facts), (ids(a), a.answer)


@pytest.mark.parametrize("question,why", [
    ("Tổng kinh phí thực hiện kế hoạch là bao nhiêu tỷ?", "con số"),
    ("Hải Phòng có bao nhiêu quận?", "con số"),
    ("Ai ký ban hành kế hoạch?", "người ký"),
    ("Giám đốc Sở Y tế hiện nay là ai?", "người ký"),
    ("Kế hoạch số mấy, ban hành ngày nào?", "số hiệu"),
    ("Kết quả thực hiện kế hoạch năm 2020 đạt được những gì?", "kết quả"),
    ("Thủ tục đăng ký kết hôn cần giấy tờ gì?", "không quy định thủ tục"),
    ("lam can cuoc cong dan o dau", "không quy định thủ tục"),
    ("muốn làm căn cước thì liên hệ ở đâu?", "không quy định thủ tục"),
    ("Do I need a visa to visit Hai Phong?", "no procedure"),
    ("lam the nao de dang ky di lam viec o Han Quoc", "không quy định thủ tục"),
    ("Rút bảo hiểm xã hội một lần thì làm ở đâu?", "không quy định thủ tục"),
    ("Does a foreign volunteer need a visa to help with these activities?", "no procedure"),
    ("How long does a work permit take for an NGO worker in Hai Phong?", "no procedure"),
    ("ASEAN gồm bao nhiêu quốc gia thành viên?", "không giới thiệu bản thân ASEAN"),
    ("Lào gia nhập ASEAN năm nào?", "không giới thiệu bản thân ASEAN"),
    ("Name the countries that make up ASEAN.", "do not describe ASEAN itself"),
    ("Where will the next ASEAN summit be held?", "do not describe ASEAN itself"),
    ("Has that target been met yet?", "no results achieved"),
    ("How do I sign up for the volunteer programme?", "no procedure"),
    ("có mẫu báo cáo kết quả không, ai có file gửi mình với", "không quy định thủ tục"),
    ("Kế hoạch ASEAN của tỉnh Quảng Ninh giao sở nào chủ trì?", "Hải Phòng"),
])
def test_what_the_documents_do_not_say_is_refused_with_the_reason(engine, question, why):
    a = engine.ask(question)
    assert not a.answerable and a.intent == "out_of_scope" and a.citations == ()
    assert why in a.answer, a.answer


def test_a_compound_question_answers_every_part(engine):
    a = engine.ask("Nhiệm vụ phát triển du lịch do ai thực hiện và báo cáo gửi đâu, khi nào?")
    assert a.answerable and {"II.7.2", "VI.1"} <= set(ids(a))
    assert has(a, "Sở Du lịch", "01 tháng 12", LĐ)


@pytest.mark.parametrize("question,expanded", [
    ("KH ASCC của TP HP giao Sở VH-TT làm gì?", "Sở Văn hóa và Thể thao"),
    ("BHYT cho ND được KH nhắc thế nào?", "bảo hiểm y tế"),
])
def test_abbreviations_outside_the_gazetteer(engine, question, expanded):
    a = engine.ask(question)
    assert a.answerable and fold(expanded) in fold(a.answer), a.answer


@pytest.mark.parametrize("question,section,facts", [
    ("NV6 ai thực hiện?", "II.6.2", ["Sở Y tế"]),
    ("nv1 thì cơ quan phối hợp là ai", "II.1.3", ["Sở Tư pháp"]),
    ("Who leads task7?", "II.7.2", ["Sở Du lịch"]),
])
def test_a_task_number_typed_against_its_word(engine, question, section, facts):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section and has(a, *facts), a.answer


@pytest.mark.parametrize("question,section", [
    ("NV3 gồm ND gì?", "II.3.1"),
    ("nd cua nv 5 la gi", "II.5.1"),
])
def test_nd_is_a_tasks_contents_where_it_has_a_kind(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section and "người dân gì" not in a.answer, a.answer


def test_nd_as_people_still_reads_người_dân(engine):
    a = engine.ask("BHYT cho ND được KH nhắc thế nào?")
    assert a.answerable and has(a, "người dân"), a.answer


def test_follow_ups_resolve_what_they_refer_to(engine):
    sid = "types-follow"
    engine.ask("Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?", session_id=sid)
    switched = engine.ask("thế còn nhiệm vụ du lịch thì ai làm?", session_id=sid)
    assert ids(switched)[0] == "II.7.2"  # a new topic switches
    engine.ask("Cơ quan nào tổng hợp dự toán kinh phí thực hiện kế hoạch?", session_id=sid)
    that = engine.ask("cơ quan đó còn làm gì nữa?", session_id=sid)
    assert that.intent == "agency_tasks" and "VI.3" in ids(that)  # "cơ quan đó" is Sở Tài chính
    refused = engine.ask("thế còn ngân sách cụ thể bao nhiêu tỷ?", session_id=sid)
    assert not refused.answerable  # the check applies to follow-ups too


def test_english_either_or_needs_one_side_covered(engine):
    # the plan names the state budget, not foreign funding: one side of "or" is enough to answer
    a = engine.ask("Can the plan be funded by foreign organisations, or only by the state budget?")
    assert a.answerable and "III.1" in ids(a)[:3] and has(a, "ngân sách nhà nước"), a.answer


def test_a_part_named_in_english(engine):
    a = engine.ask("What's covered in the 'organisation of implementation' part: which bodies get assignments there?")
    assert a.answerable and all(i.startswith("VI") for i in ids(a)), ids(a)
    a = engine.ask("What does the section on funding say?")
    assert ids(a)[0].startswith("III"), ids(a)


def test_glossed_words_never_join_into_a_bodys_name(engine):
    from ascc_bot.understand import read

    snap = engine.snapshot

    def bodies(question: str) -> tuple[str, ...]:
        return read(question, snap.lexicon, snap.facts, snap.parts).agencies

    # "department" and "plan" glossed side by side are no "Sở Kế hoạch và Đầu tư"
    assert bodies("Which department does the Department of Finance work with in implementing the plan?") == (
        "Sở Tài chính",)
    # while a body named by its field is one name
    assert bodies("What does the education department do in the plan?") == ("Sở Giáo dục và Đào tạo",)


@pytest.mark.parametrize("question,facts", [
    ("Sở Du lịhc phải làm những gì theo kế hoạch nàyy", ["Sở Du lịch"]),
    ("kế hoạch này do ai xây dựngg, theo hướng dẫn cua bộ nào", ["Bộ Lao động Thương binh và Xã hội"]),
])
def test_typing_slips_in_accented_words(engine, question, facts):
    a = engine.ask(question)
    assert a.answerable and has(a, *facts), a.answer


@pytest.mark.parametrize("question,facts", [
    ("Sở nào thực hiện việc bảo vệ môi trườbg biển?", ["Sở Tài nguyên và Môi trường"]),
    ("Ủy ban nhân dân thàng phố giao Sở Tài chính làm gì?", ["kinh phí"]),
])
def test_a_slip_onto_a_neighbouring_key(engine, question, facts):
    a = engine.ask(question)
    assert a.answerable and has(a, *facts), a.answer


def test_a_word_the_documents_lack_is_not_mended_into_one_they_have(engine):
    from ascc_bot.understand import mended_slips

    assert mended_slips("đăng ký kết hôn ở đâu", engine.snapshot.lexicon) == "đăng ký kết hôn ở đâu"


def test_an_english_clause_pointing_back_shares_the_refusal_of_what_it_points_to(engine):
    a = engine.ask("Is there a registration form for clubs wanting a sports subsidy, and where do we file it?")
    assert not a.answerable, a.answer
    a = engine.ask("Which department leads the health care task, and where do departments send their yearly reports?")
    assert a.answerable and has(a, "Sở Y tế", "Sở Lao động Thương binh và Xã hội"), a.answer
    assert "II.6.2" in ids(a) and "VI.1" in ids(a), ids(a)


@pytest.mark.parametrize("question,section,facts", [
    ("Kế hoạch này được gửi tới những cơ quan, đơn vị nào?", "closing", ["Bộ LĐTBXH"]),
    ("sở kế hoạch đầu tư thì dính tới những phần nào trong kế hoạch vậy?", "VI.4", ["vận động nguồn hỗ trợ"]),
    ("bên mình là sở du lịch, kế hoạch giao cho bọn mình những việc gì vậy", "II.7.2", ["Sở Du lịch"]),
])
def test_words_of_the_conversation_are_no_topic(engine, question, section, facts):
    a = engine.ask(question)
    assert a.answerable and section in ids(a) and has(a, *facts), a.answer


def test_a_department_shortened_to_the_start_of_its_initials(engine):
    a = engine.ask("Sở GD phải làm những gì theo kế hoạch?")
    assert a.answerable and has(a, "Sở Giáo dục và Đào tạo"), a.answer


def test_mấy_with_ai_asks_who_not_how_many(engine):
    a = engine.ask("mấy việc tuyên truyền ngoại giao văn hóa thì ai lo?")
    assert a.answerable and "II.9.2" in ids(a) and has(a, "Sở Ngoại vụ"), a.answer


def test_another_documents_date_is_no_question_about_this_plans_identity(engine):
    a = engine.ask("kế hoạch hành động giai đoạn 2017-2020 của các sở phải ban hành năm nào?")
    assert a.answerable and "IV.2" in ids(a) and has(a, "2017"), a.answer


def test_a_topic_switch_said_with_qua(engine):
    sid = "types-switch-qua"
    engine.ask("Sở nào thực hiện nhiệm vụ văn hóa, văn nghệ?", session_id=sid)
    a = engine.ask("chuyển qua chuyện khác: nhiệm vụ chăm sóc sức khỏe thì ai phối hợp?", session_id=sid)
    assert a.answerable and ids(a)[0] == "II.6.3", a.answer


@pytest.mark.parametrize("question,section,facts", [
    ("so tnmt chiu trach nhiem nhiem vu nao", "II.3.2", ["Sở Tài nguyên và Môi trường"]),
    ("ubnd quan huyen gui bao cao hang nam ve dau", "VI.1", ["Sở Lao động Thương binh và Xã hội"]),
    ("UBND quan huyen phai lam nhung gi", "II.11", ["Ủy ban nhân dân các quận, huyện"]),
])
def test_abbreviations_in_lower_case_and_unaccented_words_around_them(engine, question, section, facts):
    a = engine.ask(question)
    assert a.answerable and section in ids(a) and has(a, *facts), a.answer


def test_a_yes_no_about_a_body_with_no_task_is_no_verdict_on_a_random_task(engine):
    a = engine.ask("bao hiem xa hoi hai phong co duoc nhac toi trong ke hoach khong")
    assert a.answerable and "II.6.2" in ids(a)[:3], a.answer
    assert not a.answer.startswith("Không"), a.answer


def test_which_task_it_belongs_to_follows_the_topic(engine):
    sid = "types-belongs"
    engine.ask("kế hoạch có nói về phòng chống HIV/AIDS không?", session_id=sid)
    a = engine.ask("thuộc nhiệm vụ nào, sở nào thực hiện?", session_id=sid)
    assert a.answerable and "II.6.2" in ids(a) and has(a, "Sở Y tế"), a.answer


def test_unaccented_and_with_a_chat_spelling_is_still_two_questions(engine):
    a = engine.ask("nv 6 ai thuc hien va co noi dung ve bao hiem y te ko")
    assert a.answerable and "II.6.2" in ids(a) and has(a, "Sở Y tế", "bảo hiểm y tế"), a.answer


def test_two_named_bodies_each_get_their_duties(engine):
    a = engine.ask("Sở Tài chính và Sở Kế hoạch và Đầu tư mỗi sở có nhiệm vụ gì?")
    assert a.answerable and {"VI.3", "VI.4"} <= set(ids(a)), ids(a)


def test_is_a_task_only_on_one_body_in_english(engine):
    a = engine.ask("Is the tourism and culture task only on the Department of Tourism, or do others share it?")
    assert a.answerable and "II.7.2" in ids(a) and has(a, "Sở Văn hóa và Thể thao"), a.answer


@pytest.mark.parametrize("question,verdict", [
    ("Kế hoạch do Sở Lao động Thương binh và Xã hội hay UBND thành phố ban hành?", "Ủy ban nhân dân thành phố"),
    ("Was the plan issued by the Department of Labour, Invalids and Social Affairs?", "No."),
])
def test_who_issued_it_as_either_or_and_yes_no(engine, question, verdict):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "preamble" and a.answer.startswith(verdict), a.answer


@pytest.mark.parametrize("question,sections,facts", [
    ("Cơ quan nào có tên trong danh sách thực hiện của nhiều nhiệm vụ nhất?", {"II.2.2", "II.6.2"},
     ["Sở Lao động Thương binh và Xã hội", "4"]),
    ("Which tasks have just one implementing agency?", {"II.2.2", "II.3.2"}, ["Sở Tài nguyên và Môi trường"]),
    ("nhiệm vụ nào do một mình Sở Tài nguyên và Môi trường thực hiện?", {"II.3.2"}, ["cộng đồng bền vững"]),
    ("có mấy nhiệm vụ có từ 4 cơ quan thực hiện trở lên?", {"II.1.2", "II.4.2"}, ["Khoa học và Công nghệ"]),
])
def test_tasks_compared_by_their_lists_of_bodies(engine, question, sections, facts):
    a = engine.ask(question)
    assert a.answerable and a.intent == "structure" and sections <= set(ids(a)) and has(a, *facts), a.answer


def test_one_task_named_by_its_topic_is_no_tally(engine):
    a = engine.ask("Is the Department of Health the only agency carrying out the health care task?")
    assert a.answerable and a.intent == "lead" and ids(a)[0] == "II.6.2", a.answer
    assert has(a, "Bảo hiểm Xã hội Hải Phòng"), a.answer


def test_do_two_bodies_share_any_task_lists_them(engine):
    a = engine.ask("so y te va so noi vu co chung nhiem vu nao khong")
    assert a.answerable and a.intent == "agency_tasks" and {"II.1.2", "II.4.2"} <= set(ids(a)), a.answer


@pytest.mark.parametrize("question", [
    "khi triển khai gặp vướng thì phải báo về đâu để được xử lý?",
    "Gặp khó khăn, vướng mắc thì liên hệ đâu?",
    "có vướng mắc trong quá trình thực hiện thì liên lạc với cơ quan nào?",
])
def test_whom_to_tell_about_a_snag(engine, question):
    a = engine.ask(question)
    assert a.answerable and "closing" in ids(a)[:3] and has(a, "Sở Lao động Thương binh và Xã hội"), a.answer


def test_a_period_of_years_answers_how_many_years(engine):
    a = engine.ask("chiến lược phát triển nhân lực được nhắc trong giải pháp là giai đoạn mấy năm?")
    assert a.answerable and "V" in ids(a) and has(a, "2011-2020"), a.answer


@pytest.mark.parametrize("question", [
    "Kế hoạch có được triển khai ở huyện Tiên Lãng không?",
    "Does the plan apply on the island district of Bach Long Vi too?",
])
def test_the_citys_own_districts_are_inside_its_scope(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "IV.1" and has(a, "toàn thành phố Hải Phòng"), a.answer


def test_what_a_question_sets_aside_is_not_asked_for(engine):
    a = engine.ask("Ngoài ngân sách nhà nước, kế hoạch còn trông vào những nguồn kinh phí nào?")
    assert a.answerable and "III.2" in ids(a)[:3], a.answer


@pytest.mark.parametrize("question", [
    "Which ministry's guidance was this plan prepared under?",
    "Kế hoạch được xây dựng theo hướng dẫn của bộ nào?",
])
def test_whose_guidance_the_plan_follows(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "preamble" and has(a, "Bộ Lao động Thương binh và Xã hội"), a.answer


def test_social_insurance_as_a_policy_is_no_body(engine):
    a = engine.ask("Does the plan say anything about voluntary social insurance?")
    assert a.answerable and a.intent == "content" and has(a, "bảo hiểm xã hội tự nguyện"), a.answer


@pytest.mark.parametrize("question", [
    "PCT UBND TP phụ trách văn hóa xã hội tên là gì?",
    "sở nào làm hiệu quả hơn, Sở Y tế hay Sở Du lịch?",
    "Which district performs better on the health targets?",
    "What were the findings of the 2020 mid-term review?",
    "What is the name of the health department's director?",
    "so y te hai phong o dia chi nao",
    "ke hoach cua UBND thanh pho duoc ban hanh vao ngay thang nam nao",
    # an opinion: the bot quotes, it does not judge
    "Theo bạn kế hoạch này có khả thi không, có nên ủng hộ không?",
    "theo ban ke hoach nay lam co hieu qua khong",
    "Do you think the plan will work?",
    "In your opinion, is the health care task realistic?",
    # whether it worked, and what a review found
    "Bạn thấy kế hoạch này có hiệu quả không hay chỉ trên giấy?",
    "What did the 2020 mid-term review of the plan actually find?",
])
def test_what_the_documents_cannot_say_by_nature(engine, question):
    a = engine.ask(question)
    assert not a.answerable, a.answer


def test_a_body_set_aside_is_not_the_one_asked_about(engine):
    a = engine.ask("Ngoài Sở Tư pháp, nhiệm vụ 1 còn cơ quan nào phối hợp?")
    assert a.answerable and a.intent == "coordinate" and ids(a)[0] == "II.1.3", a.answer


def test_partner_agencies_are_coordinators(engine):
    a = engine.ask("Which partner agencies work on the health care task?")
    assert a.answerable and ids(a)[0] == "II.6.3", a.answer


def test_mấy_things_nào_lists_them(engine):
    a = engine.ask("mục tiêu cụ thể nói đến mấy lĩnh vực nào?")
    assert a.answerable and "I.2" in ids(a)[:3], a.answer


@pytest.mark.parametrize("question", ["What is the full title of this document?", "kế hoạch này tên đầy đủ là gì?"])
def test_the_documents_full_title(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "preamble" and has(a, "Cộng đồng Văn hóa - Xã hội ASEAN"), a.answer


def test_outside_the_city_is_a_scope_question(engine):
    a = engine.ask("Kế hoạch có áp dụng cho các tỉnh lân cận không?")
    assert a.answerable and ids(a)[0] == "IV.1" and has(a, "toàn thành phố Hải Phòng"), a.answer


def test_an_inflected_english_word_covers_each_of_its_renderings(engine):
    a = engine.ask("Who advises the People's Committee on organising the reviews of the plan?")
    assert a.answerable and "VI.2" in ids(a)[:3] and has(a, "Sở Lao động Thương binh và Xã hội"), a.answer


def test_a_yes_no_after_a_lead_in_in_english(engine):
    sid = "types-lead-in"
    engine.ask("Which agencies carry out the health care task?", session_id=sid)
    a = engine.ask("And on preventive medicine, is there anything?", session_id=sid)
    assert a.answerable and a.intent == "content" and "II.6.1.2" in ids(a)[:3], a.answer


@pytest.mark.parametrize("question", [
    "What is the issue date of the plan itself?",
    "Đề án trong Quyết định 161 có bao nhiêu nhiệm vụ cấp quốc gia?",
])
def test_what_neither_this_plan_nor_its_shape_says(engine, question):
    a = engine.ask(question)
    assert not a.answerable, a.answer


def test_an_everyday_word_for_supporting_the_plan(engine):
    a = engine.ask("các doanh nghiệp có thể ủng hộ kinh phí cho kế hoạch không?")
    assert a.answerable and "V" in ids(a)[:3] and has(a, "doanh nghiệp"), a.answer


@pytest.mark.parametrize("question,section", [
    ("cho em hỏi chút, kế hoạch được gửi tới những nơi nào vậy ạ?", "closing"),
    ("ad oi cho minh hoi phan VI cua ke hoach gom nhung noi dung gi nhe", "VI.1"),
    ("Xin hỏi: hạn gửi báo cáo hằng năm là khi nào?", "VI.1"),
    ("Hello, could you tell me: how is the plan funded?", "III.1"),
    ("Hi there, I'd like to know which department leads the health care task", "II.6.2"),
])
def test_asking_to_ask_is_no_part_of_the_question(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:3], a.answer


def test_a_remark_naming_what_is_asked_stays(engine):
    a = engine.ask("kế hoạch có nói về người khuyết tật không, kiểu quyền của người khuyết tật á")
    assert a.answerable and "II.2.1" in ids(a)[:3] and has(a, "người khuyết tật"), a.answer


@pytest.mark.parametrize("question,section", [
    ("nhiem vu trien khai cac hoat dong van hoa, van nghe co nhung co quan phoi hop nao?", "II.7.3"),
    ("nhiem vu ve van hoa van nghe do so nao thuc hien", "II.7.2"),
])
def test_unaccented_words_that_fold_like_function_words(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


@pytest.mark.parametrize("question,answerable", [
    ("What will the Department of Health have to do in 2030?", False),
    ("Sở Nội vụ năm 2030 phải làm gì?", False),
    ("Phát triển du lịch của thành phố có tầm nhìn đến năm 2030 không?", True),
    # after the last milestone's year
    ("Hết năm 2025 thì kế hoạch có giai đoạn tiếp theo không?", False),
    ("sau năm 2025 thì sao?", False),
    ("What happens after 2025, is there a follow-up plan?", False),
    ("Sau năm 2020 thì làm gì?", True),
])
def test_a_year_past_the_timeline_named_only_in_passing(engine, question, answerable):
    a = engine.ask(question)
    assert a.answerable is answerable, a.answer


def test_a_listed_section_shows_its_sub_points_bullets(engine):
    a = engine.ask("Mục tiêu của kế hoạch gồm những gì?")
    assert a.answerable and "I.2" in ids(a), a.answer
    assert has(a, "Huy động nguồn lực"), a.answer  # a bullet of I.2, under its title


def test_a_section_answering_in_two_bullets_is_quoted_in_both_with_one_citation(engine):
    a = engine.ask("Kế hoạch đề ra biện pháp gì để nâng cao nhận thức của người dân về Cộng đồng ASEAN?")
    assert a.answerable and ids(a)[0] == "V" and len(ids(a)) == len(set(ids(a))), ids(a)
    assert has(a, "ấn phẩm truyền thông"), a.answer


def test_a_task_named_by_its_title_is_listed_whole(engine):
    a = engine.ask("Nhiệm vụ hướng người dân vào ứng dụng khoa học công nghệ trong sản xuất gồm những nội dung gì?")
    assert a.answerable and {"II.8.1.1", "II.8.1.2"} <= set(ids(a)), ids(a)


def test_what_are_they_is_no_count(engine):
    a = engine.ask("nghe nói có 4 mục tiêu cụ thể, là mấy cái gì vậy?")
    assert a.answerable and "I.2" in ids(a)[:3] and has(a, "Huy động nguồn lực"), a.answer


def test_a_plural_demonstrative_is_no_count(engine):
    sid = "types-plural"
    engine.ask("Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?", session_id=sid)
    a = engine.ask("thế ai phối hợp với mấy cơ quan đó?", session_id=sid)
    assert a.answerable and a.intent == "coordinate" and ids(a)[0] == "II.6.3", a.answer


def test_a_generic_counter_counts_what_is_named_before_it(engine):
    a = engine.ask("Mục tiêu cụ thể của kế hoạch gồm mấy ý vậy bạn?")
    assert a.answerable and a.intent == "structure" and "I.2" in ids(a), a.answer


@pytest.mark.parametrize("question,intent,section", [
    ("cq nào TH nhiệm vụ 8?", "lead", "II.8.2"),  # chat and office abbreviations
    ("NV 6 cq nào PH?", "coordinate", "II.6.3"),
    ("Which city agency is responsible for protecting biodiversity?", "lead", "II.3.2"),
    ("Tôi ở phòng LĐTBXH huyện, cho hỏi sở LĐTBXH thành phố giữ vai trò gì trong kế hoạch này?", "agency_tasks",
     "VI.2"),
    ("When the Department of Planning and Investment goes after funding from foreign NGOs, who is it supposed to "
     "team up with?", "content", "VI.4"),  # "when" opens a clause, it asks no date
    ("Switching topics: what is the deadline for the annual progress report?", "deadline", "VI.1"),
])
def test_everyday_wordings(engine, question, intent, section):
    a = engine.ask(question)
    assert a.answerable and a.intent == intent and section in ids(a)[:3], (a.intent, ids(a), a.answer)


def test_a_year_said_as_when_gets_its_own_milestone(engine):
    a = engine.ask("What is supposed to happen in 2020 according to the plan's timeline?")
    assert a.answer.split("\n")[1].startswith("Năm 2020"), a.answer
    # while a period names what is asked about: the plan for 2021-2025 is made in 2020
    a = engine.ask("Kế hoạch giai đoạn 2021 - 2025 được xây dựng khi nào?")
    assert "Năm 2020" in a.answer.split("\n")[1], a.answer


@pytest.mark.parametrize("question", [
    "What was Hai Phong's health insurance coverage rate last year?",  # a rate the plan never gives
    "Thế ngân sách cho du lịch đến năm bao nhiêu tỷ?",
])
def test_rates_and_sums_the_plan_never_gives(engine, question):
    assert not engine.ask(question).answerable


def test_a_year_asked_is_no_amount(engine):
    a = engine.ask("Phát triển du lịch của thành phố là đến năm bao nhiêu, tầm nhìn tới bao giờ?")
    assert a.answerable and has(a, "2030"), a.answer


def test_the_bodies_and_the_task_of_the_last_turn(engine):
    sid = "types-back"
    engine.ask("vụ tuyên truyền, ngoại giao văn hóa thì sở nào lo thế?", session_id=sid)
    # "mấy sở đó … trong vụ này": what that task holds, not everything those bodies do
    a = engine.ask("mấy sở đó phải làm những gì trong vụ này?", session_id=sid)
    assert a.intent == "content" and ids(a)[0] == "II.9.1" and has(a, "kiến thức đối ngoại"), a.answer
    # "sở đó" is never read as the name of an unknown department; the plural covers both bodies
    a = engine.ask("Các sở đó còn làm gì khác?", session_id=sid)
    assert a.intent == "agency_tasks" and has(a, "Sở Văn hóa và Thể thao", "Sở Ngoại vụ"), a.answer


def test_a_task_is_found_by_its_own_words_not_by_its_bodies_names(engine):
    # "Sở Y tế" leads task 4 too, but health care is task 6's own subject
    a = engine.ask("nhiệm vụ y tế ai làm chính vậy?")
    assert a.intent == "lead" and ids(a)[0] == "II.6.2", a.answer


def test_a_share_is_no_count_of_people(engine):
    # the plan says "100% cán bộ …", never how many people
    a = engine.ask("Số lượng cán bộ thông tin cơ sở được đào tạo cụ thể là bao nhiêu người?")
    assert not a.answerable, a.answer
    a = engine.ask("Tỷ lệ cán bộ thông tin cơ sở ở địa bàn khó khăn được đào tạo là bao nhiêu?")
    assert a.answerable and has(a, "100%"), a.answer


@pytest.mark.parametrize("question", [
    "What is the overall aim of Hai Phong's plan for the ASEAN Socio-Cultural Community?",
    "Kế hoạch ASCC của Hải Phòng có những mục tiêu gì?",  # the document's own title names no narrower topic
])
def test_the_plans_goals_asked_with_its_title(engine, question):
    a = engine.ask(question)
    assert a.intent == "structure" and ids(a)[0] == "I.1", (a.intent, ids(a))


def test_a_department_called_by_its_field_in_a_follow_up(engine):
    sid = "types-planning"
    engine.ask("What does the Department of Planning and Investment do regarding foreign NGO aid?", session_id=sid)
    a = engine.ask("Does the Planning department have any other duties related to mobilising that kind of support?",
                   session_id=sid)
    assert a.intent == "agency_tasks" and "VI.4" in ids(a)[:2], a.answer


@pytest.mark.parametrize("first,then", [
    ("Kế hoạch này triển khai văn bản nào?", "Văn bản đó do ai ban hành, ngày nào?"),
    ("Which decision does the plan implement?", "Who issued that decision and when?"),
])
def test_the_document_of_the_last_answer(engine, first, then):
    sid = f"types-doc-{first[:5]}"
    engine.ask(first, session_id=sid)
    a = engine.ask(then, session_id=sid)
    # that decision's issuer and date, as the preamble states them; not this plan's issuer
    assert a.intent == "reference" and ids(a)[0] == "preamble" and has(a, "Thủ tướng Chính phủ", "25/01/2016"), a.answer


@pytest.mark.parametrize("question,section,facts", [
    ("em muốn đi học nghề, kế hoạch có nhắc tới chuyện dạy nghề cho người lao động không ạ?", "II.2.1",
     ["giáo dục nghề nghiệp"]),
    ("ủa kế hoạch có nói chuyện đi khám bệnh phải xếp hàng đợi lâu không, chờ cả buổi sáng mệt quá trời",
     "II.6.1.2", ["thời gian chờ đợi"]),  # a queue ("xếp hàng") is no ranking ("xếp hạng"); the remark is no topic
    ("có vụ dự trữ gạo để phòng khi có thiên tai không ạ?", "II.4.1", ["dự phòng lương thực"]),
    ("có giải pháp gì để kêu gọi mấy công ty tư nhân góp sức không ạ?", "V", ["doanh nghiệp"]),
    ("What does the plan propose for improving civil servants' foreign-language and computer skills?", "V",
     ["ngoại ngữ, tin học"]),
    ("vụ biến đổi khí hậu với đa dạng sinh học thì sở nào chịu trách nhiệm vậy mọi người?", "II.3.2",
     ["Sở Tài nguyên và Môi trường"]),  # "đa dạng" is a word, though its syllables fold to "đã đang"
    ("chuyển chủ đề chút: phạm vi thực hiện kế hoạch là ở đâu?", "IV.1", ["toàn thành phố"]),
])
def test_everyday_words_for_the_plans_wording(engine, question, section, facts):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:3] and has(a, *facts), (ids(a), a.answer)


@pytest.mark.parametrize("question", [
    "kế hoạch này tới giờ làm được bao nhiêu phần trăm rồi ạ, có kết quả gì chưa?",  # results achieved
    "mình muốn đăng ký làm tình nguyện viên ASEAN thì liên hệ ở đâu, nộp đơn cho ai ạ?",  # a citizen's procedure
    "Which ASEAN city is Hai Phong twinned with?",
])
def test_more_that_the_plan_does_not_say(engine, question):
    assert not engine.ask(question).answerable


def test_structure_and_timeline_in_other_words(engine):
    a = engine.ask("kế hoạch này triển khai cái đề án nào vậy ạ?")
    assert a.intent == "reference" and ids(a) == ["preamble"] and has(a, "161/QĐ-TTg"), a.answer
    a = engine.ask("Can you give me a quick rundown of the main areas of work the plan covers?")
    assert a.intent == "structure" and "II.6" in ids(a), a.answer
    a = engine.ask("kế hoạch có mấy mốc thời gian chính vậy ạ?")
    assert a.answerable and has(a, "3 mốc", "2017", "2020", "2025"), a.answer


def test_english_clauses_that_set_the_scene_and_names_that_hold_and(engine):
    a = engine.ask("When the Department of Planning and Investment tries to raise money from foreign NGOs, which "
                   "groups is it supposed to team up with?")
    assert a.answerable and ids(a)[0] == "VI.4" and has(a, "các hội, đoàn thể"), a.answer
    # "When is …" is a question of its own
    a = engine.ask("When is the final evaluation, and which department compiles the annual reports?")
    assert a.answerable and has(a, "2025"), a.answer


def test_district_committees_and_their_places(engine):
    a = engine.ask("ủy ban quận huyện phải làm những việc gì trong kế hoạch này ạ?")
    assert a.intent == "agency_tasks" and "II.11" in ids(a), a.answer
    a = engine.ask("kế hoạch này chỉ làm ở nội thành hay cả mấy huyện ngoại thành nữa ạ?")
    assert a.answerable and ids(a)[0] == "IV.1" and has(a, "toàn thành phố"), a.answer


def test_they_are_the_bodies_of_the_last_turn(engine):
    sid = "types-they"
    engine.ask("nhiệm vụ văn hóa văn nghệ trong kế hoạch do sở nào làm vậy ạ?", session_id=sid)
    a = engine.ask("thế còn ai phối hợp với họ?", session_id=sid)  # "họ" names no topic: task 7's coordinators
    assert a.intent == "coordinate" and ids(a)[0] == "II.7.3", a.answer
    a = engine.ask("bên đó còn phải làm gì về du lịch nữa không?", session_id=sid)
    assert ids(a)[0] == "II.7.1" and has(a, "thương hiệu du lịch Hải Phòng"), a.answer


def test_a_topic_inside_the_task_of_the_last_turn(engine):
    sid = "types-inside"
    engine.ask("Who leads the task on health-care services for residents?", session_id=sid)
    # "y tế" is in "Sở Y tế" too: the task's own point on health insurance answers, not its list of bodies
    a = engine.ask("And what does that task say about health insurance?", session_id=sid)
    assert ids(a)[0] == "II.6.1.1" and has(a, "bảo hiểm y tế toàn dân"), a.answer


def test_a_yes_no_part_of_a_compound_question(engine):
    a = engine.ask("kế hoạch dựa vào quyết định nào, rồi giải pháp có vụ tranh thủ hợp tác quốc tế không ạ?")
    assert ids(a)[:2] == ["preamble", "V"] and has(a, "161/QĐ-TTg", "hợp tác quốc tế"), a.answer


def test_the_bodies_a_named_part_assigns(engine):
    # the part's own name ("tổ chức thực hiện") is no narrower topic: the part is listed, one body an item
    a = engine.ask("Trong phần tổ chức thực hiện, những cơ quan nào được giao nhiệm vụ?")
    assert ids(a)[:4] == ["VI.1", "VI.2", "VI.3", "VI.4"] and has(a, "Sở Tài chính", "Sở Kế hoạch và Đầu tư"), a.answer


def test_who_makes_a_thing_the_plan_names_is_not_who_made_the_plan(engine):
    # "do ai lập" of the budget estimates (part III), not the plan's issuer
    a = engine.ask("Kinh phí hằng năm cho các nhiệm vụ của kế hoạch do ai lập dự toán?")
    assert a.intent != "overview" and ids(a)[0] == "III.1" and has(a, "đơn vị được giao nhiệm vụ"), a.answer
    a = engine.ask("Kế hoạch này do cơ quan nào ban hành?")
    assert a.intent == "overview" and has(a, "Ủy ban nhân dân thành phố"), a.answer


def test_a_short_follow_up_repeating_the_last_questions_word(engine):
    sid = "types-echo"
    engine.ask("Dự toán kinh phí hằng năm do đơn vị nào lập?", session_id=sid)
    a = engine.ask("lập xong thì gửi cho ai?", session_id=sid)  # the estimates just asked about
    assert a.answerable and ids(a)[0] == "III.1" and has(a, "Sở Tài chính"), a.answer


def test_how_many_times_is_answered_by_how_often(engine):
    for question in ("Mỗi năm phải gửi báo cáo kết quả mấy lần?", "How many times a year are reports due?"):
        a = engine.ask(question)
        assert a.answerable and ids(a)[0] == "VI.1" and has(a, "hàng năm"), a.answer


def test_a_possessive_and_english_words_inside_a_vietnamese_question(engine):
    a = engine.ask("Does the plan say anything about women's rights?")
    assert a.answerable and "II.2.1" in ids(a)[:2], a.answer
    a = engine.ask("kế hoạch có gì về environment không ạ?")
    assert a.answerable and ids(a)[0].startswith("II.3"), a.answer


def test_a_lead_answer_quotes_where_the_task_holds_the_topic(engine):
    a = engine.ask("Việc quản lý rác thải do sở nào thực hiện?")
    assert a.intent == "lead" and ids(a)[0] == "II.3.2" and has(a, "Sở Tài nguyên và Môi trường", "quản lý rác thải"), \
        a.answer
    a = engine.ask("Sở nào chủ trì nhiệm vụ 6?")  # named by number: no passage is needed to say why
    assert a.intent == "lead" and "Nội dung liên quan" not in a.answer, a.answer
    a = engine.ask("Who heads task 6?")  # "heads" a task asks for bodies, not a person
    assert a.intent == "lead" and has(a, "Sở Y tế"), a.answer


@pytest.mark.parametrize("question,reason", [
    ("Which minister signed Decision 161?", "person"),
    ("Bộ trưởng nào ký ban hành quyết định đó?", "person"),
    ("Cho xin SĐT của Sở Y tế để hỏi về kế hoạch", "person"),
    ("What is the phone number of the Department of Health?", "person"),
    ("Biểu mẫu báo cáo kết quả lấy ở đâu?", "procedure"),
    ("What is the registration procedure for an NGO project?", "procedure"),
    ("When was this city plan signed?", "identity"),
    ("Năm 2022 Sở Y tế đã tổ chức được những hoạt động nào?", "outcome"),
    ("Who currently chairs the Fatherland Front committee of the city?", "person"),
    ("Who heads the Department of Health now?", "person"),
    ("Did the mid-term review actually take place?", "outcome"),
])
def test_more_kinds_the_plan_cannot_answer(engine, question, reason):
    a = engine.ask(question)
    assert not a.answerable, (reason, a.answer)


def test_a_date_of_a_cited_resolution_is_no_date_of_what_it_aims_at(engine):
    a = engine.ask("Đến năm nào thì đạt bảo hiểm y tế toàn dân?")
    assert not a.answerable, a.answer
    a = engine.ask("Nghị quyết 21-NQ/TW ban hành năm nào?")
    assert a.answerable and has(a, "2012"), a.answer


def test_a_bare_follow_up_about_a_cited_resolution(engine):
    sid = "types-resolution"
    engine.ask("Kế hoạch nhắc đến Nghị quyết 21-NQ/TW, nghị quyết đó về việc gì?", session_id=sid)
    a = engine.ask("ký ngày nào?", session_id=sid)
    assert a.answerable and has(a, "22/11/2012"), a.answer
    a = engine.ask("Nhiệm vụ có nghị quyết đó do sở nào thực hiện?", session_id=sid)
    assert a.intent == "lead" and ids(a)[0] == "II.6.2", a.answer


def test_a_turn_announcing_another_thing_drops_the_last_role(engine):
    sid = "types-another"
    engine.ask("Who carries out the task on cultural diplomacy?", session_id=sid)
    a = engine.ask("One more thing: does the plan mention people with disabilities?", session_id=sid)
    assert a.intent == "content" and a.answerable, a.answer
    a = engine.ask("And who helps them?", session_id=sid)  # "helps them": the coordinators asked about
    assert a.intent == "coordinate", a.answer


def test_a_goal_ranked_first_leaves_who_to_the_task_close_behind(engine):
    # part I's goal says the same words; task 1 says who carries them out
    a = engine.ask("Who carries out the work of strengthening stakeholder participation in monitoring and "
                   "evaluating ASCC-related policies?")
    assert a.intent == "lead" and ids(a)[0] == "II.1.2", a.answer
    # a duty paragraph of part VI that names its own bodies is not passed over for a task
    a = engine.ask("Sở Kế hoạch và Đầu tư phối hợp với những tổ chức nào để vận động nguồn lực phi Chính phủ?")
    assert "VI.4" in ids(a)[:2] and has(a, "hội, đoàn thể"), a.answer


def test_bare_follow_ups_of_a_conversation(engine):
    sid = "types-bare"
    engine.ask("Mỗi năm các đơn vị được giao nhiệm vụ phải lập dự toán gì?", session_id=sid)
    a = engine.ask("Gửi cho cơ quan nào?", session_id=sid)  # the sending verb is the question's own
    assert a.answerable and ids(a)[0] == "III.1" and has(a, "Sở Tài chính"), a.answer
    sid = "types-that-task"
    engine.ask("Ai phối hợp thực hiện nhiệm vụ xây dựng cộng đồng gắn kết?", session_id=sid)
    a = engine.ask("Nhiệm vụ ấy có chú ý tới người nghèo không?", session_id=sid)  # a topic inside that task
    assert a.answerable and ids(a)[0] == "II.1.1" and has(a, "người nghèo"), a.answer
    sid = "types-day"
    engine.ask("chế độ cho người có công thì sở nào lo?", session_id=sid)
    a = engine.ask("sở đấy còn làm những nhiệm vụ nào nữa?", session_id=sid)  # "đấy" points back like "đó"
    assert a.intent == "agency_tasks" and "II.6.2" in ids(a), a.answer


def test_english_time_frame_and_hazards(engine):
    a = engine.ask("What time period does this plan cover?")
    assert a.answerable and ids(a)[0] == "IV.2", a.answer
    a = engine.ask("Who deals with chemical and nuclear hazards to people's health?")
    assert a.intent == "lead" and ids(a)[0] == "II.4.2", a.answer


def test_a_doubled_letter_on_an_unaccented_word_of_a_vietnamese_question(engine):
    a = engine.ask("Giám đốc Sở Y tế Hải Phòng là aii?")
    assert not a.answerable, a.answer
    # capitals are an abbreviation, not a slip: "NN" stays "Nông nghiệp"
    a = engine.ask("Sở NN&PTNT được giao nhiệm vụ gì trong KH?")
    assert a.intent == "agency_tasks" and {"II.1.2", "II.8.2"} <= set(ids(a)), a.answer
    assert has(a, "Sở Nông nghiệp và Phát triển nông thôn"), a.answer


def test_for_which_period_after_a_passage_naming_its_own(engine):
    sid = "types-period"
    engine.ask("Kế hoạch có nói gì về chương trình giảm nghèo bền vững không?", session_id=sid)
    a = engine.ask("cho giai đoạn nào?", session_id=sid)  # the programme's period, not the plan's timeline
    assert a.answerable and ids(a)[0] == "II.2.1" and has(a, "2016-2020"), a.answer
    a = engine.ask("cho giai đoạn nào?")  # asked alone: the plan's own timeline
    assert a.answerable and ids(a)[0] == "IV.2", a.answer


def test_cooperation_as_a_topic_and_blocking_harmful_works(engine):
    a = engine.ask("What does the plan say about diversifying cooperation with ASEAN member states?")
    assert a.intent == "content" and ids(a)[0] == "II.5.1" and has(a, "đa dạng hóa"), a.answer
    a = engine.ask("Which agencies cooperate on task 5?")  # asked of bodies, it is the role
    assert a.intent == "coordinate", a.answer
    a = engine.ask("có chặn văn hóa phẩm đồi trụy không?")
    assert a.answerable and ids(a)[0] == "II.7.1" and has(a, "độc hại"), a.answer


def test_a_task_listing_keeps_every_bullet_whole(engine):
    """Task 6's content is the longest in the plan; every sentence of it is listed, not only the first
    sentence of each bullet (the chat doors split a long reply at line boundaries)."""
    a = engine.ask("Nhiệm vụ về chăm sóc sức khỏe cho người dân gồm những nội dung gì?")
    assert a.answerable and "II.6.1.1" in ids(a) and "II.6.1.2" in ids(a), a.answer
    assert has(a, "y tế dự phòng", "bảo hiểm y tế toàn dân") and "…" not in a.answer, a.answer


def test_an_unaccented_switch_mark_and_assigning_as_a_frame(engine):
    sid = "types-switch-unaccented"
    engine.ask("Ai thực hiện nhiệm vụ chăm sóc sức khỏe?", session_id=sid)
    a = engine.ask("chuyen sang chuyen khac: ke hoach duoc thuc hien o pham vi nao", session_id=sid)
    assert a.answerable and ids(a)[0] == "IV.1" and has(a, "toàn thành phố"), a.answer
    # "phân công" frames the question like "giao": the part it names is listed, one body an item
    a = engine.ask("Phần tổ chức thực hiện của kế hoạch phân công cho những cơ quan nào?")
    assert ids(a)[:2] == ["VI.1", "VI.2"] and "VI.6" in ids(a) and has(a, "Ban Tuyên giáo Thành ủy"), a.answer
    # "vun đắp" is everyday wording for "tăng cường"
    a = engine.ask("Kế hoạch có nói gì về việc vun đắp tình hữu nghị với người dân nước ngoài không?")
    assert a.answerable and has(a, "hữu nghị"), a.answer


def test_everyday_wording_of_set_t_kinds(engine):
    # a word the documents also write wins a tie of segmentations: "mua | bảo hiểm", not "mưa bão | hiểm"
    a = engine.ask("Vận động người thu nhập thấp mua bảo hiểm y tế thì cơ quan nào phụ trách?")
    assert a.intent == "lead" and ids(a)[0] == "II.6.2" and has(a, "Bảo hiểm Xã hội Hải Phòng"), a.answer
    # mass organisations by name are the plan's "tổ chức đoàn thể"
    a = engine.ask("Hội Cựu chiến binh có được mời tham gia thực hiện kế hoạch này không?")
    assert a.answerable and "VI.5" in ids(a) and has(a, "tổ chức đoàn thể"), a.answer
    # the unit asked for is no concept to find in the text: the percentage answers it
    a = engine.ask("Cán bộ đài truyền thanh ở vùng khó khăn được đào tạo theo chỉ tiêu bao nhiêu phần trăm?")
    assert a.answerable and "II.8.1.2" in ids(a) and has(a, "100%"), a.answer


@pytest.mark.parametrize("question,section,fact", [
    ("What cultural activities take place when leaders of other countries visit the city?", "II.9.1",
     "chuyến thăm của lãnh đạo các nước"),
    ("Does the plan aim for a green, clean and beautiful city?", "II.3.1", "xanh, sạch, đẹp"),
    ("Are bilateral delegation exchanges part of the plan?", "II.9.1", "trao đổi đoàn song phương"),
])
def test_english_when_clause_and_glossary(engine, question, section, fact):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:3] and has(a, fact), (ids(a), a.answer)


def test_an_asking_when_still_asks_a_time(engine):
    a = engine.ask("Who has to send the annual report, and by when?")
    assert a.answerable and "VI.1" in ids(a) and has(a, "01 tháng 12"), a.answer


def test_a_bodys_duty_quoted_with_the_heading_of_its_point(engine):
    a = engine.ask("Sở TT&TT có những NV gì trong KH?")
    assert a.intent == "agency_tasks" and "II.8.1.2" in ids(a), a.answer
    assert has(a, "Mục II, điểm 8.1.2 (Đẩy mạnh công tác thông tin cơ sở"), a.answer


@pytest.mark.parametrize("question,section,fact", [
    # who is asking ("Tôi có cửa hàng nhỏ, …") and what people say ("người ta bảo") are no topic
    ("Tôi có cửa hàng nhỏ, thấy người ta bảo kế hoạch có nói về văn hóa kinh doanh, cụ thể là nói gì thế?",
     "II.5.1", "văn hóa kinh doanh"),
    # an incident with chemicals is the plan's "nguy cơ … hóa học"
    ("lỡ có sự cố hóa chất độc hại thì kế hoạch có chuẩn bị gì cho dân không?", "II.4.1", "hóa học"),
    # "nói gọn lại" frames the question
    ("Nói gọn lại thì mục tiêu chung của kế hoạch là gì?", "I.1", "mục tiêu chung"),
])
def test_words_of_a_chatty_question(engine, question, section, fact):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:2] and has(a, fact), (ids(a), a.answer)


def test_two_english_glosses_never_make_one_vietnamese_word(engine):
    # "departments" (sở) + "friendship" (hữu nghị) is no "sở hữu" (ownership)
    a = engine.ask("Which departments look after friendship between Hai Phong people and people of other countries?")
    # task 10's content is about friendship "giữa nhân dân thành phố Hải Phòng với nhân dân các nước"
    assert a.answerable and a.intent == "lead" and ids(a)[0] == "II.10.2", a.answer
    assert has(a, "Sở Ngoại vụ", "hữu nghị"), a.answer


@pytest.mark.parametrize("question,agency", [
    ("SYT phải làm gì trong kế hoạch?", "Sở Y tế"),
    ("SLĐTBXH được giao những nhiệm vụ nào?", LĐ),
    ("SNgV được giao mấy nhiệm vụ?", "Sở Ngoại vụ"),
    ("NV 10, ngoài Sở KH&ĐT, Sở NgV thì ai phối hợp?", "Sở Ngoại vụ"),
    ("Nhiệm vụ cộng đồng bền vững giao Sở Môi trường hay sở nào chủ trì?", "Sở Tài nguyên và Môi trường"),
    ("Sở Thể thao có phải cơ quan thực hiện nhiệm vụ văn hóa, văn nghệ không?", "Sở Văn hóa và Thể thao"),
])
def test_a_department_named_in_short(engine, question, agency):
    # "SYT" is "Sở" + initials; "NgV" tells Sở Ngoại vụ from Sở Nội vụ by its first syllable's cluster;
    # "Sở Môi trường", "Sở Thể thao": the one department whose name ends with those words after "và"
    a = engine.ask(question)
    assert a.answerable and has(a, agency), a.answer


def test_noi_toi_frames_an_unaccented_question(engine):
    a = engine.ask("trong ke hoach co noi toi nguoi co cong voi cach mang khong")
    assert a.answerable and ids(a)[0] == "II.2.1" and has(a, "người có công với cách mạng"), a.answer


def test_what_about_a_task_named_by_its_topic_moves_to_it(engine):
    sid = "types-what-about"
    engine.ask("What does the plan say about health insurance?", session_id=sid)
    a = engine.ask("What about the environment task, what does it cover?", session_id=sid)
    assert a.answerable and ids(a)[0] == "II.3.1" and has(a, "đa dạng sinh học"), a.answer
    engine.ask("Nhiệm vụ chăm sóc sức khỏe do sở nào thực hiện?", session_id=sid)
    a = engine.ask("thế còn nhiệm vụ du lịch thì ai làm?", session_id=sid)
    assert a.intent == "lead" and ids(a)[0] == "II.7.2" and has(a, "Sở Du lịch"), a.answer


def test_a_bodys_work_inside_one_task(engine):
    # "trong nhiệm vụ …": the body's role in that task, then the task's content, not all its work
    a = engine.ask("Sở Y tế phải làm gì trong nhiệm vụ 6?")
    assert a.intent == "agency_tasks" and ids(a)[:2] == ["II.6.2", "II.6.1.1"], a.answer
    assert has(a, "là cơ quan thực hiện nhiệm vụ 6", "y tế dự phòng") and "nhiệm vụ 1 " not in a.answer, a.answer
    sid = "types-inside-task"
    engine.ask("Sở Ngoại vụ tham gia những nhiệm vụ nào trong kế hoạch?", session_id=sid)
    a = engine.ask("Trong nhiệm vụ ngoại giao văn hóa, sở đó phải làm những hoạt động gì?", session_id=sid)
    assert ids(a)[:2] == ["II.9.2", "II.9.1"] and has(a, "kiến thức đối ngoại"), a.answer
    a = engine.ask("What must the Department of Tourism do in the culture task?")
    assert ids(a)[:2] == ["II.7.2", "II.7.1"] and has(a, "carries out task 7"), a.answer
    # "ngoài nhiệm vụ 6": the rest of its work
    a = engine.ask("Ngoài nhiệm vụ 6, Sở Y tế còn làm gì?")
    assert "II.4.2" in ids(a), a.answer


def test_do_you_think_before_a_wh_question_still_asks_it(engine):
    a = engine.ask("Who do you think leads task 6?")
    assert a.answerable and a.intent == "lead" and has(a, "Sở Y tế"), a.answer


@pytest.mark.parametrize("question", [
    "Cơ quan nào chủ trì thực hiện kế hoạch?",
    "Ai chủ trì tổ chức thực hiện KH ASCC của TP?",
    "Ai là đầu mối theo dõi, tổng hợp chung cả kế hoạch này vậy?",
    "Who is in charge of implementing the plan overall?",
    "Which agency coordinates the whole plan?",
])
def test_the_body_that_runs_the_whole_plan(engine, question):
    # the plan itself, not one task: the part VI clause "Chủ trì, phối hợp … tổ chức thực hiện … Kế hoạch"
    a = engine.ask(question)
    assert a.intent == "lead" and ids(a) == ["VI.2"] and has(a, LĐ, "Chủ trì, phối hợp"), a.answer


def test_a_task_named_keeps_its_own_lead(engine):
    a = engine.ask("Ai chủ trì thực hiện nhiệm vụ 6 của kế hoạch?")
    assert a.intent == "lead" and ids(a)[0] == "II.6.2", a.answer


def test_which_document_this_is(engine):
    a = engine.ask("tai lieu nay la ke hoach gi")
    assert a.intent == "overview" and ids(a)[0] == "preamble" and has(a, "Hải Phòng"), a.answer
    a = engine.ask("What kind of document is this?")
    assert a.intent == "overview" and ids(a)[0] == "preamble", a.answer


def test_the_issuer_of_a_cited_document_is_not_the_plans(engine):
    a = engine.ask("Nghị quyết 15-NQ/TW mà kế hoạch nhắc tới do cơ quan nào ban hành?")
    assert a.intent == "reference" and ids(a) == ["II.2.1"], a.answer
    assert has(a, "Ban Chấp hành Trung ương Đảng khóa XI") and "Cơ quan ban hành Kế hoạch" not in a.answer, a.answer
    a = engine.ask("Kế hoạch này do cơ quan nào ban hành?")
    assert a.intent == "overview" and has(a, "Ủy ban nhân dân thành phố Hải Phòng"), a.answer


def test_xa_hoi_is_no_commune_and_the_people_by_other_names(engine):
    # folded, the "xã" of "xã hội" is no place: the question is about the work, not where it applies
    a = engine.ask("Việc thực hiện chính sách văn hóa, xã hội có được coi là việc lâu dài không hay chỉ làm một đợt?")
    assert a.answerable and ids(a)[0] == "V" and has(a, "nhiệm vụ thường xuyên và lâu dài"), a.answer
    a = engine.ask("Kế hoạch có áp dụng cho các xã ở huyện đảo không?")
    assert ids(a)[0] == "IV.1", a.answer
    # "bà con" are the plan's "nhân dân" too; "hưởng ứng" is "tham gia"
    a = engine.ask("Mặt trận Tổ quốc có tham gia vận động bà con hưởng ứng không?")
    assert a.answerable and "VI.5" in ids(a), a.answer


def test_a_passage_further_down_holding_every_concept_is_quoted_too(engine):
    # people with disabilities are in task 2's content and in task 6's health care point
    a = engine.ask("Does the plan say anything about people with disabilities?")
    assert a.answerable and ids(a)[0] == "II.2.1" and "II.6.1.2" in ids(a), a.answer


def test_the_ky_of_a_period_is_no_signing(engine):
    # folded, "kỳ" (cuối kỳ, giữa kỳ) is "ký" (signed): the review's year is asked, not the plan's own date
    a = engine.ask("danh gia cuoi ky nam nao?")
    assert a.answerable and {"IV.2", "VI.1"} & set(ids(a)) and has(a, "2025"), a.answer
    assert engine.ask("Kế hoạch ký ngày nào?").intent == "out_of_scope"


def test_that_plan_sent_where_is_its_recipients(engine):
    engine.ask("Kế hoạch này do ai ban hành?", session_id="types-recipients")
    a = engine.ask("Kế hoạch ấy gửi cho những cơ quan nào?", session_id="types-recipients")
    assert a.intent == "overview" and ids(a)[0] == "closing" and has(a, "Ban Tuyên giáo TU"), a.answer


@pytest.mark.parametrize("question", [
    "Kế hoạch có những nhóm nhiệm vụ nào?",
    "kế hoạch chia ra mấy nhóm hoạt động?",
])
def test_groups_of_tasks_are_part_twos_tasks(engine, question):
    a = engine.ask(question)
    assert a.intent == "structure" and ids(a)[:2] == ["II", "II.1"] and "II.10" in ids(a), a.answer


def test_the_periods_of_the_plan(engine):
    a = engine.ask("Kế hoạch chia làm mấy giai đoạn?")
    assert a.intent == "deadline" and ids(a) == ["IV.2"] and has(a, "2 giai đoạn", "2021 - 2025"), a.answer
    # the periods named where the question's own words rank first are quoted after the timeline
    a = engine.ask("Các sở, ngành phối hợp thực hiện trong những giai đoạn nào?")
    assert ids(a) == ["IV.2", "VI.1"] and has(a, "2016-2020 và 2021-2025"), a.answer


@pytest.mark.parametrize("question", [
    "Đơn vị gặp khó khăn thì phản ánh về đâu?",
    "có vướng mắc thì hỏi ai?",
])
def test_where_problems_go_is_the_passage_that_sends_them_to_a_body(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "closing" and has(a, f"phản ánh về {LĐ}"), a.answer


def test_a_switch_mark_without_a_noun_and_moving_to_a_task_is_not_sending(engine):
    a = engine.ask("chuyển qua xíu: ai chủ trì nhiệm vụ 9?")
    assert a.intent == "lead" and ids(a)[0] == "II.9.2", a.answer
    # "chuyển sang" moves to a task; it sends nothing anywhere
    a = engine.ask("chuyển sang nhiệm vụ 3: ai chủ trì?")
    assert a.intent == "lead" and ids(a)[0] == "II.3.2" and has(a, "Sở Tài nguyên và Môi trường"), a.answer


def test_words_of_a_duty_and_of_direction_are_no_concepts(engine):
    a = engine.ask("Sở Y tế có phần việc gì trong kế hoạch?")
    assert a.intent == "agency_tasks" and "II.6.2" in ids(a), a.answer
    engine.ask("ai chu tri nhiem vu 6", session_id="types-len")
    a = engine.ask("ho bao cao len dau", session_id="types-len")  # "lên": up to, a word of direction
    assert a.answerable and ids(a) == ["VI.1"] and has(a, LĐ), a.answer


def test_foreign_reads_as_the_plans_cac_nuoc(engine):
    a = engine.ask("Are visits by foreign leaders mentioned?")
    assert a.answerable and ids(a)[0] == "II.9.1" and has(a, "chuyến thăm của lãnh đạo các nước"), a.answer


def test_a_cited_document_is_placed_in_its_task(engine):
    a = engine.ask("Nghị quyết 21-NQ/TW nằm trong nhiệm vụ nào?")
    assert a.intent == "reference" and ids(a) == ["II.6.1.1"] and has(a, "nhiệm vụ 6: Triển khai"), a.answer


def test_the_task_two_bodies_share_and_what_it_holds(engine):
    a = engine.ask("Sở Ngoại vụ với Sở Kế hoạch và Đầu tư cùng làm nhiệm vụ nào, nhiệm vụ đó gồm những gì?")
    assert a.intent == "agency_tasks" and ids(a) == ["II.10.2", "II.10.3", "II.10.1"], a.answer
    assert has(a, "viện trợ"), a.answer
    a = engine.ask("Sở Ngoại vụ với Sở Kế hoạch và Đầu tư cùng làm nhiệm vụ nào?")
    assert ids(a) == ["II.10.2", "II.10.3"], a.answer


@pytest.mark.parametrize("question,section,n", [
    ("Có bao nhiêu hoạt động trong nhiệm vụ 9?", "II.9.1", "có 4 ý"),
    ("How many activities are in task 3?", "II.3.1", "makes 4 points"),
])
def test_the_points_inside_one_task_are_counted(engine, question, section, n):
    a = engine.ask(question)
    assert a.intent == "structure" and ids(a) == [section] and has(a, n), a.answer


def test_the_bodies_of_one_task_are_counted(engine):
    a = engine.ask("nhiệm vụ 6 có bao nhiêu cơ quan thực hiện?")
    assert a.intent == "lead" and ids(a)[0] == "II.6.2" and has(a, "Nhiệm vụ 6 có 3 cơ quan thực hiện"), a.answer
    a = engine.ask("How many departments lead task 9?")
    assert a.intent == "lead" and ids(a)[0] == "II.9.2" and has(a, "Task 9 has 2 lead bodies"), a.answer
    # "các Sở, ngành … liên quan" is no number of bodies: not counted, and the answer says so (see below)


def test_what_this_named_plan_is_about_and_not_its_timeline(engine):
    a = engine.ask("In a nutshell, what is the city's ASCC plan about?")
    assert a.intent == "overview" and ids(a)[0] == "preamble", a.answer
    a = engine.ask("What is the plan's timeline?")
    assert a.intent == "deadline" and ids(a) == ["IV.2", "preamble"], a.answer  # and the period it implements


@pytest.mark.parametrize("question,first", [
    ("Kế hoạch gồm những mảng công việc nào?", "II"),  # "mảng việc": the tasks
    ("nói ngắn gọn, kế hoạch hướng tới điều gì?", "I.1"),  # its aim: the goals
])
def test_areas_of_work_and_what_the_plan_aims_at(engine, question, first):
    a = engine.ask(question)
    assert a.intent == "structure" and ids(a)[0] == first, a.answer


def test_du_kien_frames_a_years_milestone(engine):
    a = engine.ask("Năm 2020 dự kiến làm gì?")
    assert a.intent == "deadline" and ids(a)[0] == "IV.2" and has(a, "sơ kết"), a.answer


def test_an_unnumbered_part_named_comes_first(engine):
    a = engine.ask("Theo phần mở đầu, kế hoạch thực hiện đề án trong giai đoạn nào?")
    assert a.answerable and ids(a)[0] == "preamble" and has(a, "2015 - 2025"), a.answer
    a = engine.ask("Đoạn kết của kế hoạch đề nghị các đơn vị làm gì?")
    assert ids(a)[0] == "closing", a.answer
    # folded, "đoàn kết" is no "đoạn kết"
    a = engine.ask("giai phap ve phong trao toan dan doan ket xay dung doi song van hoa")
    assert ids(a)[0] == "V", a.answer


def test_consolidating_a_system_reads_cung_co(engine):
    a = engine.ask("Which task covers consolidating the social services system?")
    assert a.answerable and ids(a)[0] == "II.1.1" and has(a, "hệ thống dịch vụ xã hội"), a.answer


def test_ngay_may_asks_a_date(engine):
    a = engine.ask("các sở phải gửi báo cáo trước ngày mấy?")
    assert a.intent == "deadline" and ids(a) == ["VI.1"] and has(a, "01 tháng 12"), a.answer


@pytest.mark.parametrize("question,first", [
    ("việc vận động viện trợ của mấy tổ chức nước ngoài thì sở nào lo?", "II.10.2"),
    ("Hội Liên hiệp Phụ nữ với mấy đoàn thể khác được đề nghị làm gì?", "VI.5"),
])
def test_may_is_a_plural_when_something_else_is_asked(engine, question, first):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == first, a.answer


def test_a_place_inside_the_city_and_thanks_are_no_concepts(engine):
    a = engine.ask("Ở Kiến An, việc phòng chống thiên tai do sở nào thực hiện? Cảm ơn nhiều")
    assert a.intent == "lead" and ids(a)[0] == "II.4.2", a.answer
    a = engine.ask("Ở Cát Bà mình, việc bảo vệ rừng thì sở nào thực hiện ạ?")
    assert a.intent == "lead" and ids(a)[0] == "II.3.2", a.answer


def test_a_preface_before_the_plan_sent_where(engine):
    a = engine.ask("à mà kế hoạch này gửi cho ai?")
    assert a.intent == "overview" and ids(a)[0] == "closing", a.answer


def test_who_directly_does_it_asks_the_lead_of_the_last_task(engine):
    engine.ask("Ai phối hợp thực hiện nhiệm vụ 9?", session_id="types-direct")
    a = engine.ask("còn ai trực tiếp làm?", session_id="types-direct")
    assert a.intent == "lead" and ids(a)[0] == "II.9.2", a.answer


def test_everyday_words_for_the_plans_own(engine):
    a = engine.ask("Chuyện bão lũ thì kế hoạch tính sao?")  # bão lũ: thiên tai; "tính sao" is a frame
    assert a.answerable and ids(a)[0] == "II.4.1" and has(a, "thiên tai"), a.answer
    a = engine.ask("Kế hoạch có kêu gọi doanh nghiệp, mạnh thường quân góp sức không?")
    assert a.answerable and ids(a)[0] == "V", a.answer


def test_tinh_nguyen_is_no_province(engine):
    # folded, "tình nguyện" is no "tỉnh": the question is about volunteering, not where the plan applies
    a = engine.ask("Đoàn xã tụi em làm tình nguyện, kế hoạch có khuyến khích việc này không?")
    assert a.answerable and ids(a)[0] == "II.5.1" and has(a, "hoạt động tình nguyện"), a.answer


def test_that_part_points_back_to_the_passage_just_quoted(engine):
    sid = "types-that-part"
    engine.ask("NV6 có nói gì về BHYT toàn dân ko?", session_id=sid)
    cited = engine.ask("phan do nhac nghi quyet nao", session_id=sid)
    assert cited.answerable and ids(cited)[0] == "II.6.1.1" and has(cited, "21-NQ/TW"), cited.answer
    who = engine.ask("Ai chịu trách nhiệm thực hiện?", session_id=sid)
    assert ids(who)[0] == "II.6.2" and has(who, "Sở Y tế"), who.answer


def test_an_everyday_word_counts_only_where_it_stands_as_a_word(engine):
    # "nghiện" (addicted, → "ma túy") is not the "nghiên" of "nghiên cứu"
    a = engine.ask("kế hoạch có nói gì về hợp tác giáo dục, nghiên cứu với các nước ASEAN không")
    assert a.answerable and "II.5.1" in ids(a)[:2] and "II.4.1" not in ids(a), a.answer
    # nor "tiền để" (money to) the word "tiền đề" (premise)
    money = engine.ask("Tiền để làm mấy việc này ở đâu ra vậy?")
    assert money.answerable and ids(money)[0].startswith("III"), money.answer


@pytest.mark.parametrize("question", [
    "UBND cấp huyện theo kế hoạch này phải làm những việc gì?",
    "Ủy ban nhân dân huyện phải làm gì?",
    "ubnd quan phai lam nhung gi",
])
def test_one_level_of_a_body_named_for_several(engine, question):
    # the plan names "Ủy ban nhân dân quận, huyện": a district's or a county's committee is that body
    a = engine.ask(question)
    assert a.answerable and a.intent == "agency_tasks" and "II.11" in ids(a) and "VI.1" in ids(a), a.answer


@pytest.mark.parametrize("question,agency", [
    ("Kế hoạch muốn nâng cao năng lực cho những ai?", False),
    ("MTTQ và các đoàn thể được đề nghị tuyên truyền cho những ai?", False),
    ("nhiem vu xay dung cong dong nang dong giao cho ai", True),
    ("báo cáo năm thì nộp cho ai?", True),
])
def test_for_whom_is_who_gains_unless_something_is_handed_over(engine, question, agency):
    snap = engine.snapshot
    assert read(question, snap.lexicon, snap.facts, snap.parts).focus.agency is agency


def test_they_typed_without_marks_points_back(engine):
    sid = "types-they-plain"
    engine.ask("Nhiệm vụ xây dựng cộng đồng tiến bộ, hòa nhập, bình đẳng có những nội dung gì?", session_id=sid)
    engine.ask("NV đó sở nào chủ trì?", session_id=sid)
    a = engine.ask("ho phoi hop voi ai", session_id=sid)
    assert a.answerable and ids(a)[0] == "II.2.3", a.answer
    # "ho tro" opening a question is "hỗ trợ", not "họ"
    q = read("ho tro cho nguoi dan the nao", engine.snapshot.lexicon, engine.snapshot.facts, engine.snapshot.parts)
    assert "ho tro" in q.content_terms and not q.refers_to_agency


def test_raise_is_also_mobilise_in_english(engine):
    # "raise awareness" is "nâng cao", "raise support" is "vận động": the glossary gives both
    a = engine.ask("Does the Department of Planning and Investment have to raise support for the plan?")
    assert a.answerable and "VI.4" in ids(a)[:2], a.answer


def test_an_english_abbreviation_in_a_vietnamese_question_is_the_documents_words(engine):
    # the plan writes "tổ chức phi Chính phủ", never "NGO"
    a = engine.ask("Ai phối hợp với các NGO để vận động viện trợ, theo nhiệm vụ 10?")
    assert a.answerable and "II.10.3" in ids(a)[:3] and "II.10.2" in ids(a), a.answer
    both = engine.ask("nhiem vu 10 ve NGO gom nhung gi va so nao thuc hien?")
    assert both.answerable and has(both, "Sở Kế hoạch và Đầu tư", "viện trợ"), both.answer


def test_who_is_asks_a_person_only_where_it_ends_the_clause(engine):
    a = engine.ask("Các hoạt động đón đoàn lãnh đạo nước ngoài là ai tổ chức?")
    assert a.answerable and has(a, "Sở Ngoại vụ"), a.answer
    person = engine.ask("Lãnh đạo Sở Ngoại vụ hiện nay là ai vậy?")
    assert not person.answerable, person.answer


def test_after_all_is_no_concept_and_aiming_at_is_the_goal(engine):
    a = engine.ask("Rốt cuộc kế hoạch này nhắm đến điều gì?")
    assert a.answerable and ids(a)[0].startswith("I."), a.answer
    plainly = engine.ask("nói nôm na kế hoạch này mục tiêu chung là gì?")
    assert plainly.answerable and ids(plainly)[0] == "I.1", plainly.answer


def test_bringing_up_to_the_council_is_submitting(engine):
    a = engine.ask("Dự toán kinh phí thì cơ quan nào đưa lên HĐND thành phố?")
    assert a.answerable and "VI.3" in ids(a)[:2] and has(a, "Sở Tài chính"), a.answer


@pytest.mark.parametrize("question,section", [
    ("nhiệm vụ 6 gồm mấy phần?", "II.6.1"),
    ("NV8 có mấy phần nội dung vậy", "II.8.1"),
])
def test_the_parts_of_a_task_are_its_points_not_the_plans_parts(engine, question, section):
    a = engine.ask(question)
    assert a.intent == "structure" and ids(a)[0] == section and has(a, "có 2 ý"), a.answer


def test_everyday_words_for_farming_machines_and_contract_work_abroad(engine):
    a = engine.ask("Sở nào lo chuyện đưa máy móc hiện đại về đồng ruộng cho nông dân?")
    assert a.answerable and ids(a)[0] == "II.8.2" and has(a, "Sở Nông nghiệp và Phát triển nông thôn"), a.answer
    abroad = engine.ask("Con tôi định đi làm việc ở nước ngoài theo hợp đồng, kế hoạch có nói gì không?")
    assert abroad.answerable and "II.2.1" in ids(abroad), abroad.answer


def test_di_typed_without_marks_is_going_not_a_concept(engine):
    q = read("ai di van dong cac to chuc phi chinh phu", engine.snapshot.lexicon, engine.snapshot.facts,
             engine.snapshot.parts)
    assert "di" not in q.content_terms
    # with its neighbours it stays a word of the documents
    relic = read("diem du lich gan voi di tich", engine.snapshot.lexicon, engine.snapshot.facts, engine.snapshot.parts)
    assert "di tich" in relic.content_terms


def test_who_does_the_work_a_cited_resolution_stands_in_is_a_body(engine):
    sid = "types-resolution-work"
    engine.ask("Kế hoạch có nhắc tới Nghị quyết 15-NQ/TW không?", session_id=sid)
    a = engine.ask("Cơ quan nào tham mưu cho Thành ủy thực hiện nghị quyết đó?", session_id=sid)
    assert a.answerable and ids(a)[0] == "II.2.2" and has(a, LĐ), a.answer
    # a turn between about the same resolution keeps it for the next one
    later = engine.ask("Nghị quyết đó do cơ quan nào ban hành?", session_id=sid)
    assert later.intent == "reference" and has(later, "Ban Chấp hành Trung ương"), later.answer
    sid = "types-resolution-issuer"
    engine.ask("Kế hoạch có nhắc tới Nghị quyết 15-NQ/TW không?", session_id=sid)
    issuer = engine.ask("Nghị quyết đó do ai ban hành?", session_id=sid)
    assert issuer.intent == "reference" and has(issuer, "Ban Chấp hành Trung ương"), issuer.answer


def test_how_many_percent_asks_a_share(engine):
    a = engine.ask("Kế hoạch đặt ra bao nhiêu % cán bộ thông tin cơ sở ở địa bàn khó khăn được đào tạo?")
    assert a.answerable and ids(a)[0] == "II.8.1.2" and has(a, "100%"), a.answer
    snap = engine.snapshot
    share = read("Có bao nhiêu % người dân được tham gia bảo hiểm y tế?", snap.lexicon, snap.facts, snap.parts)
    assert share.focus.unit == "%"


@pytest.mark.parametrize("question", [
    "Kế hoạch có áp dụng cho mấy xã đảo không hay chỉ trong nội thành?",
    "Ở huyện đảo thì kế hoạch có áp dụng không?",
])
def test_an_island_is_a_place_of_the_plans_scope(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a) == ["IV.1"] and has(a, "toàn thành phố Hải Phòng"), a.answer


def test_an_english_wh_question_of_its_own_is_a_part_of_a_compound(engine):
    # "where … come from" asks no type the reader names, yet it is a question: both parts are answered
    a = engine.ask("Where does the money for the plan come from, and when is the yearly report due?")
    assert a.answerable and ids(a)[0].startswith("III") and "VI.1" in ids(a)[:3] and has(a, "01 tháng 12"), a.answer


def test_a_line_two_parts_share_is_said_once(engine):
    a = engine.ask("Nhiệm vụ 5 gồm những gì và sở nào chủ trì?")
    lead = [line for line in a.answer.splitlines() if line.startswith("Cơ quan thực hiện nhiệm vụ 5")]
    assert a.answerable and len(lead) == 1, a.answer


@pytest.mark.parametrize("question,sent", [
    ("Kế hoạch có được gửi lên cổng thông tin điện tử thành phố không?", True),
    ("Văn bản này có được đăng lên báo Hải Phòng không?", False),
])
def test_a_recipient_that_is_no_body_is_read_with_the_lists_abbreviations(engine, question, sent):
    # the list writes "Cổng TTĐT TP"; the answer spells it out beside the document's own words
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "closing", a.answer
    assert a.answer.startswith("Có." if sent else "Không có tên"), a.answer
    assert "- Cổng TTĐT TP; (Cổng thông tin điện tử thành phố)" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "Kế hoạch nhắc tới những chương trình mục tiêu quốc gia nào?",
    "What national target programmes are mentioned in the plan?",
])
def test_every_passage_naming_one_of_a_kind_is_quoted(engine, question):
    # "… thuộc Chương trình mục tiêu quốc gia Giảm nghèo …" (task 2) and "… Chương trình mục tiêu Quốc gia đưa
    # thông tin về cơ sở …" (task 8): a kind the plan names in two places is a list
    a = engine.ask(question)
    assert a.answerable and ids(a) == ["II.2.1", "II.8.1.2"], a.answer
    assert has(a, "Giảm nghèo bền vững", "đưa thông tin về cơ sở"), a.answer


def test_a_kind_named_once_is_no_list(engine):
    snap = engine.snapshot
    from ascc_bot.answer.base import Context
    from ascc_bot.answer.named import NamedKind
    # "Chương trình bình đẳng giới" stands once in the plan: the content module quotes it
    q = read("Kế hoạch có những chương trình bình đẳng giới nào?", snap.lexicon, snap.facts, snap.parts)
    assert not NamedKind().recognises(q, Context(snap, q, None))


def test_a_department_not_named_in_the_recipients_is_in_their_common_line(engine):
    a = engine.ask("Kế hoạch có gửi cho Sở Tư pháp không?")
    assert a.answerable and ids(a)[0] == "closing", a.answer
    assert a.answer.startswith("Không nêu tên riêng, nhưng có trong dòng chung “Các Sở, ban, ngành"), a.answer


@pytest.mark.parametrize("question,name", [
    ("Kế hoạch có gửi Bộ Y tế không?", "Bộ Y tế"),
    ("Sở Xây dựng có được giao nhiệm vụ nào không?", "Sở Xây dựng"),
])
def test_the_name_of_a_body_no_document_names_ends_where_the_question_goes_on(engine, question, name):
    a = engine.ask(question)
    assert not a.answerable and f"không nêu tên {name}, nên" in a.answer, a.answer


@pytest.mark.parametrize("question,first,second,second_lead", [
    ("Nhiệm vụ 5 và nhiệm vụ 9 do ai thực hiện?", "II.5.2", "II.9.2", "Sở Ngoại vụ"),
    ("NV 2, NV 3 ai chủ trì?", "II.2.2", "II.3.2", "Sở Tài nguyên và Môi trường"),
    ("Who leads tasks 4 and 7?", "II.4.2", "II.7.2", "Sở Du lịch (Department of Tourism)"),
])
def test_several_tasks_named_together_are_each_answered(engine, question, first, second, second_lead):
    a = engine.ask(question)
    assert a.answerable and ids(a)[:2] == [first, second], a.answer
    assert second_lead in a.answer, a.answer


def test_points_of_one_task_are_no_list_of_tasks(engine):
    snap = engine.snapshot
    from ascc_bot.understand import tasks_named
    assert tasks_named("Điểm 6.1 và 6.2 nói gì?", snap.facts) == []
    assert tasks_named("nhiem vu 1 va 2 co noi dung gi", snap.facts) == ["1", "2"]
    assert tasks_named("Nhiệm vụ 5 và 19", snap.facts) == []


@pytest.mark.parametrize("question,section", [
    ("Trên Facebook nhiều tin giả quá, thành phố có làm gì không?", "II.8.1.2"),  # tin giả: thông tin sai trái
    ("Ke hoach co tuyen truyen ve cong dong ASEAN tren bao dai khong?", "VI.6"),  # báo đài: thông tin đại chúng
    ("Who will monitor the implementation of the plan?", "VI.2"),
])
def test_everyday_words_for_false_news_the_media_and_monitoring(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


def test_the_askers_own_story_is_no_concept_the_answer_must_hold(engine):
    # "Mẹ tôi đau yếu nhiều năm nay rồi" tells the asker's story; "nhà nước" is whoever acts
    a = engine.ask("Mẹ tôi đau yếu nhiều năm nay rồi, nhà nước có lo khám chữa bệnh cho người già không?")
    assert a.answerable and ids(a)[0] == "II.6.1.2", a.answer
    a = engine.ask("Ông nào đã ký kế hoạch này?")
    assert not a.answerable and a.intent == "out_of_scope", a.answer  # "ông nào ký": a person


@pytest.mark.parametrize("question,section", [
    # "mấy" beside another question word, or in a yes/no question, is a plural, not a count
    ("Kế hoạch có khuyến khích mấy hoạt động tình nguyện không hay chỉ nói cho có?", "II.5.1"),
    ("Mình làm cho một tổ chức phi chính phủ nước ngoài, kế hoạch nói gì về tiền viện trợ của mấy tổ chức như "
     "bọn mình?", "II.10.1"),
    # "muốn … đạt được" is a purpose, not a result achieved
    ("Thành phố muốn cùng ASEAN đạt được điều gì?", "I.1"),
    # "ai là người + verb" asks who does it, not a named person
    ("Ai là người quyết định kinh phí hằng năm?", "III.1"),
])
def test_plural_purpose_and_who_is_the_one_who(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


def test_a_plus_joins_two_questions_in_chat(engine):
    a = engine.ask("NV 1: ND chính là gì + cq phối hợp là ai")
    assert a.answerable and {"II.1.1", "II.1.3"} <= set(ids(a)), a.answer
    assert "Sở Tư pháp" in a.answer, a.answer


def test_a_schemes_kind_after_the_bodys_name_is_the_scheme(engine):
    snap = engine.snapshot
    # "BHXH tự nguyện" is voluntary social insurance (a policy of task 6), not the agency
    q = read("Nhiệm vụ 6 có nói về BHXH tự nguyện không?", snap.lexicon, snap.facts, snap.parts)
    assert q.agencies == (), q.agencies
    q = read("BHXH có phải cơ quan thực hiện nhiệm vụ 6 không?", snap.lexicon, snap.facts, snap.parts)
    assert q.agencies == ("Bảo hiểm Xã hội Hải Phòng",), q.agencies


def test_the_details_of_that_task_ask_its_content(engine):
    first = engine.ask("so nao lam nv cong dong tu luc tu cuong", session_id="details")
    assert ids(first)[0] == "II.4.2", first.answer
    a = engine.ask("noi dung cu the nv nay?", session_id="details")
    assert a.answerable and ids(a)[0] == "II.4.1", a.answer


@pytest.mark.parametrize("question", ["Who pays for implementing this plan?", "Ai trả tiền để thực hiện kế hoạch?"])
def test_who_pays_asks_where_the_money_comes_from(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "III.1", a.answer


def test_a_document_set_aside_is_not_the_one_asked_about(engine):
    a = engine.ask("Ngoài QĐ 161/QĐ-TTg, KH còn được xây dựng theo hướng dẫn của bộ nào?")
    assert a.answerable and ids(a) == ["preamble"], a.answer
    assert "hướng dẫn của Bộ Lao động Thương binh và Xã hội" in a.answer, a.answer


def test_a_district_of_the_city_inside_the_plan_is_its_scope(engine):
    a = engine.ask("Huyện Tiên Lãng có nằm trong kế hoạch không?")
    assert a.answerable and ids(a) == ["IV.1"], a.answer


def test_two_parts_named_restrict_to_neither(engine):
    a = engine.ask("Sở KH&ĐT đc giao những việc j trong KH (cả mục II lẫn mục VI)?")
    assert a.answerable and ids(a) == ["II.10.2", "VI.4"], a.answer


def test_a_change_the_plan_proposes_is_no_question_of_its_status(engine):
    a = engine.ask("Kế hoạch có kiến nghị sửa đổi gì không?")
    assert a.answerable and "quy định chưa phù hợp" in a.answer, a.answer
    assert not engine.ask("Kế hoạch này đã được sửa đổi chưa?").answerable


@pytest.mark.parametrize("question", [
    "Quận huyện thì phải làm gì trong kế hoạch này?",
    "What are the district governments supposed to do under the plan?",
])
def test_the_districts_named_by_place_bear_their_committees_duties(engine, question):
    a = engine.ask(question)
    assert a.answerable and a.intent == "agency_tasks" and "II.11" in ids(a)[:2], a.answer
    assert not engine.ask("Kế hoạch áp dụng cho quận huyện nào?").intent == "agency_tasks"


def test_a_part_named_as_included_restricts_nothing(engine):
    a = engine.ask("ubnd quan huyen co nhung trach nhiem gi trong ke hoach, ke ca phan to chuc thuc hien")
    assert a.answerable and {"II.11", "VI.1"} <= set(ids(a)), a.answer


def test_what_a_numbered_task_is_about_is_its_content_not_the_plans(engine):
    a = engine.ask("Nhiệm vụ thứ 9 của kế hoạch nói về việc gì?")
    assert a.answerable and ids(a)[0] == "II.9.1", a.answer


@pytest.mark.parametrize("question", [
    "What is the official number of this Hai Phong plan and on what date was it signed?",
    "What results did the city report at the 2020 review?",
    "What is the fee for registering a company in Hai Phong?",
    "Muốn xin giấy chứng nhận an toàn thực phẩm thì làm thế nào?",
    "What's the budget for the cultural festivals each year?",
])
def test_more_questions_the_documents_cannot_answer(engine, question):
    assert not engine.ask(question).answerable


def test_fine_opening_an_english_turn_agrees(engine):
    engine.ask("Who leads task 3?", session_id="fine")
    a = engine.ask("Fine. Who coordinates with them on that task?", session_id="fine")
    assert a.answerable and ids(a)[0] == "II.3.3", a.answer


@pytest.mark.parametrize("question,section", [
    ("Có chương trình gì để trẻ con được nói lên ý kiến của mình không?", "II.2.1"),  # quyền tham gia của trẻ em
    ("có sửa đổi mấy quy định chưa phù hợp không", "V"),  # the rules it proposes to change, not the plan's status
    ("Does the plan pay particular attention to the poorest communes?", "II.2.1"),
])
def test_childrens_say_rules_to_change_and_the_poorest_communes(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


@pytest.mark.parametrize("question", [
    "Dự toán kinh phí phải lập vào lúc nào?",
    "du toan kinh phi cho ke hoach co phai nam nao cung lap khong",  # "năm nào cũng" is every year
])
def test_how_often_answers_when_but_not_which_day(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "III.1" and "Hàng năm" in a.answer, a.answer
    assert not engine.ask("Luật NSNN quy định thời hạn lập dự toán ngân sách là khi nào?").answerable


def test_english_issues_are_matters_and_who_issues_is_the_issuer(engine):
    a = engine.ask("What environmental issues does task 3 cover?")
    assert a.answerable and ids(a)[0] == "II.3.1", a.answer
    a = engine.ask("Which body issues this plan?")
    assert a.answerable and ids(a) == ["preamble"] and "Ủy ban nhân dân thành phố Hải Phòng" in a.answer, a.answer


def test_sponsorship_is_support_raised(engine):
    engine.ask("Kế hoạch có cho phép dùng nguồn tài trợ của nước ngoài không?", session_id="sponsor")
    a = engine.ask("Vậy ai đứng ra vận động nguồn tài trợ đó?", session_id="sponsor")
    assert a.answerable and ids(a)[0] == "VI.4" and "Sở Kế hoạch và Đầu tư" in a.answer, a.answer


def test_a_factory_is_no_count(engine):
    snap = engine.snapshot
    q = read("Khu tôi ở gần nhà máy, khói bụi nhiều, kế hoạch có tính chuyện sản xuất sạch hơn không?",
             snap.lexicon, snap.facts, snap.parts)
    assert not q.focus.amount and not any(c.focus.amount for c in q.clauses), q


def test_both_parts_named_in_english_restrict_to_neither(engine):
    a = engine.ask("What does the plan require from the district people's committees, both in the activities part "
                   "and in the organisation part?")
    assert a.answerable and {"II.11", "VI.1"} <= set(ids(a)), a.answer


@pytest.mark.parametrize("question,section", [
    # the story runs over sentences; "ngày nào cũng" is every day, not which day
    ("Tôi làm tạp vụ trong viện, ngày nào cũng thấy người bệnh ngồi chờ cả buổi mới tới lượt. Kế hoạch có nói gì "
     "về chuyện bớt giấy tờ, đỡ phải chờ lâu không?", "II.6.1.2"),
    ("Chỗ tôi ở Đồ Sơn người ta vứt rác bừa bãi, kế hoạch của thành phố có nói gì về chuyện xử lý rác, dùng công "
     "nghệ sạch không?", "II.3.1"),
    ("Tôi buôn bán nhỏ, làm ăn với cả khách nước ngoài. Kế hoạch có nói gì về văn hóa kinh doanh không?", "II.5.1"),
])
def test_the_askers_story_over_several_sentences(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


@pytest.mark.parametrize("question", ["Đ/c nào ký ban hành KH ASCC của UBND TP?",
                                      "Sở LĐTBXH nhận BC qua email nào, cán bộ đầu mối tên gì?"])
def test_a_comrade_who_signed_and_a_contact_officers_name_are_persons(engine, question):
    assert not engine.ask(question).answerable


@pytest.mark.parametrize("question,section", [
    # typed without marks, "thế con" is "thế còn" (what about), not a child
    ("the con giam ngheo thi ai lam", "II.2.2"),
    ("vay con ung pho bien doi khi hau thi so nao lam", "II.3.2"),
])
def test_what_about_typed_without_marks(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


@pytest.mark.parametrize("question,section", [
    # a whole sentence of the asker's story, without "tôi", and an English one
    ("Làm bốc vác ở cảng, ngày nào cũng khuân vác nặng nhọc. Kế hoạch có nói gì về bảo hiểm xã hội tự nguyện "
     "không?", "II.6.1.1"),
    ("I use a hearing aid. Does the plan promise fair access to social services?", "II.2.1"),
])
def test_a_sentence_of_the_askers_story_is_no_concept(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


def test_which_number_a_resolution_has_is_no_count(engine):
    a = engine.ask("Phần bảo hiểm xã hội thực hiện theo nghị quyết số mấy của Bộ Chính trị?")
    assert a.answerable and ids(a)[0] == "II.6.1.1" and "21-NQ/TW" in a.answer, a.answer


def test_a_body_named_as_issuer_of_a_cited_document_is_known(engine):
    a = engine.ask("Nghị quyết nào của Bộ Chính trị về bảo hiểm y tế được kế hoạch dẫn ra?")
    assert a.answerable and "21-NQ/TW" in a.answer, a.answer


def test_words_about_appearing_in_the_plan_are_no_concept(engine):
    a = engine.ask("Sở Tư pháp có tên trong những nhiệm vụ nào của kế hoạch?")
    assert a.answerable and "II.1.3" in ids(a), a.answer


@pytest.mark.parametrize("question", [
    "Mức hỗ trợ đóng bảo hiểm y tế cho người cận nghèo là bao nhiêu tiền/tháng?",  # "tháng" is no time asked
    "Đầu mối bên Sở Y tế là chị nào vậy?",
])
def test_a_sum_of_money_and_a_person_addressed_are_not_in_the_plan(engine, question):
    assert not engine.ask(question).answerable


def test_a_list_of_a_kind_is_quoted_from_the_passage_that_names_several(engine):
    a = engine.ask("Trong phần nâng cao hiệu quả chăm sóc sức khỏe nhân dân, kế hoạch chú trọng những bệnh gì?")
    assert a.answerable and ids(a)[0] == "II.6.1.2" and has(a, "bệnh nhiễm trùng"), a.answer


def test_english_in_charge_inside_vietnamese(engine):
    engine.ask("kế hoạch có nói gì về bảo tồn đa dạng sinh học không", session_id="in-charge")
    a = engine.ask("vậy sở nào in charge?", session_id="in-charge")
    assert a.answerable and ids(a)[0] == "II.3.2" and "Sở Tài nguyên và Môi trường" in a.answer, a.answer


def test_who_carries_out_a_cited_resolution_is_the_task_body_not_its_issuer(engine):
    a = engine.ask("Ai tham mưu thực hiện Nghị quyết 21-NQ/TW về bảo hiểm xã hội, bảo hiểm y tế?")
    assert a.answerable and ids(a)[0] == "II.6.2" and "Sở Y tế" in a.answer, a.answer
    a = engine.ask("Nghị quyết 21-NQ/TW do ai ban hành?")
    assert a.answerable and "Bộ Chính trị" in a.answer, a.answer


@pytest.mark.parametrize("question,section", [
    ("Kế hoạch nói gì về hợp tác giáo dục với các quốc gia thành viên ASEAN?", "II.5.1"),
    ("Which department handles cooperation with ASEAN member states?", "II.5.2"),
])
def test_cooperation_with_asean_states_is_in_the_plan(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:3], a.answer


def test_a_place_asked_is_no_board(engine):
    a = engine.ask("ke hoach thuc hien o dia ban nao vay")
    assert a.answerable and ids(a)[0] == "IV.1", a.answer


def test_when_before_a_verb_in_ing_is_no_time_asked(engine):
    a = engine.ask("Does the Department of Finance cooperate with the Department of Planning and Investment when "
                   "raising funds for the plan?")
    assert a.answerable, a.answer


def test_the_plans_activities_are_the_plan(engine):
    a = engine.ask("Who pays for the activities under the plan?")
    assert a.answerable and ids(a)[0].startswith("III") and "ngân sách nhà nước" in a.answer, a.answer


@pytest.mark.parametrize("question", ["Which department consolidates the yearly reports on the plan?",
                                      "Sở nào tổng hợp báo cáo tình hình thực hiện kế hoạch?"])
def test_who_compiles_the_reports_is_the_body_that_compiles(engine, question):
    a = engine.ask(question)
    assert a.answerable and "VI.2" in ids(a)[:3] and LĐ in a.answer, a.answer


def test_an_english_aside_between_commas_is_no_question_of_its_own():
    assert split_clauses("How much money in total, in VND, is budgeted for this plan?", "en") == [
        "How much money in total, in VND, is budgeted for this plan?"]
    assert len(split_clauses("Which department leads task 3, and to whom does it report?", "en")) == 2


def test_employment_is_a_concept(engine):
    snap = engine.snapshot
    q = read("Kế hoạch có nói gì về giải quyết việc làm cho người lao động không?", snap.lexicon, snap.facts,
             snap.parts)
    assert "viec lam" in q.content_terms, q.content_terms


def test_a_story_typed_without_marks_speaks_of_the_asker(engine):
    a = engine.ask("e lam cong nhan o khu cong nghiep, ke hoach co j ve giai quyet viec lam ko")
    assert a.answerable and ids(a)[0] == "II.2.1", a.answer


def test_a_retirees_preface_is_who_asks(engine):
    snap = engine.snapshot
    q = read("Tôi về hưu ở Ngô Quyền, muốn hỏi kế hoạch thực hiện đến năm nào?", snap.lexicon, snap.facts, snap.parts)
    assert q.text.startswith("Kế hoạch thực hiện"), q.text


@pytest.mark.parametrize("question,section", [
    # "ngoài mấy … ra" is a plural, as is "mấy" before "gì"/"nào"
    ("Mảng y tế thì ngoài mấy sở chủ trì ra còn cơ quan nào phối hợp?", "II.6.3"),
    # a matter ("chuyện") is no sending; "tò mò chút" is the asker's, not a topic
    ("Bán vé số ngoài chợ. Chuyện bình đẳng giới trong kế hoạch là sở nào lo vậy?", "II.2.2"),
    ("Mình làm ở chợ Sắt, tò mò chút: cơ quan nào chủ trì thực hiện cả kế hoạch?", "VI.2"),
    # "Dept of"
    ("Which tasks is the Dept. of Foreign Affairs named in?", "II.1.2"),
])
def test_more_everyday_readings(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:3], a.answer


def test_how_many_phases_is_answered_by_the_periods(engine):
    a = engine.ask("Kế hoạch hành động được chia thành mấy giai đoạn?")
    assert a.answerable and "IV.2" in ids(a) and "2017 - 2020" in a.answer, a.answer


def test_what_the_plan_is_about_after_a_story(engine):
    a = engine.ask("Tôi không rành chữ, nghe loa phường nói kế hoạch gì đó mà không hiểu. Chú nói giùm kế hoạch này "
                   "nói về cái gì?")
    assert a.answerable and "preamble" in ids(a) and "161/QĐ-TTg" in a.answer, a.answer


def test_summarising_a_topic_is_no_overview_of_the_plan(engine):
    a = engine.ask("tóm tắt giúp các giải pháp thực hiện")
    assert a.answerable and ids(a)[0] == "V", a.answer
    a = engine.ask("tóm tắt giúp kế hoạch này")
    assert a.answerable and ids(a)[0] == "preamble", a.answer


@pytest.mark.parametrize("question,section", [
    ("Does the plan say anything about mental helth?", "II.6.1.2"),  # a letter dropped inside a word
    ("Who handles the enviroment task?", "II.3.2"),  # a letter dropped again
    ("who gets rural people to use science & tech?", "II.8.2"),  # "use" science is "ứng dụng" it
])
def test_english_slips_and_use(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:3], a.answer


def test_a_word_one_letter_short_of_a_glossary_word_stays():
    from ascc_bot.understand import _mended_english
    assert _mended_english(" especially difficult circumstances ") == " especially difficult circumstances "


def test_an_exact_date_each_year_is_not_a_yearly_habit(engine):
    a = engine.ask("On what exact date each year must the budget estimates be sent to the Department of Finance?")
    assert not a.answerable, a.answer


@pytest.mark.parametrize("question", ["Until which year does this plan run?", "What's the timeline of the plan?"])
def test_the_plans_timeline_asked_in_english(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "IV.2" and "2025" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "Kế hoạch ASEAN của thành phố thực hiện đến năm nào?",
    "KH ASCC của HP thực hiện đến năm nào?",
    "Hai Phong's ASEAN socio-cultural plan runs until when?",
])
def test_the_plan_named_by_its_title_words_asks_its_timeline(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "IV.2" and "2025" in a.answer, a.answer


def test_a_topic_outside_the_title_still_asks_its_own_period(engine):
    a = engine.ask("Chương trình giảm nghèo của kế hoạch thực hiện trong giai đoạn nào?")
    assert a.answerable and ids(a)[0] != "IV.2", a.answer


@pytest.mark.parametrize("question", ["What role does Sở Tài chính play?", "What role do the UBND quận, huyện play?"])
def test_an_english_frame_around_a_vietnamese_name_is_english(engine, question):
    a = engine.ask(question, session_id=None)
    assert a.lang == "en" and a.answer.startswith("What ") and {"VI.3", "VI.1"} & set(ids(a)), a.answer


@pytest.mark.parametrize("question", ["Is disability inclusion covered anywhere in the plan?",
                                      "Which department handles disability issues?"])
def test_disability_in_english(engine, question):
    a = engine.ask(question)
    assert a.answerable and "khuyết tật" in a.answer and ids(a)[0] != "preamble", a.answer


@pytest.mark.parametrize("question", ["Nhiệm vụ chăm sóc sức khỏe có bao nhiêu sở chủ trì?",
                                      "How many agencies lead task 6?"])
def test_bodies_counted_for_a_task_named_by_number_or_words(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "II.6.2" and "3" in a.answer.split("\n")[0], a.answer


def test_coordinators_named_as_a_group_are_not_counted(engine):
    a = engine.ask("Nhiệm vụ 6 có mấy cơ quan phối hợp?")
    assert a.answerable and ids(a)[0] == "II.6.3" and "không nêu số lượng" in a.answer, a.answer


def test_a_plural_before_a_demonstrative_is_no_count_of_bodies(engine):
    a = engine.ask("mấy sở đó vận động dc bao nhiêu tiền viện trợ rồi ạ")
    assert not a.answerable, a.answer


def test_how_is_no_question_of_names(engine):
    a = engine.ask("kế hoạch muốn vận động, điều phối viện trợ của các tổ chức phi chính phủ nước ngoài thế nào nhỉ?")
    assert a.answerable and ids(a)[0].startswith("II.10"), a.answer


def test_two_parts_named_together_are_each_answered(engine):
    a = engine.ask("Mục III và mục IV của kế hoạch nói về những vấn đề gì?")
    assert a.answerable and {"III.1", "IV.1"} <= set(ids(a)) and "KINH PHÍ" in a.answer, a.answer


def test_a_request_for_more_detail_follows_the_last_task(engine):
    engine.ask("NV 8 (ứng dụng KHCN trong SX công nghiệp, nông nghiệp) giao cho những sở nào?", session_id="detail")
    a = engine.ask("chi tiết hơn về ND của nv này", session_id="detail")
    assert a.answerable and ids(a)[0].startswith("II.8.1"), a.answer


@pytest.mark.parametrize("question, section", [
    ("hạn nộp BC là khi nào", "VI.1"),
    ("BC gửi ai?", "VI.1"),
])
def test_bc_is_a_report(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section and "01 tháng 12" in a.answer, a.answer


def test_results_asked_with_kq_are_refused(engine):
    assert not engine.ask("Sơ kết GĐ 2017-2020 đánh giá KQ ra sao, đạt bao nhiêu % mục tiêu?").answerable


@pytest.mark.parametrize("question", ["thế thẻ BHYT cho cháu thì làm ở đâu, mất bao lâu?",
                                      "Can foreigners like me buy a health insurance card in Hai Phong?"])
def test_getting_a_card_is_a_citizens_procedure(engine, question):
    assert not engine.ask(question).answerable


def test_the_stage_of_organising_is_part_vi(engine):
    a = engine.ask("Sở Tài chính với Sở Kế hoạch và Đầu tư mỗi bên lo phần gì trong khâu tổ chức thực hiện?")
    assert a.answerable and set(ids(a)) == {"VI.3", "VI.4"}, a.answer


def test_prioritised_where_asks_a_place_not_a_body(engine):
    a = engine.ask("Kế hoạch nói đầu tư nhân lực, trang thiết bị khám chữa bệnh ban đầu thì ưu tiên nơi nào?")
    assert a.answerable and ids(a)[0] == "II.6.1.2" and "tỷ lệ hộ nghèo cao" in a.answer, a.answer


def test_a_what_about_follow_up_quotes_the_passage_of_the_conversations_matter(engine):
    engine.ask("Người khuyết tật được kế hoạch nói gì?", session_id="carried")
    a = engine.ask("Khám bệnh thì sao?", session_id="carried")
    assert a.answerable and ids(a)[0] == "II.6.1.2" and "người khuyết tật" in a.answer, a.answer


def test_the_duties_of_the_body_the_askers_story_names(engine):
    a = engine.ask("bên mình là Sở Ngoại vụ, đang làm BC, ko biết KH giao sở mình thực hiện những nhiệm vụ nào vậy?")
    assert a.answerable and {"II.1.2", "II.9.2", "II.10.2"} <= set(ids(a)), a.answer


def test_where_the_money_comes_from_is_no_count(engine):
    a = engine.ask("tiền đâu ra để làm mấy việc trong kế hoạch này vậy")
    assert a.answerable and ids(a)[0] == "III.1" and "ngân sách nhà nước" in a.answer, a.answer


def test_groups_of_activities_are_the_tasks(engine):
    a = engine.ask("kế hoạch này có tổng cộng mấy nhóm nội dung hoạt động vậy, kể sơ qua giúp mình với")
    assert a.answerable and ids(a)[0] == "II" and "11" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "mua bhyt tự nguyện ở đâu, mất bn tiền 1 năm",
    "Tỷ lệ bao phủ bảo hiểm y tế hiện đã đạt bao nhiêu phần trăm, có vượt chỉ tiêu không?",
    "Con tôi muốn vào cơ sở cai nghiện tự nguyện thì làm thủ tục ở đâu, mất bao nhiêu tiền?",
    "co mau bieu BC ket qua hoat dong ASCC ko, gui file giup",
])
def test_citizens_steps_forms_and_targets_exceeded_are_refused(engine, question):
    assert not engine.ask(question).answerable


def test_setting_a_target_is_no_result(engine):
    a = engine.ask("kế hoạch có đặt chỉ tiêu gì về đào tạo cán bộ thông tin cơ sở ở vùng khó khăn không?")
    assert a.answerable and "100%" in a.answer, a.answer


def test_when_inside_a_yes_no_question_is_a_circumstance(engine):
    a = engine.ask("Are there also events when foreign leaders visit?")
    assert a.answerable and ids(a)[0].startswith("II.9"), a.answer
    a = engine.ask("Does the plan say when the report is due?")
    assert a.answerable and ids(a)[0] == "VI.1" and "01 tháng 12" in a.answer, a.answer


def test_the_bodies_of_the_last_task_do_that_tasks_work(engine):
    engine.ask("Mảng ngoại giao văn hóa trong kế hoạch giao cho ai chủ trì thế?", session_id="their-work")
    a = engine.ask("hai sở đấy phải làm cụ thể những gì, liệt kê giúp", session_id="their-work")
    assert a.intent == "agency_tasks" and ids(a) == ["II.9.2", "II.9.1"], a.answer
    assert a.answer.count("Nội dung nhiệm vụ:") == 1 and "Sở Ngoại vụ" in a.answer, a.answer
    a = engine.ask("Sở Ngoại vụ còn thực hiện những nhiệm vụ nào khác?", session_id="their-work")
    assert "II.10.2" in ids(a), a.answer


def test_english_review_and_publication_words(engine):
    a = engine.ask("What communication materials does the plan say should be compiled and published?")
    assert a.answerable and "ấn phẩm truyền thông" in a.answer, a.answer


def test_a_where_clause_after_a_deadline_is_its_own_question(engine):
    a = engine.ask("UBND quận, huyện gửi báo cáo kết quả trước ngày nào, và hằng năm phải lồng ghép mục tiêu ASCC "
                   "vào đâu?")
    assert a.answerable and ids(a)[0] == "VI.1" and {"V", "II.11"} & set(ids(a)), a.answer


def test_two_tasks_named_by_their_words_are_each_answered(engine):
    a = engine.ask("nhiem vu cong dong ben vung va nhiem vu cong dong nang dong lan luot do so nao thuc hien")
    assert a.answerable and {"II.3.2", "II.5.2"} <= set(ids(a)), a.answer
    assert "Sở Tài nguyên và Môi trường" in a.answer and "Sở Thông tin và Truyền thông" in a.answer, a.answer


def test_summarise_after_a_task_is_that_task_not_the_plan(engine):
    engine.ask("Which department leads the work on building a sustainable community under the Hai Phong plan?",
               session_id="summarise-back")
    a = engine.ask("What exactly is that department expected to do? Summarise it for me.", session_id="summarise-back")
    assert a.answerable and ids(a)[0] == "II.3.1", a.answer


def test_a_story_sentence_ends_before_the_question_sentence(engine):
    a = engine.ask("Phường tôi tối nào cũng có đội văn nghệ tập hát chèo. Hoạt động văn hóa, văn nghệ trong kế hoạch "
                   "là sở nào làm vậy?")
    assert a.answerable and ids(a)[0] == "II.7.2" and "Sở Văn hóa và Thể thao" in a.answer, a.answer


def test_a_remark_after_the_question_mark_is_dropped(engine):
    a = engine.ask("Kế hoạch làm gì với ma túy vậy? Nói thật tui chỉ quan tâm vụ đó thôi.")
    assert a.answerable and ids(a)[0] == "II.4.1" and "ma túy" in a.answer, a.answer


def test_a_vietnamese_aside_in_english_is_not_read_as_english_letters(engine):
    a = engine.ask("is Sở Du lịch an implementing agency for task 9 (ngoại giao văn hóa)?")
    assert a.answerable and ids(a)[0] == "II.9.2" and a.answer.startswith("No"), a.answer


def test_ok_and_a_body_follows_the_last_question(engine):
    engine.ask("who leads task 10 on foreign NGO aid?", session_id="ok-and")
    engine.ask("what else does that department have to do in part VI?", session_id="ok-and")
    a = engine.ask("ok and Sở Tài chính?", session_id="ok-and")
    assert a.answerable and "VI.3" in ids(a), a.answer


@pytest.mark.parametrize("question, section", [
    ("overall lead agency for the whole ASCC plan in Hai Phong?", "VI.2"),
    ("lead agency for task 4?", "II.4.2"),
    ("what is the lead agency for task 4?", "II.4.2"),
])
def test_a_body_named_by_its_role_is_asked_for(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


@pytest.mark.parametrize("question", [
    "HP kết nghĩa với TP nào của các nước ASEAN?",
    "Which Thai provinces has Hai Phong signed cultural cooperation agreements with?",
    "When and where was the ASCC Blueprint 2025 adopted?",
])
def test_places_the_plan_does_not_name_and_the_blueprints_adoption_are_refused(engine, question):
    assert not engine.ask(question).answerable


@pytest.mark.parametrize("question", ["Kế hoạch áp dụng cho thành phố nào?",
                                      "giải quyết việc làm, XKLĐ trong KH tính cho giai đoạn nào"])
def test_the_plans_own_city_and_a_reckoned_period_are_answered(engine, question):
    assert engine.ask(question).answerable


def test_a_story_sentence_with_who_in_it_asks_nothing(engine):
    a = engine.ask("Trên Facebook nhiều tin đồn thất thiệt về bảo hiểm y tế quá, tôi chẳng biết tin ai. Kế hoạch có "
                   "nói gì về đấu tranh với thông tin sai trái không?")
    assert a.answerable and a.intent == "content" and "sai trái" in a.answer, a.answer


def test_where_the_money_comes_from_beside_how_many_tasks(engine):
    a = engine.ask("làm bao nhiêu việc thế này thì tiền đâu ra hả các cháu?")
    assert a.answerable and "ngân sách nhà nước" in a.answer, a.answer


@pytest.mark.parametrize("question, start", [
    ("What training does task 9 plan for civil servants?", "II.9.1"),
    ("Are cultural events planned for when foreign leaders visit Hai Phong?", "II.9.1"),
])
def test_training_is_also_boi_duong_and_for_when_is_a_circumstance(engine, question, start):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == start, a.answer


def test_what_happens_to_a_late_department_is_a_sanction(engine):
    assert not engine.ask("What happens to a department that misses the report deadline?").answerable


@pytest.mark.parametrize("request_more", ["cụ thể là gì, nói chi tiết hơn đi", "nói kỹ hơn đi"])
def test_asking_for_more_detail_stays_on_the_last_matter(engine, request_more):
    session = f"more-{request_more}"
    engine.ask("Kế hoạch có đề cập đến bình đẳng giới không?", session_id=session)
    a = engine.ask(request_more, session_id=session)
    assert a.answerable and ids(a)[0] == "II.2.1", a.answer


def test_the_plan_called_by_its_community_names_no_topic(engine):
    a = engine.ask("bà già rồi, ốm đau suốt. Cho bà hỏi chuyện chăm sóc sức khỏe cho dân trong cái kế hoạch ASEAN này "
                   "thì sở nào đứng ra làm hả cháu?")
    assert a.answerable and ids(a)[0] == "II.6.2" and "Sở Y tế" in a.answer, a.answer


def test_a_verb_of_how_the_plan_words_it_is_no_concept(engine):
    a = engine.ask("Mục tiêu chung của kế hoạch được trình bày ra sao?")
    assert a.answerable and ids(a)[0] == "I.1", a.answer


@pytest.mark.parametrize("question, section", [
    ("What are the specific objectives of this plan? Short answer please.", "I.2"),
    ("Does the plan mention public-private partnerships?", "II.3.1"),
    ("Is occupational illness caused by industry covered by the plan?", "II.6.1.2"),
    ("UNDP programme officer here. Which department leads the sustainable community task?", "II.3.2"),
    ("What is the aim of coordinating aid from foreign NGOs?", "II.10.1"),
    ("Who is in charge of coordinating aid from foreign NGOs?", "II.10.2"),
    ("For the work on foreign NGO aid, which agencies support the lead departments?", "II.10.3"),
])
def test_english_remarks_glossary_self_introduction_and_coordinating_as_work(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


def test_a_capital_and_consonants_is_an_abbreviation(engine):
    a = engine.ask("Cđ năng động trong KH là gì?")
    assert a.answerable and ids(a)[0].startswith("II.5"), a.answer


def test_the_pillar_of_the_plan_is_in_its_title_but_asean_pillars_are_not(engine):
    a = engine.ask("Which ASEAN pillar does this plan belong to?")
    assert a.answerable and a.intent == "overview" and "Văn hóa - Xã hội ASEAN" in a.answer, a.answer
    assert not engine.ask("How many pillars does ASEAN have?").answerable


def test_the_points_of_a_task_named_by_its_words_are_counted(engine):
    a = engine.ask("Nhiệm vụ chăm sóc sức khỏe có mấy nội dung?")
    assert a.answerable and a.intent == "structure" and ids(a)[0] == "II.6.1", a.answer


def test_a_foreign_name_is_a_concept_but_not_inside_a_story(engine):
    assert not engine.ask("Singapore có tài trợ học bổng cho kế hoạch này không?").answerable
    a = engine.ask("Con gái tôi đi làm ở Singapore. Kế hoạch có nói gì về bình đẳng giới không?")
    assert a.answerable and ids(a)[0] == "II.2.1", a.answer


def test_how_much_a_body_raised_is_no_count_of_its_tasks(engine):
    engine.ask("Which departments handle foreign NGO aid?", session_id="how-much")
    assert not engine.ask("How much aid did they raise last year?", session_id="how-much").answerable
    a = engine.ask("How many of the tasks does the Department of Health lead?")
    assert a.answerable and "3" in a.answer.split("\n")[0], a.answer


def test_summarising_the_rest_of_the_last_topic_is_not_the_plan(engine):
    engine.ask("Phần giải pháp thực hiện có giải pháp nào về đào tạo cán bộ?", session_id="rest")
    a = engine.ask("tóm tắt giúp các giải pháp còn lại", session_id="rest")
    assert a.answerable and a.intent != "overview" and ids(a)[0] == "V", a.answer


def test_until_when_after_a_passage_naming_its_year(engine):
    engine.ask("Kế hoạch nói gì về phát triển du lịch?", session_id="until")
    a = engine.ask("đến năm nào?", session_id="until")
    assert a.answerable and ids(a)[0] == "II.7.1" and "2030" in a.answer, a.answer


def test_nd_before_its_kind_is_contents_and_nvu_is_a_task(engine):
    a = engine.ask("Mục II (ND hoạt động) của KH có bao nhiêu nhóm nvụ?")
    assert a.answerable and a.intent == "structure" and "10 nhiệm vụ" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "BV nào được chọn làm điểm đổi mới phong cách phục vụ?",
    "Which city leader signed this plan, and when?",
    "Who signed Decision 161/QĐ-TTg, which Prime Minister?",
    "What poverty rate had Hai Phong reached by 2020?",
])
def test_hospitals_by_name_signers_and_rates_reached_are_refused(engine, question):
    assert not engine.ask(question).answerable


def test_the_decision_of_a_prime_minister_is_no_person(engine):
    a = engine.ask("Which Prime Minister's decision does the plan implement?")
    assert a.answerable and "161" in a.answer, a.answer


@pytest.mark.parametrize("question, section", [
    ("What are the implementation milestones of the plan?", "IV.2"),
    ("Nói nôm na thì kế hoạch này nhắm tới điều gì cho dân?", "I.1"),
    ("In plain words, what is this plan trying to achieve for ordinary people?", "I.1"),
    ("Who directs newspapers and television to cover the building of the ASEAN community?", "VI.6"),
])
def test_milestones_the_plans_purpose_and_the_press(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


def test_whom_a_body_reports_to_is_in_its_own_work(engine):
    engine.ask("Sở Tài chính có những trách nhiệm gì?", session_id="reports-to")
    a = engine.ask("Sở đó báo cáo lên ai?", session_id="reports-to")
    assert a.answerable and ids(a)[:2] == ["VI.3", "VI.1"] and "Hội đồng nhân dân" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "Who is the chief of the Department of Health, and what is her email?",
    "Which vice chairman of the People's Committee signed it?",
    "Has the city actually become drug-free?",
    "When was that culture department founded?",
    "What is the minimum wage in Hai Phong this year?",
])
def test_heads_by_office_results_a_bodys_history_and_wages_are_refused(engine, question):
    assert not engine.ask(question).answerable


@pytest.mark.parametrize("question", [
    "Hội nghị tổng kết năm 2025 sẽ họp vào ngày nào, ở đâu?",  # a day asked: "Năm 2025" gives only the year
    "On what date in 2020 is the preliminary review conference held?",
    "Phó Chủ tịch UBND TP nào đã ký ban hành kế hoạch này?",  # an office by abbreviation, some words before "nào"
    "Trưởng phòng phụ trách mảng này ở Sở Y tế là ông hay bà nào?",
    "When was the ASEAN Economic Community launched?",
    "Did the districts actually finish their action plans in 2017?",
    "Which foreign delegations are coming to visit Hai Phong this autumn?",
    "Năm nay lãnh đạo nước nào sang thăm làm việc với thành phố?",
    "What percentage of its budget does the Department of Health spend on the plan?",
    "Công an thành phố được giao việc gì trong kế hoạch này?",  # a body of the state no document names
    "Theo bạn kế hoạch có khả thi không, cần bổ sung điều gì?",  # an opinion frames every part
    "Năm nay thành phố có tổ chức liên hoan văn nghệ ASEAN không?",  # this year's events
    "Is the ASEAN culture week being held in Hai Phong this year?",
])
def test_near_misses_a_day_an_office_a_visit_a_share_and_an_unnamed_body_are_refused(engine, question):
    assert not engine.ask(question).answerable


@pytest.mark.parametrize("question, section", [
    ("Hạn gửi báo cáo hằng năm là ngày nào?", "VI.1"),
    ("Nghị quyết 15-NQ/TW được ban hành vào ngày nào?", "II.2.1"),
    ("Kế hoạch có yêu cầu sửa đổi các văn bản quy phạm pháp luật cho phù hợp không?", "V"),
])
def test_a_day_is_answered_by_a_day_and_documents_to_revise_are_a_duty(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and section in ids(a), a.answer


def test_who_organises_what_was_quoted_is_its_task(engine):
    engine.ask("What does the plan say about training officials on foreign affairs and integration?",
               session_id="organises")
    a = engine.ask("Who organises that?", session_id="organises")
    assert a.answerable and ids(a)[0] == "II.9.2" and "Sở Ngoại vụ" in a.answer, a.answer


def test_an_example_asked_for_keeps_the_topic(engine):
    engine.ask("Kế hoạch có yêu cầu lồng ghép mục tiêu ASEAN vào các chương trình của thành phố không?",
               session_id="example")
    a = engine.ask("Lấy ví dụ cụ thể?", session_id="example")
    assert a.answerable and ids(a)[0] == "V", a.answer


def test_a_place_in_the_last_answer_is_the_thing_listed_there(engine):
    engine.ask("Kế hoạch có những mốc thời gian nào?", session_id="ordinal-years")
    a = engine.ask("Mốc cuối cùng phải làm gì?", session_id="ordinal-years")
    assert a.answerable and ids(a)[0] == "IV.2" and "cuối kỳ" in a.answer.split("\n")[1], a.answer
    engine.ask("Sở Nội vụ được giao thực hiện những nhiệm vụ nào?", session_id="ordinal-tasks")
    a = engine.ask("việc thứ hai cụ thể gồm gì?", session_id="ordinal-tasks")
    assert a.answerable and ids(a)[0] == "II.4.1", a.answer
    engine.ask("Which departments carry out the NGO aid task?", session_id="ordinal-bodies")
    a = engine.ask("What else must the first of them do in the organisation part?", session_id="ordinal-bodies")
    assert a.answerable and ids(a)[0] == "VI.4", a.answer


@pytest.mark.parametrize("question, section", [
    ("On what date was the Prime Minister's decision behind the plan signed?", "preamble"),  # a possessive
    ("Đánh giá cuối kỳ là vào năm 2025 hay năm 2030?", "IV.2"),  # which of two years, one the plan's own
    ("What is this document about, in a few words?", "preamble"),
    ("Nghe nói thành phố có kế hoạch gì đó về ASEAN. Kế hoạch này là về cái gì vậy?", "preamble"),
])
def test_a_possessive_a_choice_of_years_and_what_the_plan_is_about(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


@pytest.mark.parametrize("question, section, says", [
    # "the X department" names the Department of X; a choice between two named bodies asks which carries it out
    ("Is the Health department or the Home Affairs department in charge of health insurance for all?", "II.6.2",
     "Sở Y tế"),
    ("Giữ gìn đa dạng sinh học thuộc nhiệm vụ nào, Sở TN&MT hay Sở VH&TT làm?", "II.3.2",
     "Sở Tài nguyên và Môi trường"),
    ("NV chăm sóc SK cho người dân do sở nào thực hiện?", "II.6.2", "Sở Y tế"),  # SK: sức khỏe
])
def test_department_names_turned_round_a_choice_of_bodies_and_sk(engine, question, section, says):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section and says in a.answer, a.answer


def test_midway_is_the_mid_term(engine):
    engine.ask("Các mốc thời gian thực hiện kế hoạch là gì?", session_id="midway")
    a = engine.ask("giữa chừng có đánh giá lại không?", session_id="midway")
    assert a.answerable and "giữa kỳ" in a.answer, a.answer


def test_what_else_a_body_does_starts_with_the_paragraph_just_quoted(engine):
    engine.ask("Which department coordinates the plan as a whole?", session_id="else")
    a = engine.ask("What else must that department do?", session_id="else")
    assert a.answerable and ids(a)[0] == "VI.2" and "sơ kết" in a.answer, a.answer


def test_a_body_asked_by_the_words_of_its_work_is_no_echo(engine):
    engine.ask("Is the plan paid for out of the state budget?", session_id="no-echo")
    a = engine.ask("Which department checks and sums up that budget?", session_id="no-echo")
    assert a.answerable and ids(a)[0] == "VI.3" and "Sở Tài chính" in a.answer, a.answer


@pytest.mark.parametrize("question, section", [
    ("Mục tiêu chung là gì, nói sao cho dễ hiểu?", "I.1"),  # how to say it is no concept
    ("Các giải pháp thực hiện là gì, tóm tắt ngắn thôi", "V"),
    ("Kế hoạch có giải pháp rà soát các qui định chưa phù hợp không?", "V"),  # "qui" is "quy"
    ("KH chia làm mấy GĐ?", "IV.2"),  # GĐ: a period, except before a body
    ("so gd&dt duoc giao nhiem vu gi", "II.1.2"),  # letters joined by "&" in lower case
])
def test_fillers_of_manner_old_spellings_and_abbreviations(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


def test_the_director_by_abbreviation_is_a_person(engine):
    assert not engine.ask("GĐ Sở Y tế bây giờ là ai vậy?").answerable


@pytest.mark.parametrize("question, section", [
    ("Phần nội dung hoạt động được chia thành những nhóm việc nào?", "II"),  # the part's tasks, listed
    ("Mục V và mục VI lần lượt nói về việc gì?", "V"),  # "lần lượt" (respectively) asks nothing of its own
    ("Cái đó là kế hoạch gì vậy?", "preamble"),
])
def test_a_parts_groups_of_work_respectively_and_which_plan_that_is(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


@pytest.mark.parametrize("question, section", [
    ("tóm tắt giúp mình các nhiệm vụ chính của kế hoạch", "II"),  # a summary of the tasks lists them
    ("In the opening paragraphs, what period is given for the scheme?", "preamble"),
])
def test_a_summary_of_the_tasks_and_the_opening_paragraphs(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


@pytest.mark.parametrize("question, section", [
    ("mục II khoản 11 quy định gì?", "II.11"),  # an item of the part, not the whole part
    ("khoản 11 phần nội dung hoạt động giao cho ai?", "II.11"),  # a numbered item that is no task
    ("lấy tiền ở đâu ra để làm?", "III.1"),  # a heading with items under it answers with its items
    ("Which part of the plan addresses tourism?", "II.7.1"),  # "addresses" is a verb of mentioning
])
def test_numbered_items_headings_with_items_and_addresses(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


def test_the_field_a_task_belongs_to_is_its_own_content(engine):
    a = engine.ask("Nhiệm vụ 9 thuộc lĩnh vực nào?")
    assert a.answerable and ids(a)[0].startswith("II.9"), a.answer


@pytest.mark.parametrize("question, answerable", [
    ("Sơ kết giai đoạn 2017-2020 diễn ra vào tháng mấy?", False),  # a month asked: a year does not give it
    ("Báo cáo hằng năm hạn tháng mấy?", True),  # "01 tháng 12" does
    ("CA quận được giao gì trong kế hoạch?", False),  # CA: công an, a body the plan never names
    ("Where does Hai Phong rank among provinces on social welfare?", False),
])
def test_a_month_asked_the_police_by_initials_and_a_rank(engine, question, answerable):
    assert engine.ask(question).answerable is answerable


def test_who_asks_by_where_they_work_is_no_topic(engine):
    a = engine.ask("bên phòng văn hóa quận hỏi chút: nhiệm vụ du lịch do sở nào làm?")
    assert a.answerable and ids(a)[0] == "II.7.2" and "Sở Du lịch" in a.answer, a.answer


@pytest.mark.parametrize("more", ["nói thêm đi", "chi tiết hơn", "give me more details"])
def test_asking_for_more_gives_the_whole_passage(engine, more):
    sid = f"more-{more}"
    first = engine.ask("Kế hoạch có giải pháp gì về tuyên truyền?", session_id=sid)
    a = engine.ask(more, session_id=sid)
    assert ids(a)[0] == "V" and len(a.answer) > 2 * len(first.answer), a.answer
    assert "Ban hành kịp thời các văn bản hướng dẫn" in a.answer  # the first solution, which the first answer left out


def test_listing_a_tasks_content_after_who_leads_it(engine):
    engine.ask("Ai thực hiện nhiệm vụ 3?", session_id="list-content")
    a = engine.ask("kể hết nội dung của nhiệm vụ đó ra", session_id="list-content")
    assert a.answerable and ids(a)[0] == "II.3.1", a.answer


def test_which_kinds_of_thing_a_part_names_quotes_it_whole(engine):
    a = engine.ask("Phần giải pháp nêu những nhóm việc cụ thể nào?")  # four words between "những" and "nào"
    assert a.answerable and ids(a)[0] == "V", a.answer
    assert "Ban hành kịp thời" in a.answer and "kiểm tra, giám sát" in a.answer, a.answer


@pytest.mark.parametrize("question, section", [
    # the plan's own name is no topic: it would pull the passages that repeat it ahead of the task's own
    ("Trong kế hoạch ASCC, việc xây dựng cộng đồng năng động do sở nào chủ trì?", "II.5.2"),
    ("Where does the money for the ASCC plan come from?", "III.1"),
    ("Mục tiêu tổng quát của kế hoạch là gì?", "I.1"),  # "tổng quát" is the plan's "chung"
    ("Đề nghị cho biết các nhiệm vụ của Sở Nội vụ.", "II.1.2"),  # an official's request, asked without "gì"
    ("hạn gửi bc hằng năm là khi nào?", "VI.1"),  # two-letter abbreviations in lower case
    ("Các sở gửi báo cáo theo chu kỳ nào?", "VI.1"),  # "theo chu kỳ nào" asks how often
    ("Who monitors the plan and reports on its progress?", "VI.2"),  # progress: how the work goes
    ("Dạo này hay có bão, kế hoạch có nói gì về phòng chống thiên tai không?", "II.3.1"),  # "dạo này": lately
])
def test_the_plans_own_name_requests_and_small_words(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


def test_the_plan_itself_after_a_cited_decision_is_the_plans_own_date(engine):
    engine.ask("Kế hoạch căn cứ vào quyết định nào?", session_id="plan-itself")
    a = engine.ask("thế còn kế hoạch này ký ngày nào?", session_id="plan-itself")
    assert not a.answerable and "không ghi số hiệu và ngày ban hành" in a.answer, a.answer


@pytest.mark.parametrize("question, section", [
    # an English question missing one concept among many, near its passage, is answered
    ("Which departments carry out the 'self-reliant community' work, such as forecasting and responding to "
     "disasters and epidemics?", "II.4.2"),
    ("Who is responsible for making health insurance policy work better?", "II.6.2"),  # to improve, no ranking
    ("Huyện Tiên Lãng có nằm trong phạm vi kế hoạch này không?", "IV.1"),  # a district of the city, by name
    ("Báo cáo hằng quý hay hằng năm?", "VI.1"),  # a choice that holds the plan's own period
])
def test_nearly_covered_english_improving_a_district_and_a_choice_of_periods(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and section in ids(a), a.answer


@pytest.mark.parametrize("question", [
    "Các sở báo cáo 6 tháng một lần phải không?",  # a period the plan never sets: the yearly one is no answer
    "Bệnh viện Trẻ em Hải Phòng có được nhắc tới trong kế hoạch không?",  # a hospital no document names
    "Trường THPT Trần Phú tham gia nhiệm vụ nào?",
    "Which embassies take part in the cultural diplomacy task?",
])
def test_other_periods_unnamed_institutions_and_embassies_are_refused(engine, question):
    assert not engine.ask(question).answerable


def test_a_name_in_the_story_before_the_question_is_no_subject(engine):
    a = engine.ask("Con tôi học Trường Đại học Hàng hải. Kế hoạch có nói gì về hợp tác giáo dục trong khu vực không?")
    assert a.answerable and ids(a)[0] == "II.5.1", a.answer


@pytest.mark.parametrize("question, intent, section", [
    ("Cho hỏi bố cục của kế hoạch: gồm những phần lớn nào?", "structure", "I"),  # "bố cục": the layout
    ("Phần giải pháp nêu những giải pháp chủ yếu nào?", "content", "V"),  # "chủ yếu" (main) qualifies only
    ("chị em hỏi kế hoạch này là cái gì, tóm giúp mấy câu", "overview", "preamble"),  # "chị em" addresses
    ("Ai làm ra kế hoạch này?", "overview", "preamble"),  # who made it: its issuer
])
def test_layout_main_solutions_forms_of_address_and_who_made_it(engine, question, intent, section):
    a = engine.ask(question)
    assert a.answerable and a.intent == intent and ids(a)[0] == section, a.answer


def test_every_document_of_a_kind_asked_in_the_plural(engine):
    a = engine.ask("Kế hoạch nhắc tới những nghị quyết nào?")
    assert a.answerable and {"II.2.1", "II.6.1.1"} <= set(ids(a)), a.answer
    assert "15-NQ/TW" in a.answer and "21-NQ/TW" in a.answer


def test_a_count_of_the_plans_own_points_is_the_listed_points_counted(engine):
    a = engine.ask("phần xây dựng cộng đồng tự lực, tự cường trong kế hoạch có mấy nội dung, là những gì?")
    assert a.answerable and ids(a)[0] == "II.4.1" and "Có 6 ý:" in a.answer, a.answer  # the listed points, counted
    assert not engine.ask("Có bao nhiêu bảo tàng được nâng cấp, tên là gì?").answerable  # things the plan never lists


@pytest.mark.parametrize("question, section, words", [
    ("mục tiêu cụ thể thứ hai của kế hoạch là gì", "I.2", "Tuyên truyền, nâng cao nhận thức"),  # the second bullet
    ("What is the third specific objective?", "I.2", "Huy động nguồn lực"),
    ("giải pháp cuối cùng là gì?", "V", "phương tiện thông tin đại chúng"),  # the last bullet of the solutions
    ("nhiệm vụ thứ ba là gì?", "II.3", "bền vững"),  # an ordinal task is that task
])
def test_any_ordinal_names_one_item(engine, question, section, words):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0].startswith(section) and fold(words) in fold(a.answer), a.answer


def test_an_ordinal_goal_after_the_specific_goals_counts_among_them(engine):
    engine.ask("muc tieu cu the cua ke hoach la gi", session_id="types-ordinal")
    a = engine.ask("muc tieu thu tu nghia la sao", session_id="types-ordinal")  # the fourth specific goal
    assert a.answerable and ids(a) == ["I.2"] and "phát triển kinh tế, văn hóa, xã hội" in a.answer, a.answer


@pytest.mark.parametrize("question, section", [
    ("Nói cho thính giả dễ nhớ: kế hoạch muốn cộng đồng ASEAN có những đặc điểm gì, kiểu gắn kết, bền vững ấy?",
     "I.2"),  # how to tell it, before a colon; "đặc điểm" asks what kind
    ("Kế hoạch này là văn bản của cấp nào: Trung ương, thành phố hay quận, huyện?", "preamble"),  # a colon that asks
    ("Phần kết thúc KH đề nghị các Sở, ban, ngành, UBND quận, huyện làm gì?", "closing"),  # the closing, named
    ("Chuyển chủ đề một chút: giải pháp lồng ghép mục tiêu ASEAN vào kế hoạch của các sở được nêu thế nào?", "V"),
])
def test_prefaces_of_manner_a_named_closing_and_a_switch(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


@pytest.mark.parametrize("question", [
    "ke hoach co ap dung cho cap quan huyen khong hay chi cac so",
    "Does the plan also apply to the districts, or only to city-level departments?",
])
def test_a_level_of_government_asked_in_scope_gets_its_own_work(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "IV.1" and "II.11" in ids(a)[:3], a.answer
    assert "Ủy ban nhân dân quận, huyện" in a.answer


@pytest.mark.parametrize("question", [
    "Vì sao thành phố ban hành kế hoạch này?",
    "Why did Hai Phong draw up this plan in the first place?",
    "Why was this plan made?",
])
def test_why_the_plan_was_made_is_what_it_implements_and_its_general_goal(engine, question):
    a = engine.ask(question)
    assert a.answerable and a.intent == "overview" and ids(a)[:3] == ["preamble", "preamble", "I.1"], a.answer
    assert "161/QĐ-TTg" in a.answer and "lấy người dân làm trung tâm" in a.answer


def test_the_overview_says_the_general_goal(engine):
    a = engine.ask("Kế hoạch này nói về gì?")
    assert a.intent == "overview" and "I.1" in ids(a)[:3] and "hướng vào người dân" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "Kế hoạch thuộc giai đoạn nào, bắt đầu và kết thúc năm nào?",  # "bắt đầu", "kết thúc" ask when
    "KH nay chay dén nam bao nhiu",
    "What period does the plan cover?",
])
def test_the_plans_period_is_its_timeline_and_the_period_its_opening_gives(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[:2] == ["IV.2", "preamble"] and "2015 - 2025" in a.answer, a.answer


def test_listing_the_points_of_a_part_counts_them(engine):
    engine.ask("Kế hoạch có nói đến việc giảm quá tải bệnh viện không?", session_id="types-count-list")
    a = engine.ask("liệt kê hết mấy việc trong phần chăm sóc sức khỏe đó giúp mình", session_id="types-count-list")
    assert a.answerable and ids(a)[0].startswith("II.6") and a.answer.splitlines()[1] == "Có 2 ý:", a.answer


def test_a_dropped_n_of_ng_is_mended():
    from ascc_bot.understand import mended_slips
    assert mended_slips("nhiệm vụ đó gồm nhữg hoạt động gì") == "nhiệm vụ đó gồm những hoạt động gì"


@pytest.mark.parametrize("question, pointing", [
    ("Các sở phối hợp thực hiện nhiệm vụ do Ủy ban nhân dân thành phố giao trong những giai đoạn nào?", False),  # by
    ("nhiệm vụ đó gồm những nội dung gì?", True),  # that task
    ("nv do con gom nhung noi dung gi nua", True),  # typed without marks: "do" may be "đó"
])
def test_do_written_plainly_among_marked_words_is_by_not_that(engine, question, pointing):
    snap = engine.snapshot
    assert read(question, snap.lexicon, snap.facts, snap.parts).refers_to_task is pointing


def test_slips_checked_as_written_and_a_dropped_last_letter():
    from ascc_bot.understand import mended_slips
    # "hoạc" folds to the "hoac" of "hoặc", but is no word as written
    assert mended_slips("kế hoạc này gồm nhữn phần lớn nào") == "kế hoạch này gồm những phần lớn nào"
    assert mended_slips("hoà nhập, thuỷ sản") == "hoà nhập, thuỷ sản"  # another tone placement is no slip


def test_named_as_the_lead_body_frames_a_duties_question(engine):
    a = engine.ask("Liệt kê giúp các NV mà Sở TN&MT đứng tên cơ quan thực hiện.")
    assert a.answerable and ids(a)[:2] == ["II.1.2", "II.3.2"], a.answer


@pytest.mark.parametrize("question", [
    "What investment incentives can a Malaysian company get if it opens a factory in Hai Phong under this plan?",
    "Which Singaporean agencies does Hai Phong cooperate with under this plan?",  # a country the plan never names
    "How can our association register for the next delegation exchange?",  # a procedure, asked for a group
])
def test_countries_incentives_and_a_groups_registration_are_refused(engine, question):
    assert not engine.ask(question).answerable


def test_asean_countries_in_general_are_the_plans_own(engine):
    a = engine.ask("Does the plan mention cooperation with ASEAN countries on education?")
    assert a.answerable and ids(a)[0] == "II.5.1", a.answer


@pytest.mark.parametrize("question", [
    "Sở Tài chính phải phản hồi đề xuất trong mấy ngày làm việc?",
    "How many days does the Department of Labour have to answer a unit's report?",
])
def test_a_count_of_days_needs_a_number_of_days(engine, question):
    # a year or a date in the quoted text is no number of days
    assert not engine.ask(question).answerable


def test_a_goal_to_be_reached_by_a_year_is_the_plans_period_not_a_result(engine):
    a = engine.ask("By what year should the plan's ASEAN community goals be achieved?")
    assert a.answerable and "preamble" in ids(a) and "2025" in a.answer, a.answer


@pytest.mark.parametrize("question", [
    "Have any foreign donors already funded the plan's activities?",
    "Were the 2020 review targets really reached?",
])
def test_already_done_and_were_met_ask_results(engine, question):
    a = engine.ask(question)
    assert not a.answerable and "no results achieved" in a.answer, a.answer


def test_what_objective_does_the_plan_set_names_the_goal_asked(engine):
    a = engine.ask("What general objective does this plan set out?")
    assert a.answerable and ids(a)[0] == "I.1", a.answer


@pytest.mark.parametrize("question, expected", [
    ("Ở cuối văn bản, các sở được đề nghị làm gì khi gặp vướng mắc?", "closing"),
    ("At the end of the plan, who does it ask to report difficulties to?", "closing"),
])
def test_the_end_of_the_text_is_its_closing(engine, question, expected):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == expected, a.answer


def test_the_end_of_the_plan_in_a_year_is_its_timeline(engine):
    a = engine.ask("What happens at the end of the plan in 2025?")
    assert a.answerable and ids(a)[0] == "IV.2", a.answer


def test_the_recipients_list_is_cited_once(engine):
    a = engine.ask("Kế hoạch được gửi tới những nơi nào?")
    assert a.answerable and ids(a) == ["closing"], a.answer


def test_a_last_consonant_typed_alike_is_mended(engine):
    snap = engine.snapshot
    q = read("Kế hoạch dựa trên văn bảng nào của Trung ương?", snap.lexicon, snap.facts, snap.parts)
    assert "bang" not in q.content_terms and "văn bản" in q.text, q


def test_that_programme_points_back_to_the_passage_quoted(engine):
    engine.ask("Kế hoạch có nhắc đến quyền tham gia của trẻ em không?", session_id="types-programme")
    a = engine.ask("Chương trình đó áp dụng cho giai đoạn nào?", session_id="types-programme")
    assert a.answerable and ids(a)[0] == "II.2.1" and "2016-2020" in a.answer, a.answer


def test_whom_the_body_that_compiles_reports_to_is_its_own_work(engine):
    a = engine.ask("Sở Lao động Thương binh và Xã hội tổng hợp xong thì báo cáo lên ai?")
    assert a.answerable and ids(a)[0] == "VI.2", a.answer


def test_the_body_a_passage_sends_to_is_that_body_next(engine):
    engine.ask("Có vướng mắc khi triển khai thì báo về đâu?", session_id="types-sent-to")
    a = engine.ask("sở đó tổng hợp rồi báo cáo ai?", session_id="types-sent-to")
    assert a.answerable and ids(a)[0] == "VI.2", a.answer


@pytest.mark.parametrize("question, answerable", [
    ("What happens to the ASEAN work after the plan ends in 2025?", False),
    ("Sau khi kế hoạch kết thúc năm 2025 thì thành phố tính gì tiếp?", False),
    ("Năm 2025 kế hoạch kết thúc thì phải làm gì?", True),  # the year it ends is its own milestone
])
def test_after_the_plan_ends_is_past_its_last_year(engine, question, answerable):
    assert engine.ask(question).answerable is answerable


@pytest.mark.parametrize("question, answerable", [
    ("Where was the 2020 review conference held?", False),
    ("How many trainees did the department receive last year?", False),
    ("When will the final review of the plan be held?", True),
])
def test_an_event_told_as_past_asks_a_result(engine, question, answerable):
    assert engine.ask(question).answerable is answerable


def test_a_form_by_name_is_not_in_the_plan(engine):
    assert not engine.ask("Báo cáo hằng năm phải làm theo mẫu nào?").answerable


def test_that_scheme_points_back_to_the_opening(engine):
    engine.ask("Kế hoạch được xây dựng theo hướng dẫn của bộ nào?", session_id="types-scheme")
    a = engine.ask("Đề án đó thực hiện trong giai đoạn nào?", session_id="types-scheme")
    assert a.answerable and ids(a)[0] == "preamble" and "2015 - 2025" in a.answer, a.answer


def test_the_plan_named_by_its_city_is_the_plan_itself(engine):
    a = engine.ask("Kế hoạch này của thành phố Hải Phòng nói về vấn đề gì vậy?")
    assert a.intent == "overview" and ids(a)[0] == "preamble" and has(a, "161/QĐ-TTg"), a.answer


def test_the_part_of_activities_counts_the_tasks(engine):
    a = engine.ask("ke hoach co bao nhieu noi dung hoat dong chinh, ke ten giup minh voi")
    assert a.intent == "structure" and "II.10" in ids(a) and has(a, "ngoại giao văn hóa"), a.answer


def test_cong_dong_after_co_is_no_department(engine):
    a = engine.ask("Kế hoạch có nói gì về cơ sở xã hội cho người yếu thế không?")
    assert a.intent != "agency_tasks", a.answer


def test_a_consonant_pressed_twice_is_mended(engine):
    a = engine.ask("mục đích chunng của kế hoạcj này là gì")
    assert a.answerable and ids(a)[0] == "I.1", a.answer


@pytest.mark.parametrize("question, answerable", [
    ("Which Prime Minister personally signed Decision 161?", False),
    ("What English proficiency level must civil servants reach under the plan?", False),
    ("ấn phẩm truyền thông về ASEAN in bao nhiêu bản, tên ấn phẩm là gì?", False),
    ("Giải pháp tuyên truyền có phát hành ấn phẩm gì không?", True),  # whether any, not its name
    ("Bộ tiêu chí văn hóa kinh doanh của TP HP theo KH gồm những tiêu chí nào?", False),
    # a venue or a day needs the text to name one
    ("hội nghị tổng kết năm 2025 tổ chức ở đâu, hôm nào thế?", False),
    ("Where will the 2025 review conference be held?", False),
    ("lớp bồi dưỡng đối ngoại tổ chức ở đâu?", False),
    ("Năm 2025 tổ chức tổng kết thực hiện Đề án phải không?", True),
    # a sum of money, and a recipient the plan does not send reports to
    ("cán bộ thông tin cơ sở được phụ cấp bao nhiêu/tháng?", False),  # a rate of money, not a count of months
    ("Học phí lớp ngoại ngữ cho cán bộ là bao nhiêu?", False),
    ("Is there a funding amount for the training courses?", False),
    ("phường nộp báo cáo cho UBND quận trước ngày nào?", False),  # the plan's reports go to another body
    ("Sở Y tế gửi báo cáo cho Sở LĐTBXH hạn nào?", True),
    ("Sở Y tế có phải gửi báo cáo cho Sở Nội vụ không?", True),  # answered: the quote says where it goes
])
def test_near_misses_that_ask_a_detail_the_plan_lacks(engine, question, answerable):
    assert engine.ask(question).answerable is answerable


def test_a_task_named_by_its_kind_of_community(engine):
    a = engine.ask("Nhiệm vụ xây dựng cộng đồng gắn kết chú trọng tới những nhóm đối tượng nào?")
    assert a.answerable and ids(a)[0].startswith("II.1"), a.answer


def test_a_department_s_tasks_name_who_shares_them(engine):
    a = engine.ask("Sở KHĐT có nhiệm vụ gì?")
    assert a.intent == "agency_tasks" and has(a, "cùng Sở Ngoại vụ") and "VI.4" in ids(a), a.answer


def test_a_part_abbreviated_by_its_heading(engine):
    a = engine.ask("các sở, UBND Q/H phải làm gì ở phần TCTH")
    assert a.answerable and ids(a)[0] == "VI.1" and has(a, "01 tháng 12"), a.answer


def test_two_vowels_swapped_are_mended_by_their_neighbours(engine):
    a = engine.ask("Sở Kế hoạch và Đàu tư phải làm những việc gì?")
    assert a.intent == "agency_tasks" and "VI.4" in ids(a), a.answer


def test_a_task_asked_for_outranks_an_item_that_names_its_bodies(engine):
    a = engine.ask("nhiệm vụ về môi trường do ai làm?")
    assert a.intent == "lead" and ids(a)[0] == "II.3.2" and has(a, "Sở Tài nguyên và Môi trường"), a.answer


def test_a_list_before_a_comma_and_connective_stays_with_its_clause(engine):
    a = engine.ask("Sở nào lo việc khám chữa bệnh, phòng chống dịch bệnh, rồi báo cáo gửi trước ngày nào?")
    assert a.answerable and {"II.6.2", "VI.1"} <= set(ids(a)) and has(a, "01 tháng 12"), a.answer


def test_a_call_to_the_bot_is_no_topic_and_the_kind_asked_comes_before_gi(engine):
    a = engine.ask("alo bot, kế hoạch đặt ra mục tiêu gì thế?")
    assert a.answerable and ids(a)[:2] == ["I.1", "I.2"], a.answer


def test_duties_given_to_the_districts_are_their_people_s_committees(engine):
    a = engine.ask("kế hoạch giao cho các quận huyện những việc gì?")
    assert a.intent == "agency_tasks" and "II.11" in ids(a), a.answer


def test_everything_a_department_is_tasked_with_is_its_duties(engine):
    a = engine.ask("All the work the Department of Finance is tasked with, please.")
    assert a.intent == "agency_tasks" and "VI.3" in ids(a), a.answer


def test_whether_a_body_takes_part_or_does_only_its_own_field_is_yes_or_no(engine):
    a = engine.ask("Sở Y tế có tham gia nhiệm vụ xây dựng cộng đồng tự lực, tự cường không, hay chỉ lo mảng y tế?")
    assert a.answer.startswith("Có.") and ids(a)[0] == "II.4.2", a.answer


@pytest.mark.parametrize("question, intent", [
    ("xin chào", "greeting"),
    ("Chào bot!", "greeting"),
    ("hello there", "greeting"),
    ("bạn làm được gì?", "help"),
    ("bot ơi giúp mình với", "help"),
    ("what can you do?", "help"),
    ("help", "help"),
])
def test_a_greeting_or_a_call_for_help_gets_the_bot_s_own_introduction(engine, question, intent):
    a = engine.ask(question)
    assert a.answerable and a.intent == intent and not a.citations, a.answer
    assert "Sở nào chủ trì" in a.answer or "Which department" in a.answer, a.answer


@pytest.mark.parametrize("question, intent, section", [
    ("Chào chị, cho em hỏi nhiệm vụ văn hóa văn nghệ do sở nào thực hiện?", "lead", "II.7.2"),
    ("Xin chào, ai phối hợp nhiệm vụ 3?", "coordinate", "II.3.3"),
    ("Hi, who coordinates task 3?", "coordinate", "II.3.3"),
])
def test_a_greeting_before_a_question_leaves_the_question(engine, question, intent, section):
    a = engine.ask(question)
    assert a.intent == intent and ids(a)[0] == section, a.answer


def test_han_nao_asks_a_date(engine):
    a = engine.ask("các sở gửi báo cáo tình hình thực hiện hạn nào?")
    assert a.intent == "deadline" and ids(a)[0] == "VI.1" and has(a, "01 tháng 12"), a.answer


@pytest.mark.parametrize("question, section, fact", [
    ("Thành phố có kế hoạch gì cho trẻ em không?", "II.2.1", "trẻ em"),
    ("thanh pho co ke hoach gi ve suc khoe tam than khong", "II.6.1.2", "sức khỏe tâm thần"),
    ("thành phố có kế hoạch gì cho người khuyết tật không?", "II.2.1", "người khuyết tật"),
])
def test_a_passage_holding_the_rare_word_asked_outranks_one_holding_the_common_ones(engine, question, section, fact):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:2] and has(a, fact), a.answer


def test_a_tourist_site_by_name_is_not_in_the_plan(engine):
    a = engine.ask("bãi biển Cát Cò có được kế hoạch nâng cấp không?")
    assert not a.answerable, a.answer


def test_a_body_s_role_begins_with_the_item_headed_by_its_name(engine):
    a = engine.ask("Sở Tài chính giữ vai trò gì trong kế hoạch?")
    assert a.intent == "agency_tasks" and ids(a)[0] == "VI.3", a.answer
    a = engine.ask("Sở LĐTBXH được giao những nhiệm vụ nào?")  # tasks asked: in the order of the plan
    assert ids(a)[0] == "II.1.2", a.answer


def test_that_part_s_resolution_is_the_one_the_passage_just_quoted_cites(engine):
    engine.ask("Kế hoạch nói gì về bảo hiểm y tế toàn dân?", session_id="types-resolution")
    a = engine.ask("phần đó thực hiện theo nghị quyết nào?", session_id="types-resolution")
    assert a.intent == "reference" and ids(a)[0] == "II.6.1.1" and has(a, "21-NQ/TW"), a.answer


@pytest.mark.parametrize("question", [
    "Ngân sách dành cho nhiệm vụ chăm sóc sức khỏe năm 2024 là bao nhiêu?",  # a sum, not a count of tasks
    "What poverty rate does Hai Phong aim to reach by 2020 under this plan?",  # a rate the plan never gives
    "Văn bản hướng dẫn của Bộ Lao động Thương binh và Xã hội số mấy?",  # cited with no number
    "bệnh viện tâm thần của thành phố ở đâu vậy?",  # a facility's site
])
def test_a_figure_number_or_site_the_plan_does_not_give_is_refused(engine, question):
    a = engine.ask(question)
    assert not a.answerable, a.answer


def test_a_document_s_number_is_answered_where_the_plan_gives_it(engine):
    a = engine.ask("Quyết định của Thủ tướng mà kế hoạch căn cứ là số mấy?")
    assert a.answerable and has(a, "161/QĐ-TTg"), a.answer


def test_bodies_listed_without_their_sở_are_named_and_quoted(engine):
    a = engine.ask("Nhiệm vụ xây dựng cộng đồng tự lực, tự cường do những sở nào thực hiện?")
    assert ids(a)[0] == "II.4.2" and has(a, "Sở Nội vụ") and has(a, "Nội vụ, Y tế"), a.answer
    a = engine.ask("Ai thực hiện nhiệm vụ 6?")  # named in full already: nothing quoted twice
    assert ids(a)[0] == "II.6.2" and "kế hoạch ghi" not in a.answer, a.answer


@pytest.mark.parametrize("question, section", [
    ("MT chung của KH là gì?", "I.1"),  # the initials of the words the plan writes before "chung"
    ("MT cu the cua ke hoach gom nhung gi", "I.2"),  # and before a word typed without its marks
    ("nv 9 cos nhungx hoat dong gi", "II.9.1"),  # Telex keys left in a question typed without marks
])
def test_two_letter_initials_and_telex_keys_are_read(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:2], a.answer


def test_a_topic_then_who_handles_that_is_one_question(engine):
    sid = "types-topic-then-who"
    engine.ask("Who carries out the cultural diplomacy activities?", session_id=sid)
    a = engine.ask("OK, and what about coordinating NGO aid, who handles that?", session_id=sid)
    assert a.intent == "lead" and ids(a)[0] == "II.10.2", a.answer


def test_english_funding_source_and_final_decision(engine):
    a = engine.ask("What is the funding source for the plan?")
    assert ids(a)[0] == "III.1" and has(a, "ngân sách nhà nước"), a.answer
    a = engine.ask("After the budget estimates are compiled, who makes the final decision on them?")
    assert a.answerable and has(a, "Ủy ban nhân dân thành phố"), a.answer


@pytest.mark.parametrize("question", [
    "Kế hoạch triển khai Nghị quyết 42-NQ/TW năm 2023 về chính sách xã hội như thế nào?",  # cited nowhere
    "On which dates will Hai Phong hold its ASEAN cultural diplomacy festivals this year?",
    "Who is currently the director of the Hai Phong Department of Health?",
    "Can you give me the names of the contact officers in each of those departments?",
    "And what's the total amount they approved for 2024?",
])
def test_round_38_kinds_the_plan_does_not_answer(engine, question):
    a = engine.ask(question)
    assert not a.answerable, a.answer


def test_a_document_the_plan_cites_by_number_is_answered(engine):
    a = engine.ask("Nghị quyết 21 nói gì?")
    assert a.intent == "reference" and ids(a)[0] == "II.6.1.1", a.answer


def test_a_wrong_mark_on_a_word_the_documents_write_beside_its_neighbour(engine):
    a = engine.ask("nhiệm vụ văn hóa văn nghê bao gồm những gì")  # "văn nghệ"
    assert a.intent == "content" and ids(a)[0] == "II.7.1", a.answer
    assert not engine.ask("thủ tục kết hôn thế nào").answerable  # a word the documents lack stays as typed


def test_a_second_sentence_with_its_own_question_word_is_a_question_of_its_own(engine):
    assert split_clauses("KH có gửi Bộ LĐTBXH không? VB lưu ở đâu?", "vi") == ["KH có gửi Bộ LĐTBXH không?",
                                                                            "VB lưu ở đâu?"]
    # one that points back, or asks only yes or no, narrows the sentence before
    assert len(split_clauses("Sở nào chủ trì nhiệm vụ 6? Có phải Sở Y tế không?", "vi")) == 1
    assert len(split_clauses("Nhiệm vụ 6 do sở nào làm? Sở đó báo cáo cho ai?", "vi")) == 1
    a = engine.ask("KH có gửi Bộ LĐTBXH ko? VB lưu ở đâu?")
    assert ids(a)[0] == "closing" and has(a, "Có", "Bộ LĐTBXH", "Lưu: VT"), a.answer


def test_nd_before_a_number_is_an_item_of_the_activities(engine):
    a = engine.ask("ND 9 của KH là gì, cq nào TH?")
    assert set(ids(a)[:3]) <= {"II.9", "II.9.1", "II.9.2", "II.9.3"} and has(a, "ngoại giao văn hóa", "Sở Ngoại vụ")


@pytest.mark.parametrize("question, sections, fact", [
    ("Những nội dung nào trong kế hoạch liên quan đến văn hóa?", ["II.7", "II.9"], "ngoại giao văn hóa"),
    ("Có mấy nhiệm vụ về văn hóa?", ["II.7", "II.9"], "2 khoản"),
    ("Which tasks are about culture?", ["II.7", "II.9"], "văn hóa, văn nghệ"),
    ("nhung nhiem vu nao lien quan den cong dong", ["II.1", "II.2", "II.3", "II.4", "II.5"], "cộng đồng bền vững"),
])
def test_tasks_narrowed_by_a_subject_are_those_whose_titles_name_it(engine, question, sections, fact):
    a = engine.ask(question)
    assert a.intent == "structure" and ids(a) == sections and has(a, fact), a.answer


def test_a_task_named_by_its_words_is_not_a_list_of_tasks(engine):
    a = engine.ask("Nhiệm vụ xây dựng cộng đồng bền vững gồm những nội dung gì?")
    assert a.intent == "content" and "II.3.1" in ids(a)[:2], a.answer
    # the plan's own name in a task's title ("… mục tiêu Cộng đồng Văn hóa - Xã hội ASEAN") names no subject
    assert "II.11" not in ids(engine.ask("Những nhiệm vụ nào liên quan đến văn hóa?"))


def test_every_party_resolution_the_plan_cites(engine):
    a = engine.ask("KH viện dẫn những NQ nào của Đảng?")
    assert ids(a)[:2] == ["II.2.1", "II.6.1.1"] and has(a, "15-NQ/TW", "21-NQ/TW"), a.answer


def test_i_or_y_spelt_as_the_documents_spell_it(engine):
    a = engine.ask("Đánh giá giữa kì tổ chức năm nào?")  # the plan writes "giữa kỳ"
    assert a.answerable and has(a, "2020"), a.answer


def test_a_month_asked_must_be_said_of_the_event_asked(engine):
    # the plan gives the mid-term review's year; the "01 tháng 12" beside it is the reporting deadline
    assert not engine.ask("Đánh giá giữa kì năm 2020 tổ chúc vào tháng mấy?").answerable
    a = engine.ask("Hạn gửi báo cáo hằng năm là ngày nào?")
    assert a.answerable and has(a, "01 tháng 12"), a.answer


def test_a_department_s_initials_alone_are_its_department(engine):
    a = engine.ask("LĐTBXH tổng hợp bc tình hình thực hiện KH bao lâu 1 lần?")
    assert ids(a)[0] == "VI.2" and has(a, "hàng năm"), a.answer


@pytest.mark.parametrize("question", [
    "Where can I download a PDF of this plan on the city portal?",
    "Can my kids enrol in a public school in Hai Phong as foreigners? What is the procedure?",
])
def test_round_39_kinds_the_plan_does_not_answer(engine, question):
    assert not engine.ask(question).answerable


def test_an_item_of_that_part_is_in_the_part_just_cited(engine):
    engine.ask("Mục VI của kế hoạch giao việc cho những cơ quan nào?", "s-part")
    a = engine.ask("Khoản 3 trong mục đó nói gì?", "s-part")
    assert ids(a)[0] == "VI.3" and has(a, "Sở Tài chính"), a.answer


@pytest.mark.parametrize("question", [
    "Kế hoạch viện dẫn những luật nào?",
    "Luật Ngân sách nhà nước được nhắc ở đâu?",
    "Which law does the plan mention?",
    "Khoản 3 mục VI nhắc tới luật gì?",
])
def test_a_law_named_without_a_number_is_a_cited_document(engine, question):
    a = engine.ask(question)
    assert a.intent == "reference" and ids(a)[0] in ("III.1", "VI.3") and has(a, "Luật Ngân sách nhà nước"), a.answer


def test_the_law_a_part_just_cited_names(engine):
    sid = "law-after-funding"
    engine.ask("Kinh phí thực hiện kế hoạch lấy từ đâu?", session_id=sid)
    a = engine.ask("Khoản đó viện dẫn luật nào?", session_id=sid)
    assert a.intent == "reference" and has(a, "Luật Ngân sách nhà nước"), a.answer


def test_a_law_named_in_passing_is_not_the_plans_basis(engine):
    a = engine.ask("Kế hoạch căn cứ vào văn bản nào?")
    assert ids(a) == ["preamble"] and has(a, "161/QĐ-TTg") and "Luật" not in a.answer, a.answer


# Round 40 study: phrasings of our own, beside the tune questions that showed each gap.
@pytest.mark.parametrize("question, section, facts", [
    # "có nằm trong danh sách … không": whether a body is one of a task's bodies
    ("Sở Y tế có nằm trong danh sách cơ quan thực hiện nhiệm vụ 6 không?", "II.6.2", ["Có", "Sở Y tế"]),
    # "tổng cộng mấy nhiệm vụ": a count of a body's tasks
    ("Sở Y tế tổng cộng chủ trì mấy nhiệm vụ?", "II.1.2", ["3 nhiệm vụ"]),
    # "phụ một tay", "phụ giúp": the coordinating role in everyday words
    ("Nhiệm vụ 6 ai phụ giúp?", "II.6.3", ["Các Sở, ngành, cơ quan, đơn vị liên quan"]),
    ("nhiệm vụ 1 ngoài các sở chính thì còn ai phụ một tay", "II.1.3", ["Sở Tư pháp"]),
    # "đại khái": a word of the conversation
    ("Đại khái phần giải pháp gồm những gì?", "V", ["kiểm tra, giám sát"]),
    # "item 11 of part II" is no task: its own words say who
    ("Who carries out item 11 of part II?", "II.11", ["Ủy ban nhân dân các quận, huyện"]),
    # "address" as a verb asks whether the plan deals with something
    ("Does the plan address overcrowded hospitals?", "II.6.1.2", ["quá tải"]),
])
def test_round_40_phrasings(engine, question, section, facts):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section and has(a, *facts), a.answer


@pytest.mark.parametrize("question", [
    "Năm 2020 thành phố đạt kết quả gì?",  # results achieved
    "Báo cáo gửi Sở Tài chính theo mẫu số mấy?",  # a form by its number: the plan names none
    "UBND xã phải làm gì trong kế hoạch?",  # a commune's committee: the plan names none
    "ubnd phuong bao cao cho quan khi nao",
])
def test_round_40_refusals(engine, question):
    assert not engine.ask(question).answerable


def test_a_trailing_task_takes_the_question_before(engine):
    a = engine.ask("nhiệm vụ 2 sở nào làm, với cả nhiệm vụ 9 nữa?")
    assert ids(a)[:2] == ["II.2.2", "II.9.2"], a.answer


def test_a_single_goal_is_not_counted_unless_asked(engine):
    assert "có 1 ý" not in engine.ask("Mục tiêu chung của kế hoạch là gì?").answer
    assert "có 1 ý" in engine.ask("Mục tiêu chung có mấy ý?").answer


def test_a_body_with_one_task_is_held_against_it(engine):
    a = engine.ask("Bảo hiểm Xã hội Hải Phòng có trong danh sách cơ quan thực hiện không?")
    assert ids(a)[0] == "II.6.2" and a.answer.startswith("Có"), a.answer
    # the plan itself, not one task's list of bodies
    b = engine.ask("UBND các quận, huyện có phải thực hiện kế hoạch này không?")
    assert "II.11" in ids(b)[:3], b.answer


def test_every_passage_that_names_a_law(engine):
    a = engine.ask("Luật Ngân sách nhà nước được nhắc ở những chỗ nào?")
    assert ids(a)[:2] == ["III.1", "VI.3"], a.answer


# Round 41 study
@pytest.mark.parametrize("question", [
    "Is it true that the plan sets a target of 80% coverage for social insurance?",  # a share the plan never sets
    "Kế hoạch đặt mục tiêu 90% người dân tham gia BHYT phải không?",
    "How does a retired teacher apply for voluntary social insurance?",  # a citizen's procedure
])
def test_round_41_refusals(engine, question):
    assert not engine.ask(question).answerable


def test_a_share_the_plan_states_is_confirmed(engine):
    a = engine.ask("Có đúng là 100% cán bộ thông tin cơ sở được đào tạo không?")
    assert a.answerable and ids(a)[0] == "II.8.1.2" and "100%" in a.answer, a.answer


def test_whether_the_plan_covers_a_kind_of_place(engine):
    a = engine.ask("Is the plan carried out in the suburbs as well, or just downtown?")
    assert ids(a) == ["IV.1"] and has(a, "toàn thành phố Hải Phòng"), a.answer


# Round 42 study
@pytest.mark.parametrize("question,section", [
    # who asks, told before the question: their words need not be in the answer when the question stands
    ("Cháu tôi học đại học, muốn tham gia tình nguyện, kế hoạch có khuyến khích không?", "II.5.1"),
    ("Thợ may như tụi tui thì kế hoạch có gì về giải quyết việc làm không?", "II.2.1"),
    ("Em là du học sinh Campuchia. Kế hoạch này áp dụng ở đâu?", "IV.1"),
])
def test_who_asks_told_first_need_not_be_in_the_answer(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:3], a.answer


@pytest.mark.parametrize("question", [
    # the story carries the topic, the question's own words are one generic word
    "Tôi là giáo viên muốn xin học bổng đi Nhật, kế hoạch có hỗ trợ không?",
    "muốn đi làm ở Đài Loan thì đăng kí ở đâu ạ",  # a citizen's procedure, "kí" spelt with i
    "nhân viên nào bên Sở Tài chính lo dự toán, cho xin số điện thoại",  # a member of staff
    "báo cáo có kèm phụ lục, đề cương không",  # words the documents never use, not read across "nguồn lực để"
])
def test_round_42_refusals(engine, question):
    assert not engine.ask(question).answerable


def test_whom_a_body_works_with_in_its_own_words(engine):
    a = engine.ask("Để vận động viện trợ phi chính phủ, Sở KH&ĐT phối hợp cùng những ai?")
    assert ids(a)[0] == "VI.4" and has(a, "các hội, đoàn thể"), a.answer
    b = engine.ask("Which bodies does the Department of Finance work with?")
    assert ids(b)[0] == "VI.3" and has(b, "Sở Lao động Thương binh và Xã hội"), b.answer


def test_a_mis_segmented_word_is_still_read_across_its_neighbour(engine):
    a = engine.ask("viec giam ngheo do co quan nao phoi hop")
    assert ids(a)[0] == "II.2.3", a.answer


def test_a_yes_no_after_a_colon_in_english(engine):
    a = engine.ask("Task 9, the cultural diplomacy one: is it led by the Department of Foreign Affairs?")
    assert a.answer.startswith("Yes.") and ids(a)[0] == "II.9.2" and has(a, "Sở Văn hóa và Thể thao"), a.answer


def test_those_bodies_in_the_words_of_the_last_task(engine):
    sid = "types-r42"
    engine.ask("Mảng tuyên truyền, ngoại giao văn hóa do sở nào thực hiện?", session_id=sid)
    a = engine.ask("Mấy sở đó phải tổ chức các hoạt động nào?", session_id=sid)
    assert "II.9.1" in ids(a)[:3] and has(a, "kiến thức đối ngoại"), a.answer


def test_a_dropped_n_of_ng_in_an_unmarked_word(engine):
    a = engine.ask("mục tiêu chug của kế hoạch gồm gì?")
    assert ids(a)[0] == "I.1", a.answer


@pytest.mark.parametrize("question", [
    "Mỗi quận có phải lập ban chỉ đạo riêng để triển khai kế hoạch không?",  # a committee no document names
    "Trưởng ban chỉ đạo thực hiện kế hoạch ASEAN là ai?",
    "Sở Ngoại vụ có cần thành lập tổ công tác liên ngành không?",
    "Hội đồng thẩm định kết quả thực hiện gồm những ai?",
    "ban quan ly chuong trinh asean cua thanh pho dat o dau",
])
def test_a_committee_no_document_names_is_refused(engine, question):
    assert not engine.ask(question).answerable


@pytest.mark.parametrize("question, section", [
    ("Hội đồng nhân dân thành phố giám sát gì trong kế hoạch?", "VI"),  # a body the plan names
    ("Ban Tuyên giáo Thành ủy được đề nghị làm gì?", "VI.6"),
])
def test_bodies_the_plan_names_are_not_unknown_committees(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and any(i.startswith(section) for i in ids(a)), a.answer


# ---- Round 43 study: our own phrasings of what the tune half showed

def test_two_topics_joined_are_quoted_from_two_bullets(engine):
    a = engine.ask("Kế hoạch nói gì về bình đẳng giới và quyền của người khuyết tật?")
    assert ids(a)[0] == "II.2.1" and has(a, "bình đẳng giới") and has(a, "người khuyết tật"), a.answer


@pytest.mark.parametrize("question, section", [
    ("Sở Du lịch được giao những nhiệm vụ nào, để bên mình chuẩn bị bài phỏng vấn?", "II.7.2"),
    ("Which department leads the disaster task, so that I can contact them?", "II.4.2"),
    ("Sở nào phụ trách việc phòng chống thiên tai, để bên em liên hệ phối hợp?", "II.4.2"),
])
def test_why_the_asker_asks_after_the_question_is_no_topic_nor_role(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:3], a.answer
    assert a.intent != "coordinate", a.answer


@pytest.mark.parametrize("question", [
    "ke hoach ap dunh cho giai doan nao",  # "-nh" typed for "-ng"
    "kế hoạch áp dụnh đến năm nào?",
])
def test_nh_typed_for_ng(engine, question):
    a = engine.ask(question)
    assert a.answerable and has(a, "2025"), a.answer


@pytest.mark.parametrize("question", [
    "Kế hoạch có nhắc tới chuyện đi lao động nước ngoài không?",
    "Does the plan mention people who go abroad to work?",
])
def test_working_abroad_is_labour_export(engine, question):
    a = engine.ask(question)
    assert ids(a)[0] == "II.2.1" and has(a, "xuất khẩu lao động"), a.answer


@pytest.mark.parametrize("question", [
    "Can you give me the gist of this plan?",
    "I would like a short rundown of what this document is.",
])
def test_a_rundown_or_gist_of_the_document_is_the_overview(engine, question):
    a = engine.ask(question)
    assert a.intent == "overview" and ids(a)[0] == "preamble", a.answer


@pytest.mark.parametrize("question", [
    "Does the city offer scholarships to students from Laos who want to study here?",
    "Did Hai Phong receive any ASEAN prize for its tourism?",
    "Người nước ngoài làm việc ở Hải Phòng có được tham gia bảo hiểm xã hội tự nguyện không?",
    "muốn mua bhyt hộ gia đình thì ra đâu làm thủ tục",
])
def test_scholarships_prizes_a_group_never_named_and_where_to_apply_are_refused(engine, question):
    assert not engine.ask(question).answerable


@pytest.mark.parametrize("question", [
    "Are there programmes for children who have disabilities?",  # "who" after a noun for people asks no body
    "Kế hoạch có gì cho những người khuyết tật?",
])
def test_a_relative_who_asks_no_body(engine, question):
    a = engine.ask(question)
    assert a.answerable and a.intent not in ("lead", "coordinate") and ids(a)[0].startswith("II.2"), a.answer


def test_insurance_schemes_listed_together_are_a_topic_not_the_agency(engine):
    a = engine.ask("kế hoạch nói gì về BHXH và BHYT cho người thu nhập thấp?")
    assert a.intent != "agency_tasks" and ids(a)[0] == "II.6.1.1" and has(a, "thu nhập thấp"), a.answer
    b = engine.ask("BHXH Hải Phòng phải làm gì?")
    assert b.intent == "agency_tasks" and "II.6.2" in ids(b), b.answer


def test_a_point_named_by_its_heading_is_quoted_whole_among_a_bodys_duties(engine):
    a = engine.ask("Trong phần nâng cao hiệu quả chăm sóc sức khỏe nhân dân, Sở Y tế có những việc gì?")
    assert ids(a)[0] == "II.6.1.2" and has(a, "tuyến y tế cơ sở") and has(a, "y tế dự phòng"), a.answer


def test_the_tasks_a_body_carries_out_alone_then_that_task(engine):
    sid = "types-r43-alone"
    a = engine.ask("Sở LĐTBXH một mình thực hiện nhiệm vụ nào?", session_id=sid)
    assert ids(a) == ["II.2.2"] and "chỉ do" in a.answer, a.answer
    b = engine.ask("còn phối hợp nhiệm vụ đó là ai?", session_id=sid)
    assert ids(b)[0] == "II.2.3" and has(b, "Các sở, ban, ngành"), b.answer
    c = engine.ask("Sở Y tế một mình làm nhiệm vụ nào?")  # none: it shares every task it carries out
    assert "chỉ do Sở Y tế" in c.answer and "Không có nhiệm vụ nào" in c.answer, c.answer


@pytest.mark.parametrize("question", [
    "ngoài ngân sách nhà nước thì có được huy động thêm nguồn khác không?",  # a frame, not who
    "kinh phí cho kế hoạch ngoài ngân sách ra có được huy động thêm từ nước ngoài không?",
])
def test_a_frame_before_a_yes_no_names_no_group(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0].startswith("III"), a.answer


@pytest.mark.parametrize("typed, written", [
    ("kh này do ai ban hành", "KH này do ai ban hành"),  # "kh" for the plan before "này"
    ("trong kh có gì về y tế", "trong KH có gì về y tế"),
    ("kh có nói gì về du lịch ko", "KH có nói gì về du lịch không"),  # a question with its own "ko"
    ("tôi kh biết sở nào làm", "tôi không biết sở nào làm"),  # "kh" for "không"
    ("kh có quy định à", "không có quy định à"),
])
def test_kh_is_the_plan_or_not(typed, written):
    from ascc_bot.understand import written_form
    assert written_form(typed) == written


@pytest.mark.parametrize("question", [
    "kh co ap dung cho ca ubnd quan huyen ko",
    "Does the plan apply to the district People's Committees as well?",
])
def test_the_plan_applied_to_a_body_is_no_tasks_role(engine, question):
    a = engine.ask(question)
    assert a.intent not in ("lead", "coordinate") and ids(a)[0] in ("VI.1", "II.11", "IV.1"), a.answer


def test_social_groups_singled_out(engine):
    a = engine.ask("Which groups of people does the plan give particular attention to?")
    assert ids(a)[0] in ("II.2.1", "II.1.1") and has(a, "yếu thế"), a.answer


@pytest.mark.parametrize("question, section", [
    ("quick overview pls: KH co nhung mang hoat dong chinh nao", "II"),  # English words asking, then the question
    ("urgent: sở nào làm nhiệm vụ 6?", "II.6.2"),
    ("hỏi nhanh: ai làm nhiệm vụ 6", "II.6.2"),  # asking, no one named
    ("hỏi chút, hạn nộp báo cáo là khi nào?", "VI.1"),
])
def test_a_lead_in_that_only_asks_is_dropped(engine, question, section):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == section, a.answer


def test_a_date_asked_of_another_thing_after_the_report_is_not_the_reports(engine):
    sid = "types-r43-estimates"
    engine.ask("Sở Tài chính có nhiệm vụ gì trong kế hoạch này?", session_id=sid)
    engine.ask("các đơn vị gửi dự toán cho sở đó rồi sở đó báo cáo ai?", session_id=sid)
    a = engine.ask("Hạn gửi dự toán là ngày nào?", session_id=sid)  # the plan dates the report, not the estimates
    assert not a.answerable, a.answer
    sid2 = "types-r43-report"
    engine.ask("Báo cáo hằng năm gửi cho ai?", session_id=sid2)
    b = engine.ask("gửi báo cáo trước ngày nào?", session_id=sid2)
    assert b.answerable and has(b, "01 tháng 12"), b.answer


# ---- Round 44 study

def test_the_southern_spelling_of_chinh(engine):
    a = engine.ask("Sở Tài chánh phải làm những gì?")
    assert a.answerable and "VI.3" in ids(a) and "Sở Tài chính" in a.answer, a.answer


def test_what_is_counted_is_named_first(engine):
    a = engine.ask("How many specific objectives does Part I set out?")
    assert ids(a)[0] == "I.2", a.answer


@pytest.mark.parametrize("question", [
    "Who is its chairman?",
    "who's the current director of the Department of Tourism",
])
def test_who_is_a_chairman_or_director_asks_a_person(engine, question):
    assert not engine.ask(question).answerable


def test_money_for_those_bodies_is_an_amount_not_a_count_of_bodies(engine):
    sid = "types-r44-money"
    engine.ask("Nhiệm vụ chăm sóc sức khỏe do ai thực hiện?", session_id=sid)
    a = engine.ask("thế mấy sở đó được cấp bao nhiêu tiền?", session_id=sid)
    assert not a.answerable, a.answer


def test_every_year_then_a_plural_asks_no_year(engine):
    a = engine.ask("hằng năm mấy mục tiêu của kế hoạch phải lồng ghép vào đâu?")
    assert a.answerable and ids(a)[0] in ("V", "II.11", "VI.1"), a.answer


def test_support_to_buy_a_card_is_a_policy_not_a_procedure(engine):
    a = engine.ask("kế hoạch có hỗ trợ người thu nhập thấp mua thẻ bhyt không")
    assert a.answerable and ids(a)[0] == "II.6.1.1", a.answer


def test_the_committee_whose_plan_it_is_is_not_asked_about(engine):
    a = engine.ask("Kế hoạch của UBND TP được thực hiện ở phạm vi nào?")
    assert a.intent != "agency_tasks" and "IV.1" in ids(a)[:3], a.answer


# ---- Round 45 study

@pytest.mark.parametrize("question", [
    "Kế hoạch gồm những lĩnh vực nào?",
    "Văn bản này có mấy lĩnh vực?",
    "Which fields of work does the plan deal with?",
    "Which fields does the plan cover?",
])
def test_the_fields_of_a_plan_are_its_groups_of_tasks(engine, question):
    a = engine.ask(question)
    assert a.intent == "structure" and ids(a)[0] == "II" and "II.11" in ids(a), a.answer


def test_fields_named_by_a_subject_are_the_tasks_titled_so(engine):
    a = engine.ask("Những lĩnh vực nào của kế hoạch liên quan đến văn hóa?")
    assert a.intent == "structure" and set(ids(a)) == {"II.7", "II.9"}, a.answer


def test_this_document_is_not_a_body_referred_back_to(engine):
    a = engine.ask("Văn bản này đưa ra bao nhiêu nhiệm vụ?")
    assert a.intent == "structure" and "11" in a.answer.split("\n")[0], a.answer


def test_a_programme_is_not_submitting(engine):
    # "chương trình" holds "trình" (to submit): "… do ai chủ trì?" asks the lead, not where something is sent
    a = engine.ask("Chương trình việc làm do cơ quan nào chủ trì?")
    assert a.intent == "lead" and ids(a)[0] == "II.2.2" and has(a, "Sở Lao động Thương binh và Xã hội"), a.answer


def test_a_year_that_bounds_a_subject_is_its_horizon(engine):
    a = engine.ask("phát triển du lịch tới năm 2025 phải không?")
    assert a.intent != "deadline" and ids(a)[0] == "II.7.1" and has(a, "đến năm 2020"), a.answer


def test_reporting_a_difficulty_to_whom(engine):
    a = engine.ask("nếu gặp vướng mắc thì báo cho cơ quan nào?")
    assert a.answerable and ids(a)[0] == "closing" and has(a, "Sở Lao động Thương binh và Xã hội"), a.answer


def test_which_document_said_alone_is_the_one_just_cited(engine):
    sid = "types-r45-which-doc"
    engine.ask("What does the plan say about social insurance?", session_id=sid)
    a = engine.ask("which resolution?", session_id=sid)
    assert ids(a) == ["II.6.1.1"] and has(a, "21-NQ/TW"), a.answer
    b = engine.ask("and who carries it out?", session_id=sid)
    assert b.intent == "lead" and ids(b)[0] == "II.6.2" and has(b, "Bảo hiểm Xã hội Hải Phòng"), b.answer


def test_a_measure_said_alone_is_an_amount(engine):
    sid = "types-r45-rate"
    engine.ask("health insurance", session_id=sid)
    assert not engine.ask("coverage ratio?", session_id=sid).answerable


@pytest.mark.parametrize("question", [
    "ASCC nghia la gi?",
    "What does ASCC stand for?",
    "Cộng đồng Văn hóa - Xã hội ASEAN là gì vậy?",
])
def test_the_name_the_title_serves_is_the_overview(engine, question):
    a = engine.ask(question)
    assert a.intent == "overview" and ids(a)[0] == "preamble" and has(a, "Cộng đồng Văn hóa - Xã hội ASEAN"), a.answer


@pytest.mark.parametrize("question,task,verdict", [
    ("Bảo hiểm y tế thuộc nhiệm vụ số mấy?", "6", ""),
    ("Which task number deals with disaster preparedness?", "4", ""),
    ("phòng chống ma túy là nhiệm vụ 5 đúng ko", "4", "Không"),
    ("Is gender equality part of task 2?", "2", "Yes"),
])
def test_the_task_a_subject_belongs_to(engine, question, task, verdict):
    a = engine.ask(question)
    assert a.answerable and ids(a)[-1] == f"II.{task}" and a.answer.startswith(verdict), a.answer
    assert f"{'task' if a.lang == 'en' else 'nhiệm vụ'} {task} (" in a.answer, a.answer


def test_a_wrong_task_number_then_who_takes_the_right_task(engine):
    a = engine.ask("bình đẳng giới là nhiệm vụ 3 phải ko, ai thực hiện?")
    assert a.answer.startswith("Không") and "II.2.2" in ids(a) and has(a, "Sở Lao động Thương binh và Xã hội"), a.answer


@pytest.mark.parametrize("question", [
    "Phòng Văn hóa Thông tin quận phải làm gì theo kế hoạch này?",
    "phòng lđtbxh huyện có nhiệm vụ gì",
])
def test_a_district_office_is_its_peoples_committee(engine, question):
    a = engine.ask(question)
    assert a.intent == "agency_tasks" and "II.11" in ids(a)[:3], a.answer


@pytest.mark.parametrize("question,first", [
    ("Kế hoạch làm theo hướng dẫn của Bộ Nội vụ phải không?", "Không."),
    ("KH xây dựng theo HD của Bộ LĐTBXH đúng ko", "Có."),
    ("Kế hoạch theo hướng dẫn của Bộ Tài chính hay Bộ LĐTBXH?", "Bộ Lao động Thương binh và Xã hội."),
])
def test_whose_guidance_offered_for_confirmation(engine, question, first):
    a = engine.ask(question)
    assert a.answerable and ids(a) == ["preamble"] and a.answer.startswith(first), a.answer
    assert has(a, "theo hướng dẫn của Bộ Lao động Thương binh và Xã hội"), a.answer


@pytest.mark.parametrize("question,first", [
    ("Kế hoạch căn cứ Quyết định 611/QĐ-TTg phải không?", "Không."),
    ("Does the plan implement Decision 161?", "Yes."),
])
def test_the_plans_basis_offered_for_confirmation(engine, question, first):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "preamble" and a.answer.startswith(first) and has(a, "161/QĐ-TTg"), a.answer


def test_replacing_an_earlier_plan_is_not_in_the_documents(engine):
    assert not engine.ask("Did this plan supersede a previous ASEAN plan of the city?").answerable


@pytest.mark.parametrize("question", [
    "How much is the maternity allowance for female workers?",
    "Is there an online portal or software for filing the yearly report?",
])
def test_benefits_and_software_the_plan_never_names_are_refused(engine, question):
    assert not engine.ask(question).answerable


@pytest.mark.parametrize("question,first", [
    ("cho hỏi mt cụ thể gồm những gì", "I.2"),
    ("các mốc tg thực hiện kế hoạch là khi nào", "IV.2"),
])
def test_two_lower_case_consonants_before_a_word_are_initials(engine, question, first):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == first, a.answer


# ---- Round 46 study

def test_a_coordinator_named_by_name_asks_the_list(engine):
    a = engine.ask("Nhiệm vụ 3 có cơ quan phối hợp nào được nêu đích danh không?")
    assert a.intent == "coordinate" and ids(a)[0] == "II.3.3", a.answer


def test_the_overall_period_of_the_plan(engine):
    a = engine.ask("What is the overall time frame of the city's ASEAN plan?")
    assert a.intent == "deadline" and "IV.2" in ids(a) and has(a, "2025"), a.answer


def test_a_horizon_in_a_quoted_plan_name_is_no_issue_date(engine):
    a = engine.ask("việc lồng ghép mục tiêu vào kế hoạch hằng năm của các sở kéo dài đến năm bao nhiêu?")
    assert a.answerable and ids(a)[0] == "V" and has(a, "đến năm 2025"), a.answer


def test_asking_for_money_is_mobilising_support(engine):
    a = engine.ask("Sở KH&ĐT có phải đi xin tài trợ không?")  # (task 10's aid, or VI.4's support: both mobilise)
    assert a.answerable and ids(a)[0] in ("VI.4", "II.10.2") and has(a, "vận động"), a.answer


def test_living_in_a_kind_of_place_then_whether_it_applies(engine):
    a = engine.ask("gia đình em ở xã nông thôn, kế hoạch có áp dụng cho chỗ em không ạ")
    assert a.answerable and ids(a)[0] == "IV.1", a.answer


def test_it_after_a_story_naming_the_plan_is_the_plan(engine):
    a = engine.ask("Mẹ tôi nghe loa phường đọc về kế hoạch ASEAN của thành phố mà không hiểu, nó là cái gì vậy?")
    assert a.intent == "overview" and ids(a)[0] == "preamble", a.answer


def test_an_exact_rate_with_many_words_before_it_is_a_figure(engine):
    assert not engine.ask("What exact poverty reduction rate (%) does the city target for 2025?").answerable


@pytest.mark.parametrize("question", [
    "What share of the grassroots information staff does the plan want trained?",
    "Does the plan give a percentage target for training communication staff in hard areas?",
])
def test_a_share_asked_finds_the_passage_with_a_percentage(engine, question):
    a = engine.ask(question)
    assert a.answerable and "II.8.1.2" in ids(a)[:2] and has(a, "100%"), a.answer


def test_that_resolution_is_the_one_the_passage_just_quoted_cites(engine):
    sid = "types-r46-that-resolution"
    engine.ask("Kế hoạch nói gì về bảo hiểm y tế?", session_id=sid)
    a = engine.ask("nghị quyết đó ra đời ngày nào?", session_id=sid)
    assert a.intent == "reference" and ids(a) == ["II.6.1.1"] and has(a, "22/11/2012"), a.answer


def test_an_authority_offered_with_who_issued_it(engine):
    sid = "types-r46-authority"
    engine.ask("Nghị quyết 21-NQ/TW ban hành ngày nào?", session_id=sid)
    a = engine.ask("Who issued it, the Politburo?", session_id=sid)
    assert a.intent == "reference" and ids(a) == ["II.6.1.1"] and has(a, "Bộ Chính trị"), a.answer


def test_ds_is_a_list_of_bodies(engine):
    a = engine.ask("so y te co trong ds thuc hien nv 6 ko")
    assert a.answer.startswith("Có") and ids(a)[0] == "II.6.2", a.answer


def test_staff_ethics_in_a_health_conversation(engine):
    sid = "types-r46-ethics"
    engine.ask("What does the plan say about hospitals and health care?", session_id=sid)
    a = engine.ask("and the ethics of medical staff?", session_id=sid)
    assert ids(a)[0] == "II.6.1.2" and has(a, "y đức"), a.answer


def test_when_the_community_itself_was_set_up_is_not_in_the_plan(engine):
    assert not engine.ask("In what year was the ASEAN Socio-Cultural Community launched?").answerable


# ---- Round 47 study

@pytest.mark.parametrize("question", [
    "Mục VIII của kế hoạch nói về gì?",
    "nhiệm vụ 13 do sở nào chủ trì?",
    "Mục VI khoản 9 yêu cầu gì?",
    "Who coordinates task 17?",
])
def test_a_part_task_or_item_the_plan_lacks_is_refused(engine, question):
    a = engine.ask(question)
    assert not a.answerable and ("mang số được hỏi" in a.answer or "with that number" in a.answer), a.answer


@pytest.mark.parametrize("question,first", [
    ("Mục VI khoản 6 nói gì?", "VI.6"),
    ("nhiệm vụ 11 là gì", "II.11"),
])
def test_parts_and_items_the_plan_has_are_still_answered(engine, question, first):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == first, a.answer


def test_when_a_cited_resolution_lapsed_is_not_in_the_plan(engine):
    assert not engine.ask("Nghị quyết 21-NQ/TW hết hiệu lực vào khi nào?").answerable


def test_a_period_asked_beside_the_document_that_gives_it(engine):
    a = engine.ask("Which workforce master plan, and covering which years, does part V refer to?")
    assert a.answerable and ids(a)[0] == "V" and has(a, "2011-2020") and "do not give" not in a.answer, a.answer


def test_a_subject_offered_with_a_task_number_the_plan_lacks_is_corrected(engine):
    a = engine.ask("chăm sóc sức khỏe bà mẹ trẻ em là nhiệm vụ 14 phải không?")
    assert a.answerable and a.answer.startswith("Không") and "nhiệm vụ 6 (" in a.answer, a.answer


# ---- Round 48 study

@pytest.mark.parametrize("question,first", [
    ("điểm 8.1.2 quy định những gì?", "II.8.1.2"),
    ("What does point 3.1 say?", "II.3.1"),
    ("khoản 10.2 nói gì vậy", "II.10.2"),
    ("nd đ.6.1.1 là gì", "II.6.1.1"),
])
def test_a_point_named_without_its_part_is_that_point(engine, question, first):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == first, a.answer


@pytest.mark.parametrize("question", [
    "điểm 4.5 nói về gì?",
    "What does point 9.4 require?",
    "m.IV k4 quy định gì",
    "Điều 3 của kế hoạch này nói gì?",
])
def test_a_point_or_article_the_plan_lacks_is_refused(engine, question):
    a = engine.ask(question)
    assert not a.answerable and ("mang số được hỏi" in a.answer or "with that number" in a.answer), a.answer


def test_which_task_by_may_after_the_unit(engine):
    a = engine.ask("bảo vệ đa dạng sinh học nằm trong nhiệm vụ mấy vậy?")
    assert a.answerable and "nhiệm vụ 3 (" in a.answer, a.answer


def test_a_count_of_classes_the_plan_does_not_give_is_refused(engine):
    assert not engine.ask("mỗi năm thành phố mở mấy đợt tập huấn về ứng dụng khoa học công nghệ?").answerable


def test_a_clause_opening_with_its_verb_keeps_the_subject_before(engine):
    a = engine.ask("chương trình hành động 2021-2025 của quận có bao nhiêu dự án, là những dự án nào?")
    assert not a.answerable, a.answer


def test_the_budget_submitted_upwards_is_not_the_yearly_report(engine):
    a = engine.ask("Sở TC kiểm tra tổng hợp KP xong thì UBND TP trình lên đâu?")
    assert a.answerable and ids(a)[0] == "VI.3" and has(a, "Hội đồng nhân dân"), a.answer


def test_this_years_report_deadline_is_the_yearly_one(engine):
    a = engine.ask("hạn gửi báo cáo năm nay là ngày nào?")
    assert a.answerable and has(a, "01 tháng 12"), a.answer


def test_a_schedule_word_asks_the_timeline(engine):
    a = engine.ask("lộ trình năm 2025 phải làm gì?")
    assert a.answerable and ids(a)[0] == "IV.2" and has(a, "tổng kết"), a.answer


def test_focal_point_is_the_lead(engine):
    a = engine.ask("sở nào là focal point của toàn bộ kế hoạch?")
    assert a.answerable and ids(a)[0] == "VI.2", a.answer


def test_a_topic_put_first_is_what_that_one_points_to(engine):
    sid = "types-r48-fronted"
    engine.ask("Who leads the task on health services?", session_id=sid)
    a = engine.ask("And the tourism one, who is in charge of that?", session_id=sid)
    assert ids(a)[0] == "II.7.2" and has(a, "Sở Du lịch"), a.answer


def test_who_heads_a_body_just_discussed_is_a_person(engine):
    sid = "types-r48-heads"
    engine.ask("What must the Department of Finance do?", session_id=sid)
    assert not engine.ask("And who heads it?", session_id=sid).answerable
    assert not engine.ask("ai đứng đầu sở đó?").answerable


def test_my_district_is_the_districts_people_s_committee(engine):
    a = engine.ask("huyện tôi cần làm những gì theo kế hoạch?")
    assert a.answerable and ids(a)[0] == "II.11", a.answer


def test_an_item_by_number_follows_the_part_just_discussed(engine):
    sid = "types-r48-item"
    engine.ask("Mục III khoản 2 nói gì?", session_id=sid)
    a = engine.ask("còn khoản 1?", session_id=sid)
    assert ids(a)[0] == "III.1", a.answer


# ---- Round 49 study

@pytest.mark.parametrize("question,places", [
    ("trẻ em được kế hoạch nhắc tới ở những chỗ nào?", {"II.2.1", "II.6.1.2"}),
    ("In which sections does the plan mention climate change?", {"II.3.1", "II.4.1"}),
    ("hộ nghèo, người nghèo xuất hiện ở mấy chỗ trong kế hoạch?", {"II.1.1", "II.2.1", "II.6.1.2"}),
])
def test_every_place_a_subject_is_mentioned(engine, question, places):
    a = engine.ask(question)
    assert a.answerable and set(ids(a)) == places, a.answer
    assert f"{len(places)} chỗ" in a.answer or f"{len(places)} places" in a.answer, a.answer


def test_the_place_set_aside_names_no_subject(engine):
    a = engine.ask("người khuyết tật còn được nói ở chỗ nào khác ngoài mảng y tế không?")
    assert a.answerable and "II.2.1" in ids(a), a.answer


@pytest.mark.parametrize("question,left_out,kept", [
    ("những nhiệm vụ nào không có Sở Du lịch tham gia?", "II.2.2", "II.7.2"),
    ("Which tasks does the Department of Foreign Affairs not take part in?", "II.3.2", "II.9.2"),
])
def test_tasks_whose_lists_leave_a_body_out(engine, question, left_out, kept):
    a = engine.ask(question)
    assert a.answerable and left_out in ids(a) and kept not in ids(a), a.answer


def test_a_body_asked_for_any_task_gets_its_own_duties(engine):
    a = engine.ask("Does the Department of Finance carry out any of the tasks?")
    assert a.intent == "agency_tasks" and ids(a)[0] in ("III.1", "VI.3"), a.answer


def test_natural_resources_and_environment_is_no_school(engine):
    a = engine.ask("Sở TN&MT được giao những nhiệm vụ nào trong kế hoạch?")
    assert a.answerable and "II.3.2" in ids(a), a.answer


@pytest.mark.parametrize("question", [
    "Trong các nhiệm vụ, việc nào quan trọng nhất?",
    "Which of the eleven tasks matters most?",
    "Are poor households exempt from health insurance contributions?",
    "trạm y tế nào ở huyện An Lão được nâng cấp trước?",
    "Is there a fixed date by which budget estimates must reach the Department of Finance?",
])
def test_what_the_plan_does_not_settle_is_refused(engine, question):
    assert not engine.ask(question).answerable


def test_a_later_year_offered_for_a_date_is_corrected_not_refused(engine):
    a = engine.ask("Đánh giá cuối kỳ diễn ra năm 2030 phải không?")
    assert a.answerable and has(a, "2025"), a.answer


def test_the_inside_of_a_cited_document_not_loaded_is_refused(engine):
    sid = "types-r49-inside"
    engine.ask("Kế hoạch triển khai quyết định nào của Thủ tướng?", session_id=sid)
    a = engine.ask("Quyết định đó gồm bao nhiêu điều, có hiệu lực từ khi nào?", session_id=sid)
    assert not a.answerable and "chưa được nạp" in a.answer, a.answer


def test_the_yearly_reports_recipients_after_it_was_asked(engine):
    sid = "types-r49-report-recipients"
    engine.ask("Hạn gửi báo cáo hằng năm là khi nào?", session_id=sid)
    a = engine.ask("Who else receives it, apart from the Labour department?", session_id=sid)
    assert "VI.1" in ids(a) and "closing" not in ids(a) and has(a, "Bộ Lao động Thương binh"), a.answer


def test_foreign_language_and_computer_skills_are_the_plans_words(engine):
    a = engine.ask("Có bồi dưỡng tiếng nước ngoài và vi tính cho cán bộ không?")
    assert a.answerable and ids(a)[0] == "V" and has(a, "ngoại ngữ, tin học"), a.answer


def test_an_award_won_is_a_result_the_plan_does_not_report(engine):
    assert not engine.ask("Thành phố đã nhận giải thưởng ASEAN nào về văn hóa chưa?").answerable
    assert not engine.ask("Has Hai Phong won an ASEAN clean tourist city award?").answerable


def test_whether_a_body_leads_any_task_or_only_coordinates_is_no_list_of_tasks_without_it(engine):
    a = engine.ask("Sở Tư pháp có chủ trì nhiệm vụ nào không hay chỉ phối hợp thôi?")
    assert a.answerable and "không có Sở Tư pháp" not in a.answer and "II.1.3" in ids(a), a.answer


def test_how_bodies_named_together_split_their_work_is_not_in_the_plan(engine):
    a = engine.ask("Sở Văn hóa và Thể thao với Sở Du lịch phân chia công việc giữa hai sở ra sao trong nhiệm vụ 7?")
    assert not a.answerable, a.answer
    assert not engine.ask("How do the Department of Health and Social Insurance divide task 6 between them?").answerable


def test_a_body_named_then_pointed_back_to_gets_all_its_work(engine):
    a = engine.ask("Sở Nội vụ có tham gia nhiệm vụ môi trường không, sở đó làm những nhiệm vụ nào?")
    assert a.answerable and "II.1.2" in ids(a) and "II.3.2" in ids(a), a.answer


def test_dp_is_the_localities(engine):
    a = engine.ask("lồng ghép vào kế hoạch hằng năm của các sở, ngành, đp có không?")
    assert a.answerable and ids(a)[0] == "V" and has(a, "địa phương"), a.answer


# ---- Round 50 study

def test_which_year_after_city_is_no_named_city(engine):
    a = engine.ask("quy hoạch du lịch thành phố tính tới năm nào vậy?")
    assert a.answerable and has(a, "2030"), a.answer


def test_the_askers_district_then_which_department_asks_a_body(engine):
    a = engine.ask("Mảng du lịch thì huyện mình phải liên hệ sở nào làm đầu mối?")
    assert a.answerable and ids(a)[0] == "II.7.2" and has(a, "Sở Du lịch"), a.answer


def test_some_asean_countries_is_no_count_of_members(engine):
    a = engine.ask("Thành phố có giao lưu văn hóa với mấy nước ASEAN không?")
    assert a.answerable, a.answer
    assert not engine.ask("ASEAN gồm mấy nước thành viên?").answerable


@pytest.mark.parametrize("question", [
    "What is the registration procedure for an NGO office, and how many working days?",
    "What fees does the plan set for tourist sites?",
])
def test_procedures_and_prices_are_not_in_the_plan(engine, question):
    assert not engine.ask(question).answerable


# ---- Round 51 study

@pytest.mark.parametrize("text, section", [
    ("Mục II khoản 6 điểm 6.3 nói gì?", "II.6.3"),
    ("mục II, khoản 6, điểm 6.3", "II.6.3"),
    ("khoản 6 điểm 3 mục II", "II.6.3"),
    ("khoản 6, điểm 6.2 của mục II", "II.6.2"),
    ("section II item 6 point 6.2", "II.6.2"),
    ("mục VI khoản 3", "VI.3"),
])
def test_a_point_named_after_its_item_lies_in_that_item(text, section):
    assert section_reference(text) == section


@pytest.mark.parametrize("question, lead", [
    ("ai đứng đầu nhiệm vụ 6", "Sở Y tế"),
    ("cơ quan nào đứng đầu việc phát triển du lịch?", "Sở Du lịch"),
])
def test_heading_a_piece_of_work_is_leading_it(engine, question, lead):
    a = engine.ask(question)
    assert a.answerable and has(a, lead), a.answer
    assert not engine.ask("ai đứng đầu Sở Y tế?").answerable  # heading a body asks a person


@pytest.mark.parametrize("question", ["In which year does the plan end?", "When does the plan start?"])
def test_when_the_plan_starts_or_ends_is_its_timeline(engine, question):
    a = engine.ask(question)
    assert a.answerable and ids(a)[0] == "IV.2" and has(a, "2025"), a.answer


@pytest.mark.parametrize("question, sections", [
    ("cơ quan phối hợp của nhiệm vụ 2 và 3 có khác nhau không?", ("II.2.3", "II.3.3")),
    ("mục tiêu chung và mục tiêu cụ thể khác nhau ra sao?", ("I.1", "I.2")),
])
def test_a_comparison_of_two_parts_quotes_both(engine, question, sections):
    a = engine.ask(question)
    assert a.answerable and set(sections) <= set(ids(a)), a.answer


@pytest.mark.parametrize("question, section, fact", [
    ("Tôi là kế toán ở một phường nhỏ, chưa đọc kế hoạch bao giờ. Hạn gửi báo cáo hằng năm là ngày nào, gửi cho ai?",
     "VI.1", "01 tháng 12"),
    ("I run a small pharmacy and see patients every day. Which bodies carry out the health care task?",
     "II.6.2", "Sở Y tế"),
    ("Tôi làm ruộng, không hiểu kế hoạch này để làm gì. Mục tiêu chung của kế hoạch là gì vậy?", "I.1", ""),
    ("Tôi mới về hưu. Bạn kể tên giúp các nhiệm vụ của kế hoạch được không?", "II", "Triển khai"),
])
def test_sentences_that_tell_before_those_that_ask_are_the_askers_story(engine, question, section, fact):
    a = engine.ask(question)
    assert a.answerable and section in ids(a)[:2] and (not fact or has(a, fact)), a.answer


@pytest.mark.parametrize("question", [
    "Báo cáo tuần gửi Sở LĐTBXH trước ngày nào?",
    "Có phải nhiệm vụ y tế được cấp 2 tỷ đồng mỗi năm không?",
    "Tổng kết đề án được tổ chức vào ngày, tháng cụ thể nào?",
    "có bản slide powerpoint không",
    "How much allowance can my family get, and where do we apply?",
])
def test_a_period_sum_day_or_thing_the_plan_never_states_is_refused(engine, question):
    assert not engine.ask(question).answerable


def test_a_day_and_month_asked_together_is_a_date(engine):
    a = engine.ask("Hạn gửi báo cáo là ngày tháng nào?")
    assert a.answerable and has(a, "01 tháng 12"), a.answer


def test_dn_and_gp_are_enterprises_and_solutions(engine):
    a = engine.ask("huy động dn đóng góp nguồn lực thì có gp gì")
    assert a.answerable and ids(a)[0] == "V" and has(a, "doanh nghiệp"), a.answer


@pytest.mark.parametrize("question, sections", [
    ("trách nhiệm Sở Kế hoạch và Đầu tư", {"II.10.2", "VI.4"}),
    ("Department of Finance duties", {"VI.3"}),
])
def test_a_body_and_its_duties_typed_without_a_question_asks_its_work(engine, question, sections):
    a = engine.ask(question)
    assert a.answerable and sections <= set(ids(a)), a.answer


def test_that_body_next_is_about_the_task_most_its_own(engine):
    sid = "own-task"
    engine.ask("Sở Tài nguyên và Môi trường làm những nhiệm vụ nào?", session_id=sid)
    a = engine.ask("ai phối hợp với sở đó?", session_id=sid)
    assert ids(a)[0] == "II.3.3", a.answer


def test_the_party_committees_board_named_without_the_committee(engine):
    a = engine.ask("Ban Tuyên giáo được đề nghị làm gì?")
    assert a.answerable and ids(a)[0] == "VI.6", a.answer


def test_a_story_the_question_points_back_to_is_its_topic(engine):
    a = engine.ask("Tôi làm nghề biểu diễn nghệ thuật truyền thống, rất quan tâm việc giữ gìn bản sắc dân tộc. "
                   "Kế hoạch nói gì về việc này?")
    assert a.answerable and ids(a)[0] == "II.7.1", a.answer


def test_a_statement_put_for_confirmation_with_a_is_a_yes_no_question(engine):
    a = engine.ask("Nhiệm vụ 9 do Sở Ngoại vụ thực hiện à?")
    assert a.answer.startswith("Có") and ids(a)[0] == "II.9.2", a.answer


def test_a_task_named_after_the_report_turn_is_a_new_topic(engine):
    sid = "report-then-task"
    engine.ask("Hạn gửi báo cáo là ngày nào?", session_id=sid)
    a = engine.ask("Sở nào chủ trì nhiệm vụ 6?", session_id=sid)
    assert ids(a)[0] == "II.6.2" and has(a, "Sở Y tế"), a.answer
    engine.ask("Hạn gửi báo cáo là ngày nào?", session_id="report-then-sent")
    b = engine.ask("gửi cho ai?", session_id="report-then-sent")
    assert ids(b)[0] == "VI.1" and has(b, "Sở Lao động Thương binh và Xã hội"), b.answer
