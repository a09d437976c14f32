"""Code job titles to CSCO-2022 occupations (职业分类大典 2022).

A title is cleaned of pay, perks, places and company names, turned into character n-gram
TF-IDF, and scored by linear SVMs learned from catalogue aliases and labelled titles: one
over 小类, one over 中类, and one per 小类 over its 细类. ``matching/docs/occupations.md``
describes the method and its measured accuracy.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import KFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from matching.evaluate import accuracy_by_level, code_stem
from matching.text import normalize

if TYPE_CHECKING:
    from matching.occupation_encoder import OccupationEncoder

DISTRICTS_CSV = Path(__file__).resolve().parent.parent / "seed" / "reference" / "districts.csv"


@dataclass(frozen=True)
class Occupation:
    """One node of the CSCO-2022 classification."""

    code: str
    level: int
    name: str
    definition: str
    tasks: str
    aliases: tuple[str, ...]


_MARKER = re.compile(r"(?<=[\u4e00-\u9fff])([sl](?:/[sl])?)\s*$", re.IGNORECASE)


def split_marker(name: str) -> tuple[str, bool, bool]:
    """A CSCO name without its trailing marker, and whether it marks a digital (S) and a green (L) occupation.

    ``大地测量工程技术人员L/S`` → (``大地测量工程技术人员``, True, True).
    """
    name = name.strip()
    match = _MARKER.search(name)
    if match is None:
        return name, False, False
    marks = match.group(1).upper()
    return name[: match.start()], "S" in marks, "L" in marks


def strip_marker(name: str) -> str:
    """Drop the trailing S / L (digital / green occupation) marker from a CSCO name."""
    return split_marker(normalize(name))[0]


def load_catalogue(path: str | Path) -> list[Occupation]:
    """Read the CSCO-2022 table (``csco22.csv``) into occupation nodes."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    nodes = []
    for row in rows:
        name = strip_marker(row["name"])
        aliases = {strip_marker(a) for a in row["alias"].split(",")} - {"", name}
        nodes.append(
            Occupation(
                code=row["code"].strip(),
                level=int(row["level"]),
                name=name,
                definition=normalize(row["definition"]),
                tasks=normalize(row["tasks"]),
                aliases=tuple(sorted(aliases)),
            )
        )
    return nodes


def leaf_codes(codes: Iterable[str]) -> set[str]:
    """Codes with no children: the 细类, and the 小类, 中类 or 大类 that have none below them.

    The "other" groups (``2-08-99-00`` 其他教学人员, ``4-99-00-00``, ``8-00-00-00``) have no
    细类 but are codes that labelled titles and offices use, so they are leaves too.
    """
    codes = set(codes)
    parents = set()
    for code in codes:
        stem = code_stem(code)
        parents.update(stem[:end] for end in range(1, len(stem)) if stem[end] == "-")
    return {code for code in codes if code_stem(code) not in parents}


def leaf_nodes(catalogue: Sequence[Occupation]) -> list[Occupation]:
    """The leaf occupations of a catalogue in code order, one per code, deepest row first.

    The table lists a few codes twice (``4-12-04-02``, and ``2-03-01-00`` as 小类 and 细类).
    """
    leaves = leaf_codes(n.code for n in catalogue)
    chosen: dict[str, Occupation] = {}
    for n in sorted(catalogue, key=lambda n: -n.level):
        if n.code in leaves:
            chosen.setdefault(n.code, n)
    return sorted(chosen.values(), key=lambda n: n.code)


def _load_places() -> tuple[str, ...]:
    names = ["重庆市", "重庆", "渝"]
    with open(DISTRICTS_CSV, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            name = row["name"]
            names.append(name)
            short = re.sub(r"(自治县|区|县)$", "", name)
            if len(short) >= 2:
                names.append(short)
    return tuple(sorted(set(names), key=len, reverse=True))


_PLACES = _load_places()
_BRACKETS = re.compile(r"[(\[{【〔「『<《][^)\]}】〕」』>》]*[)\]}】〕」』>》]?")
_RECRUIT = re.compile(
    r"^.*?(?:诚聘|急聘|急招|招聘|直招|聘请|聘用|招收|招募|诚招)"
    r"(?!专员|经理|主管|总监|助理|顾问|官|师|员|hr|\s*$)"
)
_PAY = re.compile(
    r"(?:月入|月薪|年薪|底薪|日薪|时薪|薪资|薪水|工资|保底|综合|收入|提成|日结|周结|到手|税后)?"
    r"\d[\d.]*\s*(?:k|w|千|万|元|块|%)?"
    r"(?:\s*[-~～至到]\s*\d[\d.]*\s*(?:k|w|千|万|元|块|%)?)?"
    r"(?:\s*/\s*(?:月|天|日|h|小时|时|年)|每月|每天|一天|一月|以上|起|左右)?"
    r"(?=$|[^a-z0-9])"
)
_PAY_WORDS = re.compile(
    r"(?:月入|月薪|年薪|底薪|日薪|时薪|薪资|工资|提成|高薪|保底)(?:过万|上万|高|丰厚)?"
)
_PERKS = re.compile(
    "|".join(
        (
            r"包吃包住",
            r"包吃住",
            r"包食宿",
            r"包住",
            r"包吃",
            r"[买缴交]?[五六]险[一二]金",
            r"[买缴交]?[五六]险",
            r"无责任?",
            r"高提成",
            r"无试用期",
            r"过万",
            r"上万",
            r"买社保",
            r"社保",
            r"周末双休",
            r"双休",
            r"单休",
            r"长白班",
            r"不加班",
            r"无责底薪",
            r"可借支",
            r"时间自由安排?",
            r"经验不限",
            r"无经验可?",
            r"学历不限",
            r"带薪假期?",
            r"带薪年假",
            r"员工餐",
            r"年终奖",
            r"节日福利",
            r"免费培训",
            r"包培训",
            r"有培训",
            r"入职即?[买缴]",
            r"急聘",
            r"急招",
            r"直招",
            r"高薪",
            r"全职",
            r"日结",
            r"周结",
            r"月结",
            r"[\d一二三四五六七八九十]+名",
            r"[\d一二三四五六七八九十]+年以上(?:的)?(?:工作)?经验",
            r"有经验者?优先",
        )
    )
)
_PLACE = re.compile("|".join(map(re.escape, _PLACES)))
_SEPARATORS = re.compile(r"[,，;；:：|｜!！?？。、\-—_~～+＋·•…]+|\.{2,}")
_JUNK = re.compile(r"[^\u4e00-\u9fffa-z0-9/&+# ]")


def clean_title(title: str | None) -> str:
    """Strip pay, perks, places, company names, recruiting verbs and brackets from a title."""
    text = normalize(title)
    text = _BRACKETS.sub(" ", text)
    text = _RECRUIT.sub(" ", text)
    text = _PERKS.sub(" ", text)
    text = _PAY.sub(" ", text)
    text = _PAY_WORDS.sub(" ", text)
    text = _PLACE.sub(" ", text)
    parts = [p.strip() for p in _SEPARATORS.split(_JUNK.sub(" ", text))]
    parts = [p for p in parts if len(p) > 1 or re.fullmatch(r"[\u4e00-\u9fff]", p or "-")]
    return " ".join(" ".join(parts).split()).strip(" /")


def title_key(title: str | None) -> str:
    """The text a title is coded from: the cleaned title, or the normalised one when cleaning leaves nothing."""
    return clean_title(title) or normalize(title)


def _depth_code(code: str, leaves: set[str]) -> str:
    """Code without trailing ``-00`` parts unless it is itself a leaf."""
    return code if code in leaves else code_stem(code)


def _svm_scores(
    X: sparse.csr_matrix, y: np.ndarray, weight: np.ndarray, C: float, random_state: int
) -> tuple[np.ndarray, sparse.csr_matrix, np.ndarray]:
    """Fit a one-vs-rest linear SVM; return its classes, sparse weights and intercepts."""
    classes = np.unique(y)
    if len(classes) == 1:
        return classes, sparse.csr_matrix((X.shape[1], 1), dtype=np.float32), np.zeros(1)
    with warnings.catch_warnings():
        # A 小类 holds few rows and many 细类; scikit-learn then suspects a regression target.
        warnings.filterwarnings("ignore", "The number of unique classes", UserWarning)
        svm = LinearSVC(C=C, random_state=random_state).fit(X, y, sample_weight=weight)
    coef, intercept = svm.coef_, svm.intercept_
    if len(classes) == 2:
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    coef[np.abs(coef) < 1e-6] = 0.0
    return classes, sparse.csr_matrix(coef.T, dtype=np.float32), intercept.astype(np.float32)


class OccupationCoder(BaseEstimator):
    """Rank CSCO-2022 leaf occupations for job titles."""

    def __init__(
        self,
        catalogue: Sequence[Occupation] = (),
        *,
        ngram_max: int = 2,
        C: float = 1.0,
        alias_weight: float = 0.3,
        zhong_weight: float = 0.5,
        leaf_weight: float = 0.25,
        encoder_weight: float = 0.2,
        random_state: int = 0,
    ) -> None:
        self.catalogue = catalogue
        self.ngram_max = ngram_max
        self.C = C
        self.alias_weight = alias_weight
        self.zhong_weight = zhong_weight
        self.leaf_weight = leaf_weight
        self.encoder_weight = encoder_weight
        self.random_state = random_state

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        *,
        training_titles: Sequence[tuple[str, str]] | None = None,
        **params: int | float,
    ) -> OccupationCoder:
        """Build a coder from ``csco22.csv``, learning from labelled (title, code) pairs."""
        pairs = list(training_titles or [])
        coder = cls(load_catalogue(path), **params)  # type: ignore[arg-type]
        return coder.fit([t for t, _ in pairs], [c for _, c in pairs])

    def fit(self, titles: Sequence[str], codes: Sequence[str] | None = None) -> OccupationCoder:
        """Learn 小类, 中类 and within-小类 classifiers from aliases and labelled titles."""
        codes = list(codes) if codes is not None else []
        if len(codes) != len(titles):
            raise ValueError("titles and codes must have the same length")
        leaves = leaf_nodes(self.catalogue)
        if not leaves:
            raise ValueError("the catalogue has no leaf occupations")
        self.leaf_codes_ = np.array([n.code for n in leaves])
        xiao_keys = sorted({c[:7] for c in self.leaf_codes_})
        zhong_keys = sorted({c[:4] for c in self.leaf_codes_})
        self.leaf_xiao_ = np.searchsorted(xiao_keys, [c[:7] for c in self.leaf_codes_])
        self.leaf_zhong_ = np.searchsorted(zhong_keys, [c[:4] for c in self.leaf_codes_])

        rows = self.training_rows(titles, codes)
        leaf_index = {c: i for i, c in enumerate(self.leaf_codes_)}
        xiao_index = {k: i for i, k in enumerate(xiao_keys)}
        zhong_index = {k: i for i, k in enumerate(zhong_keys)}
        y_leaf = np.array([leaf_index.get(c, -1) for _, c, _ in rows], dtype=int)
        y_xiao = np.array(
            [xiao_index.get(c[:7], -1) if len(c) >= 7 else -1 for _, c, _ in rows], dtype=int
        )
        y_zhong = np.array([zhong_index.get(c[:4], -1) for _, c, _ in rows], dtype=int)
        weight = np.array([w for _, _, w in rows], dtype=np.float64)
        texts = [t for t, _, _ in rows]
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(1, self.ngram_max),
            sublinear_tf=True,
            dtype=np.float32,
        )
        X = self.vectorizer_.fit_transform(texts).tocsr()

        def level_model(y: np.ndarray, size: int) -> tuple[sparse.csr_matrix, np.ndarray]:
            rows = y >= 0
            classes, coef, intercept = _svm_scores(
                X[rows], y[rows], weight[rows], self.C, self.random_state
            )
            scatter = sparse.csr_matrix(
                (np.ones(len(classes), np.float32), (np.arange(len(classes)), classes)),
                shape=(len(classes), size),
            )
            bias = np.full(size, -2.0, dtype=np.float32)
            bias[classes] = intercept
            return (coef @ scatter).tocsr(), bias

        self.xiao_coef_, self.xiao_bias_ = level_model(y_xiao, len(xiao_keys))
        self.zhong_coef_, self.zhong_bias_ = level_model(y_zhong, len(zhong_keys))
        # Within each 小类 a separate SVM separates its 细类, trained only on that 小类's rows.
        blocks, bias = [], np.zeros(len(leaves), dtype=np.float32)
        for x in range(len(xiao_keys)):
            members = np.flatnonzero(self.leaf_xiao_ == x)
            rows = np.flatnonzero((y_xiao == x) & (y_leaf >= 0))
            if len(members) < 2 or len(np.unique(y_leaf[rows])) < 2:
                continue
            classes, coef, intercept = _svm_scores(
                X[rows], y_leaf[rows], weight[rows], self.C, self.random_state
            )
            blocks.append((coef.tocoo(), classes))
            bias[classes] = intercept
        rows_, cols_, vals_ = [], [], []
        for coo, classes in blocks:
            rows_.append(coo.row)
            cols_.append(classes[coo.col])
            vals_.append(coo.data)
        self.leaf_coef_ = sparse.csr_matrix(
            (
                np.concatenate(vals_) if vals_ else np.zeros(0, np.float32),
                (
                    np.concatenate(rows_) if rows_ else np.zeros(0, int),
                    np.concatenate(cols_) if cols_ else np.zeros(0, int),
                ),
            ),
            shape=(X.shape[1], len(leaves)),
            dtype=np.float32,
        )
        self.leaf_bias_ = bias
        self.encoder_ = None
        return self

    def attach_encoder(self, encoder: OccupationEncoder | None) -> OccupationCoder:
        """Add ``encoder_weight`` × a fine-tuned encoder's log p(小类) to every leaf's score (None: stop).

        The encoder must have been trained over this coder's leaf occupations.
        """
        check_is_fitted(self, "vectorizer_")
        if encoder is not None and list(encoder.leaf_codes) != [str(c) for c in self.leaf_codes_]:
            raise ValueError("the encoder was trained over other leaf occupations")
        self.encoder_ = encoder
        return self

    def training_rows(
        self, titles: Sequence[str], codes: Sequence[str]
    ) -> list[tuple[str, str, float]]:
        """(text, code, weight) of every row the classifiers learn from (needs no fitting).

        Labelled titles carry the noisy wording postings use and count fully; catalogue
        names and aliases are clean but few, and count at ``alias_weight``. Aliases of
        groups above the leaves (教学人员: 地理教师…) teach the levels they name. A code is
        kept to the depth it has unless it is a leaf.
        """
        leaf_set = {n.code for n in leaf_nodes(self.catalogue)}
        rows = [
            (title_key(t), _depth_code(c.strip(), leaf_set), 1.0)
            for t, c in zip(titles, codes, strict=True)
            if c and c.strip()
        ]
        for n in self.catalogue:
            names = (n.name, *n.aliases) if n.code in leaf_set else n.aliases
            rows.extend((a, _depth_code(n.code, leaf_set), self.alias_weight) for a in names)
        return rows

    def _components(self, cleaned: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """小类, 中类 and within-小类 SVM scores of every leaf, per cleaned title."""
        Q = self.vectorizer_.transform(cleaned)
        xiao = (Q @ self.xiao_coef_).toarray() + self.xiao_bias_
        zhong = (Q @ self.zhong_coef_).toarray() + self.zhong_bias_
        leaf = (Q @ self.leaf_coef_).toarray() + self.leaf_bias_
        return xiao[:, self.leaf_xiao_], zhong[:, self.leaf_zhong_], leaf

    def _scores(self, cleaned: Sequence[str]) -> np.ndarray:
        """Score of every leaf per cleaned title."""
        xiao, zhong, leaf = self._components(cleaned)
        score = xiao + self.zhong_weight * zhong + self.leaf_weight * leaf
        if self.encoder_ is not None:
            score += self.encoder_weight * self.encoder_.log_probs(cleaned)[:, self.leaf_xiao_]
        return score

    def predict_topk(self, titles: Sequence[str], k: int = 5) -> list[list[tuple[str, float]]]:
        """Return the k most likely leaf codes per title with their scores, best first."""
        check_is_fitted(self, "vectorizer_")
        cleaned = [title_key(t) for t in titles]
        unique, inverse = np.unique(np.array(cleaned, dtype=object), return_inverse=True)
        if len(unique) == 0:
            return []
        score = self._scores(list(unique))
        k = min(k, score.shape[1])
        top = np.argpartition(-score, k - 1, axis=1)[:, :k]
        top_score = np.take_along_axis(score, top, axis=1)
        order = np.argsort(-top_score, axis=1, kind="stable")
        top, top_score = (
            np.take_along_axis(top, order, axis=1),
            np.take_along_axis(top_score, order, axis=1),
        )
        per_unique = [
            [(str(self.leaf_codes_[c]), float(s)) for c, s in zip(cs, ss, strict=True)]
            for cs, ss in zip(top, top_score, strict=True)
        ]
        return [list(per_unique[j]) for j in inverse.ravel()]

    def predict(self, titles: Sequence[str]) -> list[str]:
        """Return the most likely leaf code per title."""
        return [top[0][0] for top in self.predict_topk(titles, k=1)]


class NearestAliasCoder(BaseEstimator):
    """Baseline: the code of the catalogue name or alias nearest by char n-gram TF-IDF."""

    def __init__(self, catalogue: Sequence[Occupation] = ()) -> None:
        self.catalogue = catalogue

    def fit(
        self, titles: Sequence[str] = (), codes: Sequence[str] | None = None
    ) -> NearestAliasCoder:
        """Index every leaf name and alias; labelled titles are ignored; return self."""
        texts, owners = [], []
        for n in leaf_nodes(self.catalogue):
            for a in (n.name, *n.aliases):
                texts.append(a)
                owners.append(n.code)
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True
        )
        self.alias_X_ = self.vectorizer_.fit_transform(texts).T.tocsr()
        self.owners_ = np.array(owners)
        return self

    def predict(self, titles: Sequence[str]) -> list[str]:
        """Return the code of the nearest name or alias per title."""
        check_is_fitted(self, "vectorizer_")
        S = (self.vectorizer_.transform([normalize(t) for t in titles]) @ self.alias_X_).toarray()
        return [str(c) for c in self.owners_[S.argmax(axis=1)]]


def read_testcases(path: str | Path) -> tuple[list[str], list[str]]:
    """Read labelled titles (``job_name``, ``expected_code``) from ``testcases.csv``."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["job_name"] for r in rows], [(r["expected_code"] or "").strip() for r in rows]


def cross_validate(
    csco_path: str | Path,
    testcases_path: str | Path,
    folds: int = 5,
    random_state: int = 0,
    train_fraction: float = 1.0,
    encoder: dict[str, int | float] | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    **params: int | float,
) -> dict[str, object]:
    """Measure the coder and the nearest-alias baseline with k-fold cross-validation.

    With ``train_fraction`` below 1 each fold's coder learns from that share of its
    training folds only (a random subset), and is tested on the same held-out fold: the
    points of a learning curve. Returns accuracy by level for both (``accuracy``,
    ``baseline_accuracy``), the out-of-fold predicted code of every row (``predicted``,
    ``baseline_predicted``) and the number of titles each coder learned from
    (``training_titles``). With ``encoder`` (settings of ``OccupationEncoder``, ``{}`` for
    the defaults) each fold also fine-tunes an encoder on the coder's training rows and
    attaches it (``accuracy`` is then the blend's, ``without_encoder_accuracy`` the same
    coders' alone); ``progress`` wraps each fold's training batches.
    """
    if not 0 < train_fraction <= 1:
        raise ValueError("train_fraction must be in (0, 1]")
    catalogue = load_catalogue(csco_path)
    titles, codes = read_testcases(testcases_path)
    predicted = [""] * len(titles)
    without_encoder = [""] * len(titles)
    splitter = KFold(n_splits=folds, shuffle=True, random_state=random_state)
    rng = np.random.default_rng(random_state)
    for train, test in splitter.split(titles):
        if train_fraction < 1:
            train = np.sort(rng.choice(train, round(len(train) * train_fraction), replace=False))
        train_titles, train_codes = [titles[i] for i in train], [codes[i] for i in train]
        test_titles = [titles[i] for i in test]
        coder = OccupationCoder(catalogue, random_state=random_state, **params)  # type: ignore[arg-type]
        coder.fit(train_titles, train_codes)
        if encoder is not None:
            from matching.occupation_encoder import train_encoder

            for i, code in zip(test, coder.predict(test_titles), strict=True):
                without_encoder[i] = code
            coder.attach_encoder(
                train_encoder(coder, train_titles, train_codes, progress=progress, **encoder)
            )
        for i, code in zip(test, coder.predict(test_titles), strict=True):
            predicted[i] = code
    baseline = NearestAliasCoder(catalogue).fit().predict(titles)
    result: dict[str, object] = {
        "accuracy": accuracy_by_level(predicted, codes),
        "baseline_accuracy": accuracy_by_level(baseline, codes),
        "predicted": predicted,
        "baseline_predicted": baseline,
        "expected": codes,
        "training_titles": len(train),
    }
    if encoder is not None:
        result["without_encoder_accuracy"] = accuracy_by_level(without_encoder, codes)
    return result
