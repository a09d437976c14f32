"""Files offices and employers download: every download is audited (who, which file, from where)."""

from flask import Response, request

from app.auth import actor
from app.extensions import db
from app.services.common import security_event


def download(data: bytes, name: str, mimetype: str) -> Response:
    """A file to save under ``name``; the export is recorded in the audit trail."""
    security_event(actor(), "export", {"file": name, "path": request.path})
    db.session.commit()
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"}
    )
