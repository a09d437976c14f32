"""Every response matches the OpenAPI document (issue 18, "schema honesty")."""

import json


def openapi(client) -> dict:
    return client.get("/api/v1/openapi.json").json


def test_recompute_documents_its_200(client):
    responses = openapi(client)["paths"]["/api/v1/placements/{run_id}/recompute"]["post"][
        "responses"
    ]
    schema = responses["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Recompute"}
    fields = openapi(client)["components"]["schemas"]["Recompute"]["properties"]
    assert set(fields) == {"run_id", "identical", "placed"}


def test_x_pagination_is_documented_as_the_json_text_it_is(client):
    header = openapi(client)["paths"]["/api/v1/postings"]["get"]["responses"]["200"]["headers"][
        "X-Pagination"
    ]
    assert "schema" not in header
    assert header["content"]["application/json"]["schema"]["$ref"].endswith("PaginationMetadata")
    sent = client.get("/api/v1/postings").headers["X-Pagination"]
    assert json.loads(sent)["total"] == 0


def test_path_ids_and_page_numbers_are_documented_as_32_bit(client):
    paths = openapi(client)["paths"]
    (param,) = paths["/api/v1/postings/{posting_id}"]["parameters"]
    assert param["schema"]["maximum"] == 2**31 - 1
    page = next(p for p in paths["/api/v1/postings"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 2**31 - 1
