"""Code job titles to CSCO-2022 occupations (职业分类大典 2022).

A title is cleaned of pay, perks, places and company names, then matched against the
catalogue with character n-gram TF-IDF, re-scored on a short candidate list with rapidfuzz
and nearest labelled titles, and ranked by a logistic regression learned from labelled
titles. ``matching/docs/occupations.md`` describes the method and its measured accuracy.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from matching.evaluate import accuracy_by_level
from matching.text import normalize

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


_MARKER = re.compile(r"(?<=[\u4e00-\u9fff])(?:[sl](?:/[sl])?)$")


def strip_marker(name: str) -> str:
    """Drop the trailing S / L (digital / green occupation) marker from a CSCO name."""
    return _MARKER.sub("", normalize(name))


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


def _depth_code(code: str, leaves: set[str]) -> str:
    """Code without trailing ``-00`` parts unless it is itself a leaf."""
    if code in leaves:
        return code
    while code.endswith("-00"):
        code = code[:-3]
    return code


def _one_hot(groups: np.ndarray, size: int) -> sparse.csr_matrix:
    """Sparse indicator matrix of group membership; negative groups are left out."""
    rows = np.flatnonzero(groups >= 0)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, groups[rows])), shape=(len(groups), size))


def _nb_log_prob(counts: sparse.spmatrix | np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """Smoothed multinomial naive Bayes log-probabilities of features per class."""
    dense = np.asarray(counts.todense() if sparse.issparse(counts) else counts, dtype=np.float32)
    dense += alpha
    return np.log(dense) - np.log(dense.sum(axis=1, keepdims=True))


def _softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    scores = np.asarray(scores, dtype=np.float32)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class OccupationCoder(BaseEstimator):
    """Rank CSCO-2022 leaf occupations for job titles."""

    def __init__(
        self,
        catalogue: Sequence[Occupation] = (),
        *,
        n_candidates: int = 30,
        n_train_candidates: int = 15,
        n_neighbours: int = 10,
        inner_folds: int = 5,
        ranker: str = "boosting",
        max_iter: int = 100,
        C: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.catalogue = catalogue
        self.n_candidates = n_candidates
        self.n_train_candidates = n_train_candidates
        self.n_neighbours = n_neighbours
        self.inner_folds = inner_folds
        self.ranker = ranker
        self.max_iter = max_iter
        self.C = C
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
        """Index the catalogue and learn from labelled titles; return self."""
        codes = list(codes) if codes is not None else []
        if len(codes) != len(titles):
            raise ValueError("titles and codes must have the same length")
        nodes = {n.code: n for n in self.catalogue}
        leaves = [n for n in self.catalogue if n.level == 4]
        if not leaves:
            raise ValueError("the catalogue has no leaf occupations")
        leaf_set = {n.code for n in leaves}
        self.leaf_codes_ = np.array([n.code for n in leaves])
        xiao_keys = sorted({c[:7] for c in self.leaf_codes_})
        zhong_keys = sorted({c[:4] for c in self.leaf_codes_})
        self.leaf_xiao_ = np.searchsorted(xiao_keys, [c[:7] for c in self.leaf_codes_])
        self.leaf_zhong_ = np.searchsorted(zhong_keys, [c[:4] for c in self.leaf_codes_])

        alias_text: list[str] = []
        alias_owner: list[int] = []
        for i, n in enumerate(leaves):
            for a in (n.name, *n.aliases):
                alias_text.append(a)
                alias_owner.append(i)
        self.alias_text_ = alias_text
        self.alias_start_ = np.searchsorted(alias_owner, np.arange(len(leaves)))

        def group_text(key: str) -> str:
            node = nodes.get(key + "-00" * ((10 - len(key)) // 3))
            return " ".join((node.name, *node.aliases)) if node else ""

        pairs = [
            (clean_title(t) or normalize(t), _depth_code(c.strip(), leaf_set))
            for t, c in zip(titles, codes, strict=True)
            if c and c.strip()
        ]
        train_titles = [t for t, _ in pairs]
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32
        )
        self.vectorizer_.fit(
            alias_text + [n.definition for n in leaves] + [n.tasks for n in leaves]
        )
        vec = self.vectorizer_.transform
        self.alias_X_ = vec(alias_text).T.tocsr()
        self.text_X_ = vec([n.definition + " " + n.tasks for n in leaves]).T.tocsr()
        self.xiao_X_ = vec([group_text(k) for k in xiao_keys]).T.tocsr()
        self.zhong_X_ = vec([group_text(k) for k in zhong_keys]).T.tocsr()

        train_codes = [c for _, c in pairs]
        leaf_index = {c: i for i, c in enumerate(self.leaf_codes_)}
        xiao_index = {k: i for i, k in enumerate(xiao_keys)}
        zhong_index = {k: i for i, k in enumerate(zhong_keys)}
        self.train_leaf_ = np.array([leaf_index.get(c, -1) for c in train_codes], dtype=int)
        self.train_xiao_ = np.array(
            [xiao_index.get(c[:7], -1) if len(c) >= 7 else -1 for c in train_codes], dtype=int
        )
        self.train_zhong_ = np.array(
            [zhong_index.get(c[:4], -1) if len(c) >= 4 else -1 for c in train_codes], dtype=int
        )
        self.train_X_ = vec(train_titles).T.tocsr() if pairs else None
        self.leaf_prior_ = np.bincount(
            self.train_leaf_[self.train_leaf_ >= 0], minlength=len(leaves)
        ).astype(np.float32)
        self.xiao_prior_ = np.bincount(
            self.train_xiao_[self.train_xiao_ >= 0], minlength=len(xiao_keys)
        ).astype(np.float32)
        self.nb_vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32
        ).fit(alias_text + train_titles)
        alias_owner_arr = np.asarray(alias_owner)
        groups = (
            (self.train_leaf_, alias_owner_arr, len(leaves)),
            (self.train_xiao_, self.leaf_xiao_[alias_owner_arr], len(xiao_keys)),
            (self.train_zhong_, self.leaf_zhong_[alias_owner_arr], len(zhong_keys)),
        )
        self.nb_train_X_ = (
            self.nb_vectorizer_.transform(train_titles)
            if pairs
            else sparse.csr_matrix((0, len(self.nb_vectorizer_.vocabulary_)), dtype=np.float32)
        )
        alias_nb = self.nb_vectorizer_.transform(alias_text)
        self.nb_counts_ = [
            _one_hot(g, size).T @ self.nb_train_X_ + _one_hot(a, size).T @ alias_nb
            for g, a, size in groups
        ]
        self.nb_log_prob_ = [_nb_log_prob(c) for c in self.nb_counts_]
        self.ranker_: Pipeline | None = None
        if not pairs:
            return self
        # Cross-fit: a training title sees only labelled titles of the other parts, as a
        # new title sees the labelled ones, so the ranker learns from honest features.
        parts = np.zeros(len(pairs), dtype=int)
        splitter = KFold(self.inner_folds, shuffle=True, random_state=self.random_state)
        for p, (_, rows) in enumerate(splitter.split(train_titles)):
            parts[rows] = p
        cand, feats = self._candidates(train_titles, parts=parts)
        # A label that stops at 小类 or 中类 makes every candidate under it a positive.
        cand_codes = self.leaf_codes_[cand].astype(str)
        target = np.stack(
            [
                np.char.startswith(row, code)
                for row, code in zip(cand_codes, train_codes, strict=True)
            ]
        )
        usable = target.any(axis=1)
        if usable.sum() < 10:
            return self
        if self.ranker == "logistic":
            self.ranker_ = make_pipeline(
                StandardScaler(),
                LogisticRegression(C=self.C, max_iter=1000, random_state=self.random_state),
            )
        else:
            self.ranker_ = make_pipeline(
                HistGradientBoostingClassifier(
                    max_iter=self.max_iter, max_leaf_nodes=15, random_state=self.random_state
                )
            )
        # The head of each shortlist is where the ranker's choices matter, and it is cheap.
        head = slice(0, self.n_train_candidates)
        # One thread: OpenMP threads of a small boosting fit mostly wait on a busy machine.
        with threadpool_limits(1):
            self.ranker_.fit(
                feats[usable, head].reshape(-1, feats.shape[2]), target[usable, head].reshape(-1)
            )
        return self

    def _neighbour_scores(
        self, Q: sparse.csr_matrix, parts: np.ndarray | None
    ) -> tuple[np.ndarray, ...]:
        """Max and top-k summed similarity of labelled titles per leaf, 小类 and 中类."""
        n, n_leaf = Q.shape[0], len(self.leaf_codes_)
        n_xiao, n_zhong = len(self.xiao_prior_), int(self.leaf_zhong_.max()) + 1
        if self.train_X_ is None:
            zeros = np.zeros((n, n_leaf), dtype=np.float32)
            return zeros, zeros, zeros, zeros, zeros
        S = (Q @ self.train_X_).toarray()
        if parts is not None:
            S[parts[:, None] == parts[None, :]] = 0.0
        k = min(self.n_neighbours, S.shape[1])
        kth = -np.partition(-S, k - 1, axis=1)[:, k - 1 : k]
        top = np.where(kth <= S, S, 0.0)

        def per_group(groups: np.ndarray, size: int, M: np.ndarray, how: str) -> np.ndarray:
            rows = np.flatnonzero(groups >= 0)
            order = rows[np.argsort(groups[rows], kind="stable")]
            g = groups[order]
            present, start = np.unique(g, return_index=True)
            out = np.zeros((n, size), dtype=np.float32)
            ufunc = np.maximum if how == "max" else np.add
            out[:, present] = ufunc.reduceat(M[:, order], start, axis=1)
            return out

        leaf_max = per_group(self.train_leaf_, n_leaf, S, "max")
        leaf_sum = per_group(self.train_leaf_, n_leaf, top, "sum")
        xiao_max = per_group(self.train_xiao_, n_xiao, S, "max")[:, self.leaf_xiao_]
        xiao_sum = per_group(self.train_xiao_, n_xiao, top, "sum")[:, self.leaf_xiao_]
        zhong_max = per_group(self.train_zhong_, n_zhong, S, "max")[:, self.leaf_zhong_]
        return leaf_max, leaf_sum, xiao_max, xiao_sum, zhong_max

    def _nb_posteriors(self, cleaned: Sequence[str], parts: np.ndarray | None) -> list[np.ndarray]:
        """Naive Bayes posterior of each leaf, and of its 小类 and 中类, per title."""
        Xq = self.nb_vectorizer_.transform(cleaned)
        index = (np.arange(len(self.leaf_codes_)), self.leaf_xiao_, self.leaf_zhong_)
        if parts is None:
            return [
                _softmax(Xq @ lp.T)[:, ix] for lp, ix in zip(self.nb_log_prob_, index, strict=True)
            ]
        labels = (self.train_leaf_, self.train_xiao_, self.train_zhong_)
        out = [np.empty((len(cleaned), len(self.leaf_codes_)), dtype=np.float32) for _ in index]
        for p in np.unique(parts):
            own = parts == p
            for level, (counts, lab, ix) in enumerate(
                zip(self.nb_counts_, labels, index, strict=True)
            ):
                own_counts = _one_hot(lab[own], counts.shape[0]).T @ self.nb_train_X_[own]
                lp = _nb_log_prob(counts - own_counts)
                out[level][own] = _softmax(Xq[own] @ lp.T)[:, ix]
        return out

    def _cross_fitted_priors(self, parts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Label counts per leaf and 小类 from the other parts, scaled to the full size."""
        n_parts = int(parts.max()) + 1
        scale = n_parts / max(n_parts - 1, 1)
        leaf = np.empty((len(parts), len(self.leaf_codes_)), dtype=np.float32)
        xiao = np.empty_like(leaf)
        for p in range(n_parts):
            own = parts == p
            other_leaf = self.train_leaf_[~own]
            other_xiao = self.train_xiao_[~own]
            leaf_counts = np.bincount(other_leaf[other_leaf >= 0], minlength=leaf.shape[1])
            xiao_counts = np.bincount(other_xiao[other_xiao >= 0], minlength=len(self.xiao_prior_))
            leaf[own] = scale * leaf_counts
            xiao[own] = scale * xiao_counts[self.leaf_xiao_]
        return leaf, xiao

    def _candidates(
        self, cleaned: Sequence[str], parts: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Shortlist leaf indices per title and their ranking features."""
        Q = self.vectorizer_.transform(cleaned)
        A = (Q @ self.alias_X_).toarray()
        alias_max = np.maximum.reduceat(A, self.alias_start_, axis=1)
        text_sim = (Q @ self.text_X_).toarray()
        xiao_sim = (Q @ self.xiao_X_).toarray()[:, self.leaf_xiao_]
        zhong_sim = (Q @ self.zhong_X_).toarray()[:, self.leaf_zhong_]
        leaf_max, leaf_sum, xiao_max, xiao_sum, zhong_max = self._neighbour_scores(Q, parts)
        leaf_prior = np.broadcast_to(self.leaf_prior_, alias_max.shape)
        xiao_prior = np.broadcast_to(self.xiao_prior_[self.leaf_xiao_], alias_max.shape)
        if parts is not None:
            leaf_prior, xiao_prior = self._cross_fitted_priors(parts)
        shortlist_score = alias_max + 0.3 * text_sim + 0.3 * xiao_sim + leaf_max + 0.5 * xiao_max
        k = min(self.n_candidates, shortlist_score.shape[1])
        cand = np.argpartition(-shortlist_score, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(shortlist_score, cand, axis=1), axis=1)
        cand = np.take_along_axis(cand, order, axis=1)

        dense = [
            *self._nb_posteriors(cleaned, parts),
            alias_max,
            text_sim,
            xiao_sim,
            zhong_sim,
            leaf_max,
            leaf_sum,
            xiao_max,
            xiao_sum,
            zhong_max,
            np.log1p(leaf_prior),
            np.log1p(xiao_prior),
        ]
        feats = np.stack([np.take_along_axis(d, cand, axis=1) for d in dense], axis=2)
        fuzzy = self._fuzzy(cleaned, cand)
        rank = np.broadcast_to(np.log1p(np.arange(k, dtype=np.float32)), cand.shape)
        feats = np.concatenate([feats, fuzzy, rank[:, :, None]], axis=2)
        return cand, feats.astype(np.float32)

    def _fuzzy(self, cleaned: Sequence[str], cand: np.ndarray) -> np.ndarray:
        """Best rapidfuzz ratio, partial ratio and containment over each candidate's names."""
        n, k = cand.shape
        out = np.zeros((n, k, 3), dtype=np.float32)
        ends = np.append(self.alias_start_[1:], len(self.alias_text_))
        for i, title in enumerate(cleaned):
            if not title:
                continue
            idx = [np.arange(self.alias_start_[c], ends[c]) for c in cand[i]]
            sizes = np.array([len(x) for x in idx])
            flat = np.concatenate(idx)
            choices = [self.alias_text_[j] for j in flat]
            scores = process.cdist([title], choices, scorer=fuzz.ratio, dtype=np.float32)[0]
            partial = process.cdist([title], choices, scorer=fuzz.partial_ratio, dtype=np.float32)[
                0
            ]
            contained = np.array(
                [len(a) / len(title) if a in title else 0.0 for a in choices], dtype=np.float32
            )
            starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
            out[i, :, 0] = np.maximum.reduceat(scores, starts) / 100.0
            out[i, :, 1] = np.maximum.reduceat(partial, starts) / 100.0
            out[i, :, 2] = np.maximum.reduceat(contained, starts)
        return out

    def _scores(self, cleaned: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Candidates per title and their ranker scores, best first."""
        cand, feats = self._candidates(cleaned)
        if self.ranker_ is None:
            score = feats[:, :, 0] + 0.3 * feats[:, :, 1] + 0.3 * feats[:, :, 2]
        else:
            flat = feats.reshape(-1, feats.shape[2])
            with threadpool_limits(1):
                score = self.ranker_.predict_proba(flat)[:, 1].reshape(cand.shape)
        order = np.argsort(-score, axis=1, kind="stable")
        return np.take_along_axis(cand, order, axis=1), np.take_along_axis(score, order, axis=1)

    def predict_topk(self, titles: Sequence[str], k: int = 5) -> list[list[tuple[str, float]]]:
        """Return the k most likely leaf codes per title with their scores, best first."""
        check_is_fitted(self, "vectorizer_")
        cleaned = [clean_title(t) or normalize(t) for t in titles]
        unique, inverse = np.unique(np.array(cleaned, dtype=object), return_inverse=True)
        if len(unique) == 0:
            return []
        cand, score = self._scores(list(unique))
        k = min(k, cand.shape[1])
        per_unique = [
            [(str(self.leaf_codes_[c]), float(s)) for c, s in zip(cs[:k], ss[:k], strict=True)]
            for cs, ss in zip(cand, score, strict=True)
        ]
        return [list(per_unique[j]) for j in inverse]

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
        for n in self.catalogue:
            if n.level == 4:
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
    **params: int | float,
) -> dict[str, object]:
    """Measure the coder and the nearest-alias baseline with k-fold cross-validation.

    Returns accuracy by level for both (``accuracy``, ``baseline_accuracy``) and the
    out-of-fold predicted code of every row (``predicted``, ``baseline_predicted``).
    """
    catalogue = load_catalogue(csco_path)
    titles, codes = read_testcases(testcases_path)
    predicted = [""] * len(titles)
    splitter = KFold(n_splits=folds, shuffle=True, random_state=random_state)
    for train, test in splitter.split(titles):
        coder = OccupationCoder(catalogue, random_state=random_state, **params)  # type: ignore[arg-type]
        coder.fit([titles[i] for i in train], [codes[i] for i in train])
        for i, code in zip(test, coder.predict([titles[i] for i in test]), strict=True):
            predicted[i] = code
    baseline = NearestAliasCoder(catalogue).fit().predict(titles)
    return {
        "accuracy": accuracy_by_level(predicted, codes),
        "baseline_accuracy": accuracy_by_level(baseline, codes),
        "predicted": predicted,
        "baseline_predicted": baseline,
        "expected": codes,
    }
