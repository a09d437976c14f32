"""Retention forecast for hosts: how likely a host's active trainees end retained, and its tier odds.

Advisory only (see matching/retention.py): the forecast is shown to the host and the office and
is never used to refuse, rank down or deselect anyone. The model is trained on the service's own
decided traineeships (retained, converted early, or completed without retention) and refitted
when that history grows.
"""

import datetime as dt

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import District, Traineeship
from matching.retention import (
    DECIDED_OUTCOMES,
    RetentionModel,
    TraineeshipFeatures,
    host_history_counts,
    is_retained,
    occupation_agreement,
    project_host_tier,
)

MIN_HISTORY = 40
"""Decided traineeships needed (with both outcomes) before any forecast is shown."""


def _district_fit(
    post: str | None, hukou: str | None, home: str | None, neighbours: dict[str, list[str]]
) -> int:
    if post is None:
        return 0
    if post in (hukou, home):
        return 2
    return int(any(post in neighbours.get(code or "", []) for code in (hukou, home)))


def _features(rows: list[Traineeship], as_of: dt.date) -> list[TraineeshipFeatures]:
    neighbours = {d.code: d.neighbours for d in db.session.scalars(select(District))}
    everyone = list(
        db.session.scalars(select(Traineeship).where(Traineeship.outcome != "left_early"))
    )
    history = dict(
        zip(
            (t.id for t in everyone),
            host_history_counts(
                [str(t.host_id) for t in everyone],
                [t.started_on for t in everyone],
                [t.ended_on for t in everyone],
                [t.outcome for t in everyone],
                as_of,
            ),
            strict=True,
        )
    )
    out = []
    for t in rows:
        seeker, post = t.seeker, t.posting
        retained, decided = history.get(t.id, (0, 0))
        offered = post.salary_max if post else 0
        out.append(
            TraineeshipFeatures(
                occupation_agreement=occupation_agreement(
                    seeker.desired_occupations or [], (post.occupation_code if post else None) or ""
                ),
                district_fit=_district_fit(
                    post.district_code if post else None,
                    seeker.hukou_district,
                    seeker.district_code,
                    neighbours,
                ),
                offered_salary=offered,
                expected_salary=seeker.expected_salary or offered,
                host_large=t.host.size_class == "large",
                host_past_retained=retained,
                host_past_decided=decided,
                planned_months=t.planned_months,
                education=seeker.education,
            )
        )
    return out


def _with_people():
    return select(Traineeship).options(
        joinedload(Traineeship.seeker),
        joinedload(Traineeship.posting),
        joinedload(Traineeship.host),
    )


def forecast_model() -> RetentionModel | None:
    """The model fitted on decided traineeships, refitted when their number changes; None without enough history."""
    decided_count = db.session.scalar(
        select(func.count())
        .select_from(Traineeship)
        .where(Traineeship.outcome.in_(DECIDED_OUTCOMES))
    )
    cache = current_app.extensions.setdefault("jianxi.retention", {})
    if cache.get("decided") == decided_count:
        return cache["model"]
    rows = list(db.session.scalars(_with_people().where(Traineeship.outcome.in_(DECIDED_OUTCOMES))))
    labels = [int(is_retained(t.outcome)) for t in rows]
    model = None
    if len(rows) >= MIN_HISTORY and 0 < sum(labels) < len(labels):
        # Sigmoid calibration: isotonic overfits the few hundred traineeships a district holds.
        model = RetentionModel(calibration="sigmoid", random_state=0).fit(
            _features(rows, dt.date.today()), labels
        )
    cache.update(decided=decided_count, model=model)
    return model


def host_forecast(host_id: int, program_id: int, threshold_percent: int = 50) -> dict | None:
    """Probability that a host's retention rate in a program reaches the tier, from its pending trainees."""
    model = forecast_model()
    rows = list(
        db.session.scalars(
            _with_people().where(
                Traineeship.host_id == host_id, Traineeship.program_id == program_id
            )
        )
    )
    pending = [t for t in rows if t.outcome == "active"]
    if model is None or not pending:
        return None
    probabilities = model.predict_proba(_features(pending, dt.date.today()))[:, 1].tolist()
    decided = [is_retained(t.outcome) for t in rows if t.outcome in DECIDED_OUTCOMES]
    projection = project_host_tier(probabilities, decided, threshold_percent / 100)
    p = projection.probability_reaching
    return {
        "probability_reaching_tier": round(p, 3),
        "expected_rate": round(projection.expected_rate, 3)
        if projection.expected_rate is not None
        else None,
        "pending": projection.pending,
        "message": {
            "zh": f"预计见习期满时留用率达到 {threshold_percent}%（1500 元档）的概率为 {p:.0%}（仅供参考，不用于任何审核）",
            "en": f"Chance of reaching the {threshold_percent}% retention tier when the traineeships end: {p:.0%} (advisory only)",
        },
    }
