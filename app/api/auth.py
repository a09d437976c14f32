"""Token login, registration and the current user."""

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth import require_actor, roles_required
from app.extensions import limiter
from app.schemas.employer import EmployerRegisterSchema, EmployerSchema
from app.schemas.seeker import SeekerRegisterSchema, SeekerSchema
from app.schemas.user import LoginSchema, OfficeUserCreateSchema, TokenSchema, UserSchema
from app.services import employers, seekers, totp, users

PREFIX = "/auth"
blp = Blueprint("auth", __name__, description="Log in, register and who am I")


@blp.route("/token")
class Token(MethodView):
    decorators = [limiter.limit("20 per minute")]

    @blp.doc(security=[])
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    def post(self, data):
        """Exchange a username and password for a bearer token."""
        user = users.authenticate(data["username"], data["password"], data.get("totp"))
        return users.token_for(user)


@blp.route("/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self):
        """Revoke every token and web session of the logged-in user."""
        users.end_sessions(require_actor())


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, UserSchema)
    def get(self):
        """The logged-in user."""
        return require_actor()


@blp.route("/register/seeker")
class RegisterSeeker(MethodView):
    decorators = [limiter.limit("10 per minute")]

    @blp.doc(security=[])
    @blp.arguments(SeekerRegisterSchema)
    @blp.response(201, SeekerSchema)
    def post(self, data):
        """Sign up as a job seeker (login and profile)."""
        return seekers.register_seeker(data)[1]


@blp.route("/register/employer")
class RegisterEmployer(MethodView):
    decorators = [limiter.limit("10 per minute")]

    @blp.doc(security=[])
    @blp.arguments(EmployerRegisterSchema)
    @blp.response(201, EmployerSchema)
    def post(self, data):
        """Sign up an organisation and its first login."""
        return employers.register_employer(data)[1]


@blp.route("/staff")
class Staff(MethodView):
    @roles_required("admin")
    @blp.arguments(OfficeUserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create an office or admin account (admins only)."""
        return users.create_staff(require_actor(), data)


@blp.route("/staff/<int:user_id>/totp")
class StaffTotp(MethodView):
    @roles_required("admin")
    @blp.response(204)
    def delete(self, user_id):
        """Remove a staff member's TOTP second factor (lost phone; admins only, audited)."""
        totp.reset(require_actor(), user_id)
