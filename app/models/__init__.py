"""Database models, one module per aggregate."""

from app.models.application import Application
from app.models.application_event import ApplicationEvent
from app.models.audit import AuditEvent
from app.models.base import Base
from app.models.desired_job import DesiredJob
from app.models.district import District
from app.models.employer import Employer
from app.models.employment import Employment
from app.models.favourite import Favourite
from app.models.hiring_subsidy_grant import HiringSubsidyGrant
from app.models.invitation import Invitation
from app.models.login_throttle import LoginThrottle
from app.models.match_run import MatchResult, MatchRun
from app.models.notification import Notification, OutboxMessage
from app.models.occupation import Occupation
from app.models.posting import Posting
from app.models.program import Program
from app.models.pushed_recommendation import PushedRecommendation
from app.models.ranker_model import RankerModel
from app.models.rulebook import RulebookVersion
from app.models.saved_search import SavedSearch
from app.models.seeker import Seeker
from app.models.service_record import ServiceRecord
from app.models.subsidy import SubsidyLine
from app.models.traineeship import Traineeship
from app.models.user import User

__all__ = [
    "Application",
    "ApplicationEvent",
    "AuditEvent",
    "Base",
    "DesiredJob",
    "District",
    "Employer",
    "Employment",
    "Favourite",
    "HiringSubsidyGrant",
    "Invitation",
    "LoginThrottle",
    "MatchResult",
    "MatchRun",
    "Notification",
    "Occupation",
    "OutboxMessage",
    "Posting",
    "Program",
    "PushedRecommendation",
    "RankerModel",
    "RulebookVersion",
    "SavedSearch",
    "Seeker",
    "ServiceRecord",
    "SubsidyLine",
    "Traineeship",
    "User",
]
