"""Security headers on every response (ASVS V14.4): a script policy without inline code, no framing,
no MIME sniffing, a strict referrer, HSTS once cookies are Secure, and no caching of personal pages."""

from flask import Flask, Response, request, session

# Scripts only from this site: no inline script or handler can run, so an injected one is dead.
# Styles may be inline (ReDoc and ECharts set them); workers from blob: are ReDoc's search.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def _personal(response: Response) -> bool:
    """Whether a response may carry personal data: anything but static files and public pages seen anonymously.

    A write is personal even when anonymous: registering answers with the new profile, logging in
    with a token. A login session counts without loading its user: after a request lost the
    database (a PostgreSQL restart) that load would fail again and turn the 503 into a 500.
    """
    if request.endpoint == "static":
        return False
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    return bool(request.authorization) or "_user_id" in session


def add_security_headers(response: Response) -> Response:
    """Set the security headers this service sends with every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if _personal(response):
        headers["Cache-Control"] = "no-store"
    return response


def add_hsts(response: Response) -> Response:
    """Tell browsers to use HTTPS only (sent when the session cookie is Secure, i.e. behind TLS)."""
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    """Register the headers on the app."""
    app.after_request(add_security_headers)
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.after_request(add_hsts)
