"""Ranked candidates, recommendations and placement runs."""

from marshmallow import Schema, fields, validate

from app.schemas.common import Date, Integer, StrictSchema, short_text
from app.schemas.posting import PostingSchema
from app.schemas.seeker import SeekerCandidateSchema


def below_education_field() -> fields.String:
    """What to do with seekers below a posting's minimum education: ``last`` (marked) or ``exclude``."""
    return fields.String(
        load_default="last",
        validate=validate.OneOf(["last", "exclude"]),
        metadata={
            "description": "below the minimum education: after all who meet it, marked (last), or left out (exclude)"
        },
    )


def exclude_employed_field() -> fields.Boolean:
    """Whether to leave out people who already have a job."""
    return fields.Boolean(
        load_default=False, metadata={"description": "leave out people who already have a job"}
    )


class RankQuery(Schema):
    k = Integer(load_default=10, validate=validate.Range(min=1, max=100))
    lang = fields.String(load_default="zh", validate=validate.OneOf(["zh", "en"]))
    include_ineligible = fields.Boolean(load_default=False)
    below_education = below_education_field()
    exclude_employed = exclude_employed_field()


class RankedRowSchema(Schema):
    rank = fields.Integer()
    score = fields.Float()
    parts = fields.Dict(keys=fields.String(), values=fields.Float())
    reasons = fields.List(fields.Dict())
    reasons_text = fields.String()
    eligible = fields.Boolean()
    ineligible_reason = fields.String(allow_none=True)
    boosted = fields.Boolean()
    rank_without_boost = fields.Integer(allow_none=True)
    meets_education = fields.Boolean(
        metadata={"description": "false: the seeker is below the posting's minimum education"}
    )


class CandidateRowSchema(RankedRowSchema):
    seeker = fields.Nested(SeekerCandidateSchema)


class CandidatesSchema(Schema):
    posting_id = fields.Integer()
    model_version = fields.String()
    exposure = fields.Dict(
        metadata={
            "description": "the exposure cap: max_lists per seeker in a district, how many seekers are held by other posts' lists, when the district's lists were made (lists_made_at, UTC; null for office staff, who see everyone), and preparing: true while the district's first lists are being made and the list is not capped yet"
        }
    )
    short_reason = fields.String(
        allow_none=True,
        metadata={"description": "why fewer than k: exposure_cap or too_few_candidates"},
    )
    results = fields.List(fields.Nested(CandidateRowSchema))


class RecommendationRowSchema(RankedRowSchema):
    posting = fields.Nested(PostingSchema)


class RecommendationsSchema(Schema):
    seeker_id = fields.Integer()
    model_version = fields.String()
    results = fields.List(fields.Nested(RecommendationRowSchema))


class ProposeSchema(StrictSchema):
    mode = fields.String(load_default="stable", validate=validate.OneOf(["stable", "best_total"]))
    seed = Integer(load_default=0, validate=validate.Range(min=0, max=2**31 - 1))
    after_run_id = Integer(allow_none=True)


class OverrideSchema(StrictSchema):
    seeker_id = Integer(required=True)
    posting_id = Integer(required=True, allow_none=True)
    reason = short_text(500, min_len=2, required=True)


class TransferSchema(StrictSchema):
    from_program_id = Integer(required=True)
    to_program_id = Integer(required=True)
    seats = Integer(required=True, validate=validate.Range(min=1, max=100_000))
    approval = short_text(500, min_len=2, required=True)


class ConfirmSchema(StrictSchema):
    start_date = Date(required=True)


class RunSchema(Schema):
    """A placement run as stored: summary, placements with ranks and parts, overrides."""

    id = fields.Integer()
    status = fields.String()
    program_id = fields.Integer()
    mode = fields.String()
    round = fields.Integer()
    seed = fields.Integer()
    model_version = fields.String(allow_none=True)
    rulebook_version = fields.String(allow_none=True)
    summary = fields.Dict()
    overrides = fields.List(fields.Dict())
    placements = fields.List(fields.Dict())
    confirmed = fields.Boolean()
    confirmation = fields.Dict(allow_none=True)


class RecomputeSchema(Schema):
    run_id = fields.Integer()
    identical = fields.Boolean(metadata={"description": "the same placements as stored"})
    placed = fields.Integer()
