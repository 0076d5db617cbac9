"""Kinds of question the documents cannot answer by their nature, recognised before any quoting:

- a person ("ai ký ban hành?", "giám đốc Sở Y tế là ai?", "who signed it?"): plans and decrees name bodies;
  a signature's name is answered only when a document's closing carries one;
- how well anyone did ("quận nào làm tốt nhất?"): a plan ranks no one;
- penalties ("nộp muộn thì bị xử lý thế nào?"), unless a loaded document sets some;
- procedures ("làm thẻ BHYT cần giấy tờ gì?", "how do I register…?"), unless a loaded document has them;
- results achieved ("đã đạt được gì?", "kết quả sơ kết ra sao?", "what has been achieved so far?"): a plan
  says what is to be done, not what was done;
- the document's own number and date when its text does not carry them;
- years after the documents' last milestone that they never mention ("giai đoạn 2026-2030");
- today and tomorrow ("hôm nay", "ngày mai", "right now"): the documents do not describe the present;
- an opinion ("theo bạn có khả thi không?", "do you think it will work?"): the bot quotes, it does not judge.
"""

from __future__ import annotations

import re

from ..facts import agency_key
from ..text import padded_syllables, syllables
from ..understand import Question
from .base import Context, Draft
from .reference import referred_back

_ROLE_TITLES = (r"(giam doc|pho giam doc|chu tich|pho chu tich|bi thu|pho bi thu|truong ban|truong phong|thu truong|"
                r"bo truong|thu tuong|nguoi dung dau|lanh dao|can bo phu trach|can bo dau moi|chuyen vien)")
# "là ai" that ends its clause asks who someone is; "… là ai tổ chức?" asks who organises
_CLAUSE_END = r"(?=\s*$|\s*[?,.;!]|\s+(vay|the|a|ha|nhi|nhe|day|z)\b)"
_PERSON_VI = re.compile(rf"\b(ai|nguoi nao|ong nao|ba nao|dong chi nao|d c nao|dc nao) (da )?"
                        rf"(k[iy]|la nguoi k[iy]|dung ten)\b"
                        rf"|\bnguoi k[iy]\b|\bk[iy] boi ai\b|\bk[iy] ten\b"
                        rf"|\b(ai|nguoi nao|ong nao|ba nao) (la|dang la|hien la|lam) {_ROLE_TITLES}\b"
                        rf"|\b{_ROLE_TITLES}\b.*\b(la ai{_CLAUSE_END}|ten (la )?gi|ten gi|ho ten)\b|\bho (va )?ten\b"
                        # "Thủ tướng nào ký …?", "đ/c Phó Chủ tịch UBND TP nào ký ban hành?"
                        rf"|\b{_ROLE_TITLES}( \w+){{0,6}} nao (da )?(k[iy]|dung ten|ban hanh)\b"
                        r"|\b(ong hay ba|ba hay ong)\b"  # "… là ông hay bà nào?"
                        # "đầu mối bên sở là anh chị nào", "gặp chị nào": a person, by how one addresses them
                        rf"|\b(la|gap|hoi|lien he|lien he voi) (anh|chi|anh chi|ong|ba|chu) nao\b"
                        # "chuyên viên nào ở sở … phụ trách": a member of staff, where a plan names bodies
                        r"|\b(chuyen vien|nhan vien) nao\b|\bcan bo nao( \w+){0,6} (phu trach|lam dau moi|dau moi|"
                        r"tiep nhan)\b"
                        rf"|\bso dien thoai\b|\b(sdt|so dt|hotline|fax)\b|\bemail\b"
                        rf"|\bdia chi (lien he|lien lac|o dau|nao|la gi|la dau)\b"
                        rf"|\b(o|co) dia chi\b")
_PERSON_EN = re.compile(r"\bwho (signed|is (currently |now )?the (current )?(director|chair\w*|head|mayor|minister|"
                        r"secretary|leader|president|official))\b|\bsigned by\b"
                        r"|\bname of the ([\w']+ ){0,3}(director|chair\w*|head|mayor|minister|person|official|"
                        r"signatory)\b"
                        r"|\bsignator|\bphone number\b|\bcontact person\b"
                        r"|\b(director|chair\w*|head|mayor|minister)'?s? (full )?name\b"
                        r"|\b(which|what) ([\w'-]+ ){0,3}(prime minister|minister|chair\w*|official|leader|director) "
                        r"(\w+ly )?(signed|issued)\b"
                        r"|\bwhich (prime minister|minister|mayor|chairman|chairwoman)\s*([?.]|$)"
                        r"|\b(phone|telephone|hotline|fax)( numbers?)?\b|\bemail address\b"
                        r"|\bcontact (details|information|persons?|people|officers?|officials?)\b"
                        # "the names of the contact officers in each of those departments"
                        r"|\bnames of (the )?([\w']+ ){0,3}(directors|heads|officers|officials|people|persons|staff|"
                        r"leaders|signatories)\b"
                        # "who currently chairs …", "who heads the Department of Health" (a person; "who heads
                        # task 6" asks for bodies)
                        r"|\bwho (currently |now )?chairs\b"
                        r"|\bwho (currently |now )?heads (the |those |these |that |this )?"
                        r"([\w']+ ){0,4}(committee|front|departments?|ministry|council|board)\b"
                        # "Who is the chief of …", "the directors' names", "which vice chairman … signed"
                        r"|\bwho is the (current )?(chief|boss|head)\b|\b(directors?|chairm[ae]n|heads?)'s? names\b"
                        # "Who is its chairman in Hai Phong?", "who's the director there"
                        r"|\bwho('s| is| are) (the |its |their |his |her )?(current )?(vice )?"
                        r"(chairm[ae]n|chairwom[ae]n|chairpersons?|directors?|mayor|ministers?|president)\b"
                        r"|\bwhich (vice )?(chairman|chairwoman|chair|director|leader) ([\w'-]+ ){0,6}signed\b")
# "đạt được" of results, not of purpose ("nhằm đạt được", "để đạt được")
_OUTCOME_VI = re.compile(r"(?<!nham )(?<!muon )(?<!can )(?<!phai )(?<!de )(?<!se )\b(da )?dat duoc\b"
                         # an award won is a result ("nhận giải thưởng … năm nào?")
                         r"|\b(nhan|dat|gianh|duoc trao) (duoc )?giai( thuong)?\b"
                         r"|\bket qua\b.*\b(dat duoc|ra sao|the nao|nhu the nao|cho thay)\b|\bda dat\b"
                         r"|\bda (lam|thuc hien|giai quyet|chi|tieu|trien khai|hoan thanh|xay dung) (duoc|xong|het)\b"
                         # "đã tổ chức được những sự kiện nào": what was done, not what "đã được giao"
                         r"|\bda (?!duoc\b)\w+ \w+ duoc (nhung|bao nhieu|may|gi|cac)\b"
                         r"|\b(hoan thanh|xong) chua\b|\bthanh tuu (dat|da)\b|\bthuc te (da|dat)\b"
                         # "sơ kết 2020 thì đạt kết quả gì?" (not "cần đạt kết quả gì", what is to be reached)
                         r"|(?<!nham )(?<!muon )(?<!can )(?<!phai )(?<!de )(?<!se )\bdat (duoc )?(ket qua|thanh tuu"
                         r"|thanh tich) (gi|nao|ra sao|the nao)\b"
                         r"|\b(co )?ket qua( gi| nao)? chua\b"
                         r"|\b(toi gio|den nay|den gio|cho den nay)\b.*\b(lam|dat|thuc hien|hoan thanh) duoc\b"
                         # whether it worked: "kế hoạch này có hiệu quả không hay chỉ trên giấy?"
                         r"|\b(co|that su|thuc su) hieu qua (khong|ko|chua)\b|\bchi (nam )?tren giay\b"
                         # "có vượt chỉ tiêu không", "hoàn thành chỉ tiêu chưa": a target met is a result (folded,
                         # "đạt" is also "đặt", to set one)
                         r"|\b(vuot|hoan thanh) (cac )?chi tieu\b.*\b(khong|ko|chua)\b")
# what someone means to reach, a few words before "đạt được": "muốn cùng cả khu vực đạt được cái gì?"
_PURPOSE_VI = re.compile(r"\b(nham|muon|mong|huong toi|de)( \w+){0,4} dat duoc\b")
# what is to be reached, by a modal before a passive: "by which year are the goals supposed to be achieved?"
_PURPOSE_EN = re.compile(r"\b(to|will|shall|should|must|can|could|would) ([\w'-]+ ){0,6}be "
                         r"(achieved|reached|met|attained|accomplished|completed|fulfilled)\b")
_OUTCOME_EN = re.compile(r"\b(won|wins?|received|receives?|awarded|given) (an? |the |any )?([\w-]+ ){0,4}"
                         r"(awards?|prizes?)\b|"
                         r"\b(results? (of|achieved)|what results|results did|findings|achieved|accomplish\w*|so far|"
                         r"to date|"
                         r"has been (spent|done|"
                         r"achieved|completed)|have been (spent|done|achieved|completed)|were the results|what came of"
                         r"|outcomes?|been implemented|turn(ed)? out|(meet|met|reach(ed)?|hit) (its|their|the) targets?"
                         r"|targets? (were |been )?(met|reached)"
                         r"|(been|were|was) (met|reached|attained|fulfilled)( yet)?)\b"
                         r"|\bdid ([\w'-]+ ){1,4}(actually )?(take place|happen)\b|\bdid ([\w'-]+ ){1,4}actually\b"
                         r"|\b(had|has|have) ([\w'-]+ ){1,3}(actually )?(reached|achieved|attained|become)\b"
                         r"|\b(had|has|have) ([\w'-]+ ){0,4}already\b"  # "which NGOs have already pledged aid?"
                         # an event told as past: "when was the review conference held?", "how many delegations
                         # did the department receive in 2019?"
                         r"|\b(was|were) ([\w'-]+ ){0,5}(held|organi[sz]ed|conducted|hosted)\b"
                         r"|\bdid ([\w'-]+ ){1,6}(receive|host|hold|welcome|sign|spend|train)\b"
                         # "were those 2020 milestones actually met?"
                         r"|\b(were|was) ([\w'-]+ ){1,4}(actually |really |fully )?(met|reached|achieved|attained|"
                         r"fulfilled)\b"
                         r"|\bwhat did ([\w'-]+ ){1,8}(actually )?(find|show|conclude|reveal)\b")
# how well someone did: a plan assigns work, it ranks no one ("quận nào làm tốt nhất?")
_RANKING_VI = re.compile(r"\b(lam|thuc hien|trien khai|hoan thanh)( \w+){0,3} (tot|hieu qua|kem|cham|xuat sac) nhat\b"
                         r"|\b(tot|kem|xuat sac) nhat\b.*\b(quan|huyen|so|don vi|dia phuong) nao\b"
                         # "sở nào làm hiệu quả hơn, A hay B?": a comparison of how well, which a plan never makes
                         r"|\b(lam|lam viec|thuc hien|trien khai)( \w+){0,2} (tot|hieu qua|kem|cham|gioi|nhanh) hon\b"
                         # "nhiệm vụ nào quan trọng nhất?": the plan weighs none of its tasks against another
                         r"|\b(quan trong|then chot) nhat\b")
# "xếp hạng" (ranking), read with its marks: folded, it is also "xếp hàng" (a queue)
_RANKED_VI = re.compile(r"\bxếp hạng\b")
_RANKING_EN = re.compile(r"\b(best|worst|top)[- ]perform\w*|\bperformed (best|worst)\b|\bmost successful\b"
                         r"|\b(performs?|does|did|works?) (better|worse)\b|\bmore (effective|efficient)(ly)?\b"
                         r"|\b(ranking|ranked|ranks?)\b|\bdid (the )?(best|worst)\b"
                         r"|\bmost important\b|\bmatters? most\b")
# "making social insurance policy work better": to improve something, which a plan does set out
_IMPROVING_EN = re.compile(r"\bmak(e|es|ing)\b( [\w'-]+){1,8} work (better|more)\b")
# penalties: a plan sets none; a loaded decree with sanctions would answer them
_SANCTION_VI = re.compile(r"\bbi (xu ly|xu phat|phat|ky luat)\b|\bche tai\b|\bhinh thuc (xu ly|ky luat)\b"
                          r"|\bxu phat\b|\bphat (tien|bao nhieu)\b")
# "Fine." opening a turn agrees; a fine is one imposed or paid
_SANCTION_EN = re.compile(r"\b(penalt(y|ies)|sanction\w*|punish\w*|fined|fines)\b"
                          r"|\bwhat happens\b[^?]*\b(miss(es|ed)?|late|fails?|does not|doesn't)\b"
                          r"|\b(a|any|the|pay|paid|impose[sd]?|what) fine\b")
# who is exempt from paying or gets a reduction: a plan sets no such rule ("miễn" folded is also "miền", a region)
_EXEMPTION_VI = re.compile(r"\b(duoc )?mien (dong|phi|nop|giam|tru|thue)\b"
                           r"|\bai (duoc|khong phai|khoi) (dong|nop|tra)\b")
_EXEMPTION_EN = re.compile(r"\bexempt\w*\b|\bwaive[sd]?\b|\bfree of charge\b"
                           r"|\b(don't|do not|doesn't|does not|need not) (have to |need to )?pay\b")
_EXEMPTION_WORDS = ("mien phi", "mien dong", "mien giam", "mien tru", "mien nop")
_SANCTION_WORDS = ("xu phat", "ky luat", "che tai", "hinh thuc xu ly", "vi pham hanh chinh")
# a person's or an organisation's own procedure: papers to bring, how to register or apply
_CARDS = "bhyt|bao hiem|can cuoc|cccd|tam tru"  # the cards a citizen gets ("thẻ BHYT", "thẻ căn cước")
_PROCEDURE_VI = re.compile(r"\b(giay to|ho so)\b.*\b(gi|nao|nhung gi|o dau|cho ai)\b"
                           r"|\b(can|mang theo|chuan bi|nop|lam) (nhung |cac )?(giay to|ho so)\b"
                           r"|\bthu tuc (dang k[iy]|xin|cap|lam|gia han)\b"
                           r"|\b(lam|xin|cap|cap lai|gia han|dang k[iy]) (giay phep|ho chieu|can cuoc|visa|thi thuc|"
                           r"giay chung nhan)\b"
                           rf"|\b(lam|xin|cap|cap lai|gia han|dang k[iy]|mua) the ({_CARDS})\b"
                           # "thẻ BHYT cho cháu thì làm ở đâu, mất bao lâu?"
                           rf"|\bthe ({_CARDS})\b.*\b(lam|xin|cap|mua)\b.*"
                           r"\b(o dau|bao lau|the nao|nhu the nao)\b"
                           # "mua bhyt tự nguyện ở đâu, mất bn tiền 1 năm"
                           r"|\b(mua|dong) (the )?(bhyt|bao hiem)\b.*\b(o dau|bao nhieu|bao lau|the nao|nhu the nao)\b"
                           r"|\b(nop don|dang k[iy])\b.*\b(o dau|cho ai|the nao|nhu the nao|lien he)\b"
                           # "làm sao đăng ký đi xuất khẩu lao động", "rút BHXH 1 lần ở đâu": a citizen's own steps
                           r"|\b(lam sao|lam the nao|bang cach nao) (de )?(dang k[iy]|xin|nop don|rut)\b"
                           r"|\brut (bhxh|bao hiem xa hoi|bao hiem)( mot lan| 1 lan)?\b"
                           # a form to fill in ("mẫu báo cáo lấy ở đâu, có form sẵn không")
                           r"|\blam thu tuc\b.*\b(o dau|the nao|nhu the nao|bao nhieu|bao lau|gi)\b"
                           # "… thì ra đâu làm thủ tục": where first
                           r"|\b(o dau|ra dau|den dau|toi dau|cho nao|noi nao)\b.*\b(lam thu tuc|lam ho so|nop don|"
                           r"dang k[iy])\b"
                           r"|\b(bieu mau|mau bieu|mau bao cao|mau bc|form|template)\b.*"
                           r"\b(o dau|lay|tai ve|co san|san|nao|gui)\b"
                           r"|\bco (bieu mau|mau bieu|mau bao cao|mau bc|file mau|form|template)\b"
                           r"|\b(ai co|xin|can|gui) (cho )?(file|ban mem|file mau)\b")
_PROCEDURE_EN = re.compile(r"\bhow (do|does|can|could|should|would) "
                           r"(i|we|you|one|(my|our) \w+|(a|an) [\w'-]+( [\w'-]+)?) "
                           r"(register|apply|renew|extend|sign up|enrol)\b|\bhow to (register|apply|sign up|enrol)\b"
                           r"|\b(where|to whom|with whom) (do|does|can|could|should|would) "
                           r"(i|we|you|they|one|(my|our) \w+) (apply|register|sign up|enrol\w*|enroll\w*)\b"
                           # "the approval procedure for a foreign NGO project, how many working days"
                           r"|\b(approval|application|registration|licensing) (procedures?|process)\b"
                           r"|\bworking days\b|\bprocessing time\b"
                           # "Can my kids enrol in a public school …?": whether one may, which is the same steps
                           r"|\b(can|could|may) (i|we|(my|our) \w+) (register|apply|enrol\w*|enroll\w*|sign up)\b"
                           # the document as a file, as "xin file", "bản mềm" ask: "where can I download a PDF"
                           r"|\b(download\w*|pdfs?|soft copy|electronic copy|printed copy|hard copy)\b"
                           r"|\b(fees?|charges?) (for|to) (register|regist\w+|apply\w*|open\w*|obtain\w*|get\w*)\b"
                           r"|\b(obtain|get|buy|renew|extend) (a|an|my|our) ([\w-]+ ){0,2}(licen[cs]e|permit|visa|card|"
                           r"passport|certificate)\b|\b(documents|papers|paperwork|forms?)\b.*\b(required|needed|necessary)\b"
                           r"|\b(what|which) (documents|papers|paperwork)\b"
                           r"|\b(registration|application|licensing) (procedures?|process|requirements?)\b"
                           r"|\bprocedures? (for|to) (register|apply|obtain|open|set up)\b"
                           r"|\b(work|residence|labou?r) permits?\b|\bvisas?\b|\b(report )?(template|form) "
                           r"(for|of) (the )?reports?\b")
# "kế hoạch có hỗ trợ người thu nhập thấp mua thẻ BHYT không": a policy that helps people do it, not their steps
_SUPPORTED_TO = re.compile(r"\b(ho tro|giup|khuyen khich|tao dieu kien|uu tien)( cho)? "
                           r"(nguoi|dan|ho|cac|nhung|doi tuong)( \w+){0,5} (mua|dong|tham gia|lam|xin)\b"
                           r"(?!.*\b(o dau|the nao|nhu the nao|bao lau)\b)")
_PROCEDURE_WORDS = ("ho so", "giay to", "thanh phan ho so", "le phi", "bieu mau", "mau bao cao")
# what became of the document after it was issued: amended, replaced, still in force
_STATUS_VI = re.compile(r"\b(sua doi|thay the|bai bo|het hieu luc|con hieu luc|dieu chinh bo sung)\b.*\b(chua|khong)\b"
                        # "nghị quyết 15 hết hiệu lực năm nào?": when it lapsed
                        r"|\b(het hieu luc|bi bai bo|bi thay the)\b.*"
                        r"\b(nam nao|khi nao|bao gio|ngay nao|luc nao)\b"
                        r"|\b(den nay|cho den nay|hien nay)\b.*\b(da|chua)\b.*\b(sua|thay|bai bo)")
# a change someone proposes is a duty of the plan, not what became of it: "có kiến nghị sửa đổi gì không?"
_PROPOSED_VI = re.compile(r"\b(kien nghi|de xuat|de nghi)( \w+){0,2} (sua doi|thay the|dieu chinh|bai bo)\b"
                          # the rules a plan proposes to change, not the plan: "có sửa đổi mấy quy định … không"
                          r"|\b(sua doi|dieu chinh|bai bo|thay the)( \w+)? (cac |nhung |may )?(quy dinh|chinh sach|"
                          r"co che)\b|\b(sua doi|dieu chinh|bai bo|thay the)( \w+)? (cac|nhung) van ban\b")
_STATUS_EN = re.compile(r"\b(amended|replaced|repealed|superseded|still in force|still valid|revised since)\b"
                        # "Does this plan replace an earlier city plan?": what came before it is not in it
                        r"|\b(replaces?|replacing|supersedes?|superseding) (an? |the |any )?(earlier|previous|older|"
                        r"prior|old|former)\b"
                        # a body's own history: "when was that tourism department founded?"
                        r"|\bwhen was (the|that|this) ([\w'-]+ ){0,4}(department|agency|office|committee|body) "
                        r"(founded|established|created|set up)\b")
# folded, "ký" (signed) is also the "kỳ" of a period ("cuối kỳ", "giữa kỳ", "định kỳ", "nhiệm kỳ")
_IDENTITY_VI = re.compile(r"\b(so hieu|so ky hieu|ky hieu)\b|\b(ban hanh|(?<!cuoi )(?<!giua )(?<!dinh )(?<!nhiem )"
                          r"(?<!hoc )(?<!thoi )(?<!chu )ky|phat hanh)( vao)? (ngay|thang|nam)"
                          r"( thang| nam)* (nao|bao nhieu|may)\b|\bngay (ban hanh|ky)\b"
                          r"|\b(ke hoach|van ban)( nay)? so (may|bao nhieu)\b")
_IDENTITY_EN = re.compile(r"\b(number|date) of (this|the) ([\w-]+ ){0,3}(plan|document)\b"
                          r"|\b(issue|issuing|signing|adoption) date\b"
                          r"|\bdate of (issue|signing|adoption)\b|\b(when|what date|which date|what day) (was|is) "
                          r"(the|this) ([\w-]+ ){0,3}(plan|document) (issued|signed|adopted|approved|dated)\b"
                          r"|\b(plan|reference|document) number\b"
                          r"|\b(what|which) date was (it|this|the plan) (signed|issued|adopted)\b")
# an opinion asked of the bot: "theo bạn có khả thi không?", "do you think it will work?"
# ("theo bạn," and "theo bạn kế hoạch …", never "theo chỉ tiêu" or "theo Ban Chỉ đạo")
_OPINION_VI = re.compile(r"\btheo (ban|anh|chi|em|bot|ad|admin)(\s*,| thi\b| (ke hoach|kh|viec|cai|chuyen|nhiem vu)\b)"
                         r"|\by kien (cua ban|rieng)\b|\bkha thi\b"
                         r"|\b(ban|anh|chi) (nghi|thay|danh gia) (sao|the nao|gi|co)\b")
_OPINION_EN = re.compile(r"\bin your (view|opinion)\b|\byour (opinion|view)\b|\bwould you recommend\b|\bfeasible\b"
                         r"|\bis it worth\b|\b(do|what do) you (think|believe|reckon)( of| about)? "
                         r"(it|the plan|this plan|they|that)\b")
# a question framed as the bot's opinion from its first words ("Theo bạn kế hoạch này có hiệu quả không, nên sửa
# điểm nào …?"): every part of it asks for a judgement
_OPINION_FRAME = re.compile(r"^(theo (ban|bot|ad|admin)(\s*,| thi\b| (ke hoach|kh|viec|cai|chuyen|nhiem vu)\b)"
                            r"|(ban|bot) (nghi|thay|danh gia)\b|in your (view|opinion)\b"
                            r"|(what )?do you (think|reckon|believe)\b)")


def opinion_framed(q: Question) -> bool:
    return bool(_OPINION_FRAME.search(q.cues))


# the pillar a plan serves is in its own title ("Which ASEAN pillar is this plan about?"); ASEAN's pillars
# in general are not
_PILLAR = re.compile(r"\b(pillars?|tru cot)\b")
_PLAN = re.compile(r"\b(plan|ke hoach)\b")


def plans_pillar(q: Question) -> bool:
    return bool(_PILLAR.search(q.cues) and _PLAN.search(q.cues))
# ASEAN itself, not the city's plan for it: its members and their number, joining it, its founding, summits,
# secretariat and pillars ("ASEAN có mấy nước thành viên?", "Which ten countries are members of ASEAN?")
_ASEAN_ITSELF_VI = re.compile(r"\basean\b[^?.]{0,40}\b(co|gom) (bao nhieu|may) (nuoc|quoc gia|thanh vien)\b"
                              # "với mấy nước ASEAN" is some of them, a count only as the thing asked
                              r"|(?<!voi )(?<!cung )(?<!giua )\b(bao nhieu|may) (nuoc|quoc gia)\b[^?.]{0,20}\basean\b"
                              r"|\b(nuoc|quoc gia) (asean )?nao\b[^?.]{0,20}\b(la thanh vien|thuoc|cua) asean\b"
                              r"|\b(nuoc|quoc gia) asean nao\b|\bgia nhap asean\b"
                              r"|\basean (duoc )?(thanh lap|ra doi|ra mat|hinh thanh)\b"
                              r"|\bhoi nghi cap cao asean\b|\b(ban |tong )?thu ky asean\b|\btru cot\b")
_ASEAN_ITSELF_EN = re.compile(r"\bhow many (member )?(states|countries|nations|members)\b[^?]{0,30}\basean\b"
                              r"|\basean\b[^?]{0,30}\bhow many (member|countries|states|nations)\b"
                              r"|\b(which|what) (ten |10 )?(countries|nations|member states)\b[^?]{0,20}\bin asean\b"
                              r"|\b(countries|nations|states)\b[^?]{0,20}\b(are members? of|belong to|make up|form) "
                              r"asean\b"
                              r"|\bwhich asean (countries|nations|member states)\b"
                              r"|\b(join|joined|founded|established|formed)\b[^?]{0,20}\basean\b|\bpillars?\b"
                              # "was the ASEAN Socio-Cultural Community formally established?"
                              r"|\b(was|were) ([\w'-]+ ){0,2}asean\b[^?]{0,40}\b(founded|established|formed|created|"
                              r"launched)\b"
                              r"|\bwhen (was|were|did) ([\w'-]+ ){0,2}asean\b[^?]{0,40}\b(launched|founded|established|"
                              r"formed|created|born|start(ed)?)\b"
                              r"|\basean summits?\b|\basean secretar(iat|y.general)\b"
                              # the ASCC Blueprint: ASEAN's own document, adopted by its leaders
                              r"|\bblueprint\b[^?]{0,30}\b(adopted|signed|approved|issued)\b")
# the member states by name: a document that lists them would answer the questions above
_MEMBER_STATES = ("thai lan", "indonesia", "singapore", "malaysia", "philippines", "campuchia", "myanmar", "brunei")
# a visit by foreign leaders or delegations ("năm nay có đoàn lãnh đạo nước nào sang thăm?"): an event of its
# day, which a plan does not list
_VISIT_VI = re.compile(r"\b(lanh dao|nguyen thu|doan)( \w+){0,3} (nuoc|quoc gia) nao\b.*\b(sang|den|toi|ghe) "
                       r"(tham|lam viec)\b")
_VISIT_EN = re.compile(r"\b(which|what) ([\w-]+ ){0,2}(leaders|dignitaries|delegations?|heads of state)\b"
                       r"[^?]{0,40}\b(visit\w*|coming|come|arriv\w*)\b")
# whether or when an event is held this year ("năm nay thành phố có tổ chức lễ hội … không?"): a plan of 2016 does
# not list this year's events ("mấy năm nay", "15 năm nay" are "for years"; "năm nay 72 tuổi" an age)
_THIS_YEAR_VI = re.compile(r"(?<!\bmay )(?<!\d )\bnam nay\b(?! \d)")
_THIS_YEAR_EN = re.compile(r"\bthis year\b")
_EVENT_HELD_VI = re.compile(r"\b(to chuc|dien ra|dang cai|khai mac)\b")
_EVENT_HELD_EN = re.compile(r"\b(held|hold|holds|holding|take place|taking place|host\w*|organi[sz]\w*)\b")
_TODAY_VI = re.compile(r"\b(hom nay|ngay mai|hom qua|bay gio|luc nay|toi nay|sang nay)\b")
_TODAY_EN = re.compile(r"\b(today|tomorrow|yesterday|right now|tonight|this morning)\b")


# "Who heads it?", "ai đứng đầu sở đó?": the head of a body is a person (of a task, "who heads it" asks for bodies)
_HEADS_IT_EN = re.compile(r"\bwho (currently |now )?(heads|chairs) (it|them)\b")
_HEADS_BODY_VI = re.compile(r"\b(ai|nguoi nao) (dang |hien )?(dung dau|lam thu truong|lanh dao) (cac |cai )?"
                            r"(so|ban|hoi|mat tran|uy ban|co quan|don vi|nganh)\b")


def _heads_the_body(q: Question, ctx: Context) -> bool:
    if q.lang == "vi":
        return bool(_HEADS_BODY_VI.search(q.cues))
    last = ctx.session
    about_body = last is not None and bool(last.agencies) and (last.intent == "agency_tasks" or not last.task_section)
    return bool(_HEADS_IT_EN.search(q.cues)) and about_body


class Unknowable:
    intent = "out_of_scope"

    def recognises(self, q: Question, ctx: Context) -> bool:
        return bool(self._why(q, ctx))

    def answer(self, q: Question, ctx: Context) -> Draft | None:
        why = self._why(q, ctx)
        if why == "identity-known":
            doc = ctx.snap.documents[0]
            meta = doc.meta
            said = ", ".join(x for x in (meta.number and f"số {meta.number}", meta.date and f"ngày {meta.date}") if x)
            quote = doc.section("preamble").blocks[0].text if doc.section("preamble") else meta.title
            return Draft("overview", (f"{meta.short_title}: {said}.", f"«{quote}»"),
                         (ctx.cite(doc, "preamble", quote),), 0.9)
        return Draft(self.intent, (), (), 0.9, refusal=why)

    def _why(self, q: Question, ctx: Context) -> str:
        if (q.matches(_PERSON_VI, _PERSON_EN) or _heads_the_body(q, ctx)) and not _signature_names(ctx):
            return "person"
        if _asks_outcome(q):
            return "outcome"
        if _missing_section(q, ctx):
            return "section"
        if (q.matches(_RANKING_VI, _RANKING_EN) and not _IMPROVING_EN.search(q.cues)) \
                or (q.lang == "vi" and _RANKED_VI.search(q.text.lower())):
            return "ranking"
        if q.matches(_SANCTION_VI, _SANCTION_EN) and not _documents_say(ctx, _SANCTION_WORDS):
            return "sanction"
        if q.matches(_EXEMPTION_VI, _EXEMPTION_EN) and not _documents_say(ctx, _EXEMPTION_WORDS):
            return "exemption"
        if q.matches(_PROCEDURE_VI, _PROCEDURE_EN) and not _documents_say(ctx, _PROCEDURE_WORDS) \
                and not _SUPPORTED_TO.search(q.cues):
            return "procedure"
        if q.matches(_STATUS_VI, _STATUS_EN) and not _PROPOSED_VI.search(q.cues):
            return "status"
        if _inside_unloaded(q, ctx):
            return "unloaded"
        if _divides_shared_work(q, ctx):
            return "division"
        if q.matches(_OPINION_VI, _OPINION_EN):
            return "opinion"
        itself = re.search(r"\b(plan|document) itself\b|\bchinh (ke hoach|van ban) nay\b", q.cues)
        if q.matches(_IDENTITY_VI, _IDENTITY_EN) and (itself or not names_other_document(q)) \
                and not referred_back(q, ctx) and all(
                _issued_it(a, ctx) for a in q.agencies):  # "Kế hoạch của UBND thành phố ban hành ngày nào?"
            docs = ctx.snap.documents
            known = docs and (docs[0].meta.number or docs[0].meta.date) and not ctx.several_documents
            return "identity-known" if known else "identity"
        if q.matches(_ASEAN_ITSELF_VI, _ASEAN_ITSELF_EN) and not _documents_say(ctx, _MEMBER_STATES) \
                and not plans_pillar(q):
            return "asean"
        if q.matches(_TODAY_VI, _TODAY_EN) or q.matches(_VISIT_VI, _VISIT_EN) \
                or (q.matches(_THIS_YEAR_VI, _THIS_YEAR_EN) and q.matches(_EVENT_HELD_VI, _EVENT_HELD_EN)):
            return "now"
        if _beyond_documents(q, ctx):
            return "future"
        if q.focus.now and (q.focus.amount or q.matches(_OUTCOME_VI, _OUTCOME_EN)):
            return "now"
        return ""


# a part named by its Roman number ("Mục VII", "Part VIII")
_PART_NAMED = re.compile(r"\b(muc|phan|part|chuong|chapter)\s+([ivxl]{1,5})\b")
# an article by its number ("Điều 5", "Article 5"): legal documents number theirs, as "Dieu-5"
_ARTICLE_NAMED = re.compile(r"\b(dieu|article)\s+(\d{1,3})\b")


def _missing_section(q: Question, ctx: Context) -> bool:
    """"Mục VII nói gì?", "nhiệm vụ số 12 là gì?", "Mục II điểm 12 …", "What does task 14 cover?", "Điều 5 …":
    a part, task, item or article by a number no loaded document has (another document's articles are that
    document's: not these)."""
    docs = ctx.snap.documents
    if not docs or names_other_document(q):
        return False
    if q.section:  # "Mục II điểm 12"
        return all(d.section(q.section) is None for d in docs)
    m = _ARTICLE_NAMED.search(q.cues)
    if m and all(d.section(f"Dieu-{m.group(2)}") is None for d in docs):  # "Điều 5 KH này" (a plan has none)
        return True
    m = _PART_NAMED.search(q.cues)
    if m and not q.part and all(d.section(m.group(2).upper()) is None for d in docs):
        return True
    if q.task_number and ctx.explicit_task(q) is None:
        if q.focus.yes_no and not q.agencies and any(not re.fullmatch(r"[\d.]+|nhiem vu|nv|task", t)
                                                     for t in q.content_terms):
            return False  # "bình đẳng giới là nhiệm vụ 15 đúng không?": the subject's own task corrects it
        number = q.task_number.split(".")[0]
        return all(d.section(f"{q.part or 'II'}.{number}") is None for d in docs)
    return False


def _asks_outcome(q: Question) -> bool:
    """Results achieved; not a purpose: a few words before "đạt được" ("muốn … đạt được"), a modal before
    the passive ("supposed to be achieved", "will be met")."""
    if q.lang == "en":
        return bool(_OUTCOME_EN.search(_PURPOSE_EN.sub(" ", q.cues)))
    return bool(_OUTCOME_VI.search(_PURPOSE_VI.sub(" ", q.cues)))


def _issued_it(name: str, ctx: Context) -> bool:
    """Whether a body is the issuer of a loaded document ("Ủy ban nhân dân thành phố" of the plan)."""
    return any(d.meta.issuer and agency_key(d.meta.issuer).startswith(agency_key(name)) for d in ctx.snap.documents)


# what only a cited document's own text says: when it took effect, how many articles it has, the targets it set,
# when a law was passed ("Quyết định đó có hiệu lực từ ngày nào, gồm bao nhiêu điều?")
_INSIDE_VI = re.compile(r"\bco hieu luc\b|\bhieu luc (thi hanh|tu)\b|\b(bao nhieu|may) (dieu|chuong)\b"
                        r"|\b(duoc )?thong qua (vao )?(nam|ngay|khi|luc) (nao|bao gio|may)\b"
                        r"|\bdat ra (nhung )?(chi tieu|muc tieu) (gi|nao|cu the)\b")
_INSIDE_EN = re.compile(r"\b(come|comes|came|coming) into (force|effect)\b|\beffective (date|from|since)\b"
                        r"|\btakes? effect\b|\bhow many (articles|chapters)\b"
                        r"|\b(targets?|goals?|objectives?)\b.*\bdid (that|the|this|it) ?(resolution|decision|law)? "
                        r"set\b"
                        r"|\bdid the national assembly (pass|adopt)\b|\bnumber of the ([\w']+ ){0,3}law\b")


# how bodies named together split their shared work: a plan that lists them together divides nothing
_DIVISION_VI = re.compile(r"\bchia (nhau|ra|phan)\b|\bphan (chia|cong)( \w+){0,2} (giua|cho)\b"
                          r"|\bai lam (phan|viec) (gi|nao)\b")
_DIVISION_EN = re.compile(r"\b(split|divide|share out|apportion)\b( [\w'-]+){0,6} (between|among)\b"
                          r"|\bdivision of (labou?r|work|responsibilit\w+)\b|\bwho does which part\b")


def _divides_shared_work(q: Question, ctx: Context) -> bool:
    return len(q.agencies) >= 2 and q.matches(_DIVISION_VI, _DIVISION_EN) \
        and not _documents_say(ctx, ("phan cong", "phan chia", "chia nhau"))


def _inside_unloaded(q: Question, ctx: Context) -> bool:
    """A question about what a cited document's own text says, when only the plan that cites it is loaded."""
    if ctx.several_documents or not q.matches(_INSIDE_VI, _INSIDE_EN):
        return False
    return names_other_document(q) or (ctx.session is not None and ctx.session.intent == "reference"
                                       and (q.refers_to_task or referred_back(q, ctx)))


def names_other_document(q: Question) -> bool:
    """"Nghị quyết 21 ban hành ngày nào?", "kế hoạch hành động … ban hành năm nào?" ask about another
    document, not about this one."""
    return bool(re.search(r"\b(nghi quyet|quyet dinh|nghi dinh|chi thi|thong tu|luat|resolution|decision|decree|law|"
                          r"ke hoach hanh dong|de an|action plans?|scheme)\b"
                          r"|\d+[- /](nq|qd|nd|tt)\b", q.cues))


def _signature_names(ctx: Context) -> bool:
    """Whether any document's closing carries a signer's name (a line after "TM."/"KT." and a title)."""
    for doc in ctx.snap.documents:
        closing = doc.section("closing")
        if closing is None:
            continue
        texts = [b.text for b in closing.blocks]
        for i, t in enumerate(texts):
            if re.match(r"^(TM\.|KT\.|T/M)", t) and i + 2 < len(texts):
                return True
    return False


def _documents_say(ctx: Context, phrases: tuple[str, ...]) -> bool:
    """Whether any loaded document uses one of these folded phrases."""
    lex = ctx.snap.lexicon
    return any(lex.frequency(p) for p in phrases)


_AFTER_YEAR = re.compile(r"\b(sau|het|qua|after|beyond|post)( nam| the year| year)? ((?:19|20)\d\d)\b")
# "after the plan ends in 2025", "sau khi kế hoạch kết thúc năm 2025": past the year it ends
_AFTER_END = re.compile(r"\b(?:after|sau khi|sau)\b(?: [\w']+){0,4}? (?:ends?|ended|finish(?:es|ed)?|expires?|ket thuc|"
                        r"het han)(?: in| nam| vao nam)? ((?:19|20)\d\d)\b")


# what may follow a year offered for confirmation ("… năm 2030 phải không?", "… in 2030, right?")
_OFFERED_TAIL = r"(?: (?:phai|dung|co phai) (?:khong|ko|k)| (?:a|ha|nhi|chu)| ,? (?:right|correct|is it|isn't it))?"


def _beyond_documents(q: Question, ctx: Context) -> bool:
    """A year after the documents' last milestone that they never mention ("kế hoạch giai đoạn 2026-2030"):
    what happens then is not in them."""
    milestones = [int(y) for t in ctx.facts.times if t.kind == "milestone"
                  for y in re.findall(r"\b(?:19|20)\d\d\b", t.when)]
    if not milestones:
        return False
    # "sau năm 2025", "hết năm 2025", "after 2025": the years past the one named
    past = {m.group(3) for m in _AFTER_YEAR.finditer(q.cues)} | {m.group(1) for m in _AFTER_END.finditer(q.cues)}
    later = [y for y in q.years if int(y) + (y in past) > max(milestones)]
    if not later or (len(q.alternatives) == 2 and len(later) < len(q.years)):
        return False  # "đánh giá cuối kỳ là năm 2025 hay 2030?": which of two, one of them the documents' own
    if (q.focus.time or q.focus.yes_no) and len(q.years) == 1 and len(later) == 1 \
            and re.search(rf"\b{later[0]}{_OFFERED_TAIL}\W*$", q.cues):
        return False  # "When is the final evaluation held — in 2030?": a year offered last; the documents' corrects it
    # a later year the documents name in passing ("du lịch … tầm nhìn 2030") answers only where that
    # passage is about what is asked: the question's own words or the field of the body it names
    asked = [t for t in q.content_terms if not t.isdigit() and t not in later]
    asked += [" ".join(w for w in syllables(a) if w not in ("so", "va")) for a in q.agencies]
    passages = [padded_syllables(b.text) for d in ctx.snap.documents for sec in d.sections for b in sec.blocks]
    return any(not any((f" sau {y} " in p or f" sau nam {y} " in p) if y in past else
                       (f" {y} " in p and any(f" {t} " in p for t in asked)) for p in passages) for y in later)
