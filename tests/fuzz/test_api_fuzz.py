"""The API under schemathesis at a small size (``bench/fuzz.py`` runs it in full): every
operation, as anonymous and five demo logins, answers no 5xx and nothing the OpenAPI document
does not allow."""

import importlib.util
from pathlib import Path

import schemathesis

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fuzz.py"


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("bench_fuzz", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_operation_as_every_identity_keeps_to_the_document():
    fuzz = _fuzz_module()
    with fuzz.demo_app() as app:
        identities = fuzz.tokens(app)
        counts, failures = fuzz.fuzz(app, 2, identities)
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        listing = next(
            r.ok() for r in schema.get_all_operations() if r.ok().label == "GET /api/v1/postings"
        )
        case = listing.Case(query={"page": 1})
        response = case.call()
        assert fuzz.violation(case, response) is None
        response.status_code = 418  # the checks do catch what the document does not allow
        assert fuzz.violation(case, response)
    assert counts["requests"] >= 6 * 60
    assert failures == []
