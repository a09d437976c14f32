"""Districts and occupations."""

from marshmallow import Schema, fields, validate

from app.schemas.common import Integer, SortArgs


class DistrictSchema(Schema):
    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    kind = fields.String()
    neighbours = fields.List(fields.String())


class OccupationSchema(Schema):
    code = fields.String()
    level = fields.Integer()
    name = fields.String()
    definition = fields.String(allow_none=True)
    digital = fields.Boolean()
    green = fields.Boolean()


class OccupationQuery(SortArgs):
    q = fields.String(validate=validate.Length(max=60))
    prefix = fields.String(validate=validate.Regexp(r"^[\d-]{1,10}$"))
    level = Integer(validate=validate.Range(min=1, max=4))
