"""Health check for load balancers and operators."""

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import text

from app.extensions import db

PREFIX = "/health"
blp = Blueprint("health", __name__, description="Service health")


@blp.route("")
class Health(MethodView):
    @blp.doc(security=[])
    def get(self):
        """Report whether the database answers."""
        db.session.execute(text("SELECT 1"))
        return {"status": "ok"}
