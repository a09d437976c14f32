"""Learning ranking weights from outcomes, and choosing the model in use.

History: applications that ended in a hire (1) or a rejection (0), and traineeships that
ended retained or converted early (1) or completed without retention or left early (0).
A new model replaces the current one only when it ranks held-out postings better.
"""

from dataclasses import dataclass

import numpy as np
from flask import g
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Application, RankerModel, Seeker, Traineeship
from app.services import bridge
from app.services.common import log
from matching.features import FEATURES
from matching.ranker import DEFAULT_VERSION, Ranker, select_model, training_matrix

GOOD_TRAINEESHIP = ("retained", "converted_early")
ENDED_TRAINEESHIP = ("retained", "converted_early", "completed", "left_early")


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


def train(random_state: int = 0, min_rows: int = 50) -> dict:
    """Fit a candidate on the history, evaluate both on held-out postings, promote it if better."""
    history = outcome_history()
    if len(history.y) < min_rows or len(set(history.y.tolist())) < 2:
        return {
            "trained": False,
            "reason": f"not enough outcome history ({len(history.y)} rows, need {min_rows} with both outcomes)",
        }
    current = active_ranker()
    selection = select_model(
        current, history.X, history.y, history.groups, random_state=random_state
    )
    candidate = selection.model if selection.replaced else None
    record = None
    if candidate is not None:
        weights = dict(zip(FEATURES, (float(w) for w in candidate.weight_vector()), strict=True))
        db.session.execute(update(RankerModel).values(active=False))
        record = RankerModel(
            version=candidate.model_version,
            weights=weights,
            metrics=selection.metrics,
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
        "ranker training on %d rows: replaced=%s metrics=%s",
        len(history.y),
        selection.replaced,
        selection.metrics,
    )
    return {
        "trained": True,
        "rows": len(history.y),
        "replaced": selection.replaced,
        "version": selection.version if selection.replaced else current.model_version,
        "metrics": selection.metrics,
    }


def evaluate(random_state: int = 0) -> dict:
    """Held-out metrics of the model in use against a freshly fitted candidate, without promoting."""
    history = outcome_history()
    if len(set(history.y.tolist())) < 2:
        return {"rows": len(history.y), "metrics": {}, "version": active_ranker().model_version}
    current = active_ranker()
    selection = select_model(
        current, history.X, history.y, history.groups, random_state=random_state
    )
    return {
        "rows": len(history.y),
        "version": current.model_version or DEFAULT_VERSION,
        "metrics": selection.metrics,
    }
