"""Learning ranking weights from outcomes, and choosing the model in use.

History: applications that ended in a hire (1) or a rejection (0), and traineeships that
ended retained or converted early (1) or completed without retention or left early (0).
A new model replaces the current one only when it passes every guard of
:mod:`matching.gate`: a held-out gain over repeated splits, no negative weight on what must
not count against a match, and pool-wide lists (every open posting against every seeker)
no worse than the default weights'. The promoted model's card (data, date, metrics, guards)
is stored with it and shown to offices.
"""

from dataclasses import asdict, dataclass

import numpy as np
from flask import g
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Application, Posting, RankerModel, Seeker, Traineeship
from app.services import bridge
from app.services.common import Stages, log, no_stages
from matching.features import FEATURES
from matching.gate import Pool, select_model
from matching.ranker import DEFAULT_VERSION, DEFAULT_WEIGHTS, Ranker, training_matrix

GOOD_TRAINEESHIP = ("retained", "converted_early")
ENDED_TRAINEESHIP = ("retained", "converted_early", "completed", "left_early")
POOL_POSTINGS = 2000
"""At most this many open postings (the newest) are ranked for the pool-wide guards."""


def active_ranker() -> Ranker:
    """The promoted model's weights, or the documented default weights when none was promoted."""
    record = db.session.scalar(select(RankerModel).where(RankerModel.active.is_(True)))
    if record is None:
        return Ranker()
    return Ranker(weights=record.weights, version=record.version)


@dataclass
class History:
    """Feature rows, outcomes and posting groups of past decisions."""

    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray


def outcome_history() -> History:
    """Collect decided applications and ended traineeships as (features, outcome, posting)."""
    pairs, labels, groups = [], [], []
    applications = db.session.scalars(
        select(Application)
        .where(Application.status.in_(("hired", "rejected")))
        .options(
            joinedload(Application.posting),
            joinedload(Application.seeker).selectinload(Seeker.desired_jobs),
        )
    )
    for a in applications:
        pairs.append((bridge.posting_profile(a.posting), bridge.seeker_profile(a.seeker)))
        labels.append(1 if a.status == "hired" else 0)
        groups.append(a.posting_id)
    traineeships = db.session.scalars(
        select(Traineeship)
        .where(Traineeship.outcome.in_(ENDED_TRAINEESHIP), Traineeship.posting_id.is_not(None))
        .options(
            joinedload(Traineeship.posting),
            joinedload(Traineeship.seeker).selectinload(Seeker.desired_jobs),
        )
    )
    for t in traineeships:
        pairs.append((bridge.posting_profile(t.posting), bridge.seeker_profile(t.seeker)))
        labels.append(1 if t.outcome in GOOD_TRAINEESHIP else 0)
        groups.append(t.posting_id)
    from app.services.recommendations import seeker_index

    index = seeker_index()
    X = (
        training_matrix(pairs, index.encoder, index.context)
        if pairs
        else np.zeros((0, len(FEATURES)))
    )
    return History(X, np.asarray(labels), np.asarray(groups))


def pool() -> Pool:
    """The open postings (the newest ``POOL_POSTINGS``) and every seeker: where pool-wide guards are measured."""
    from app.services.recommendations import seeker_index

    posts = db.session.scalars(
        select(Posting)
        .where(Posting.status == "published", Posting.slots_filled < Posting.slots)
        .order_by(Posting.id.desc())
        .limit(POOL_POSTINGS)
    )
    return Pool([bridge.posting_profile(p) for p in posts], seeker_index())


def _card_data(history: History, gate_pool: Pool) -> dict:
    """What a model was trained and checked on, for its card."""
    return {
        "rows": len(history.y),
        "hires": int(history.y.sum()),
        "postings": len(set(history.groups.tolist())),
        "pool_postings": len(gate_pool.postings),
        "pool_seekers": len(gate_pool.seekers),
    }


def train(random_state: int = 0, min_rows: int = 50, progress: Stages = no_stages) -> dict:
    """Fit a candidate on the history and promote it only if it passes every guard of the gate."""
    progress(0.05, "读取结果 outcome history")
    history = outcome_history()
    if len(history.y) < min_rows or len(set(history.y.tolist())) < 2:
        return {
            "trained": False,
            "reason": f"not enough outcome history ({len(history.y)} rows, need {min_rows} with both outcomes)",
        }
    current = active_ranker()
    progress(0.3, "拟合与闸门 fitting and gate")
    gate_pool = pool()
    selection = select_model(
        current, history.X, history.y, history.groups, pool=gate_pool, random_state=random_state
    )
    progress(0.9, "保存 storing")
    guards = [asdict(guard) for guard in selection.guards]
    candidate = selection.model if selection.replaced else None
    if candidate is not None:
        weights = dict(zip(FEATURES, (float(w) for w in candidate.weight_vector()), strict=True))
        db.session.execute(update(RankerModel).values(active=False))
        card = {**selection.metrics, "guards": guards, "data": _card_data(history, gate_pool)}
        record = RankerModel(
            version=candidate.model_version,
            weights=weights,
            metrics=card,
            training_rows=len(history.y),
            active=True,
        )
        existing = db.session.scalar(
            select(RankerModel).where(RankerModel.version == record.version)
        )
        if existing is not None:
            existing.active = True
        else:
            db.session.add(record)
    db.session.commit()
    g.pop("jianxi_ranker", None)  # the next ranking in this context uses the promoted model
    log.info(
        "ranker training on %d rows: replaced=%s refused by %s metrics=%s",
        len(history.y),
        selection.replaced,
        selection.refused,
        selection.metrics,
    )
    return {
        "trained": True,
        "rows": len(history.y),
        "replaced": selection.replaced,
        "version": selection.version if selection.replaced else current.model_version,
        "refused": selection.refused,
        "guards": guards,
        "metrics": selection.metrics,
    }


def evaluate(random_state: int = 0, progress: Stages = no_stages) -> dict:
    """Held-out metrics of the model in use against a freshly fitted candidate, without promoting."""
    progress(0.05, "读取结果 outcome history")
    history = outcome_history()
    if len(set(history.y.tolist())) < 2:
        return {"rows": len(history.y), "metrics": {}, "version": active_ranker().model_version}
    current = active_ranker()
    progress(0.3, "拟合 fitting")
    selection = select_model(
        current, history.X, history.y, history.groups, pool=pool(), random_state=random_state
    )
    return {
        "rows": len(history.y),
        "version": current.model_version or DEFAULT_VERSION,
        "metrics": selection.metrics,
        "guards": [asdict(guard) for guard in selection.guards],
    }


def model_card() -> dict:
    """The model in use: version, when it was trained, on what, its held-out and pool-wide metrics and guards."""
    record = db.session.scalar(select(RankerModel).where(RankerModel.active.is_(True)))
    if record is None:
        return {"version": DEFAULT_VERSION, "default": True, "weights": dict(DEFAULT_WEIGHTS)}
    card = dict(record.metrics or {})
    return {
        "version": record.version,
        "default": False,
        "trained_at": record.trained_at,
        "training_rows": record.training_rows,
        "weights": record.weights,
        "data": card.pop("data", {}),
        "guards": card.pop("guards", []),
        "metrics": card,
    }
