"""Reference data: districts and occupations."""

from flask.views import MethodView
from sqlalchemy import or_, select

from app.api.paging import PAGINATION, Blueprint, page_of
from app.extensions import db
from app.models import District, Occupation
from app.schemas.reference import DistrictSchema, OccupationQuery, OccupationSchema
from app.services.common import get_or_404, paginate

PREFIX = ""
blp = Blueprint(
    "reference", __name__, description="Districts of Chongqing and CSCO-2022 occupations"
)


@blp.route("/districts")
class Districts(MethodView):
    @blp.doc(security=[])
    @blp.response(200, DistrictSchema(many=True))
    def get(self):
        """The 38 districts and counties of Chongqing."""
        return db.session.scalars(select(District).order_by(District.code)).all()


@blp.route("/occupations")
class Occupations(MethodView):
    @blp.doc(security=[])
    @blp.arguments(OccupationQuery, location="query")
    @blp.response(200, OccupationSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, args, pagination_parameters):
        """Search the CSCO-2022 classification by name, code prefix or level."""
        stmt = select(Occupation).order_by(Occupation.code)
        if args.get("q"):
            stmt = stmt.where(
                or_(
                    Occupation.name.contains(args["q"], autoescape=True),
                    Occupation.aliases.contains(args["q"], autoescape=True),
                )
            )
        if args.get("prefix"):
            stmt = stmt.where(Occupation.code.startswith(args["prefix"]))
        if args.get("level"):
            stmt = stmt.where(Occupation.level == args["level"])
        return page_of(
            pagination_parameters,
            paginate(stmt, pagination_parameters.page, pagination_parameters.page_size),
        )


@blp.route("/occupations/<string:code>")
class OccupationItem(MethodView):
    @blp.doc(security=[])
    @blp.response(200, OccupationSchema)
    def get(self, code):
        """One occupation."""
        return get_or_404(Occupation, code, "职业")
