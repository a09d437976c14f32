def test_districts_are_the_38_of_chongqing_with_current_codes(client):
    districts = client.get("/api/v1/districts").json
    assert len(districts) == 38
    by_code = {d["code"]: d["name"] for d in districts}
    assert by_code["500156"] == "武隆区" and by_code["500155"] == "梁平区"
    assert "500232" not in by_code and "500228" not in by_code
    wulong = next(d for d in districts if d["code"] == "500156")
    assert "500102" in wulong["neighbours"]


def test_occupations_search_by_name_prefix_and_level(client):
    found = client.get("/api/v1/occupations?q=软件测试").json
    assert "4-04-05-02" in [o["code"] for o in found]
    prefix = client.get("/api/v1/occupations?prefix=4-04-05&level=4&page_size=50")
    assert prefix.status_code == 200 and all(o["code"].startswith("4-04-05") for o in prefix.json)
    assert '"total"' in prefix.headers["X-Pagination"]
    one = client.get("/api/v1/occupations/4-04-05-02").json
    assert one["name"] == "计算机软件测试员" and one["digital"] is True
    both = client.get("/api/v1/occupations/2-02-02-01").json
    assert (both["name"], both["digital"], both["green"]) == ("大地测量工程技术人员", True, True)


def test_occupation_bad_input_and_missing(client):
    assert client.get("/api/v1/occupations?level=9").status_code == 422
    assert client.get("/api/v1/occupations?prefix=abc").status_code == 422
    missing = client.get("/api/v1/occupations/9-99-99-99")
    assert missing.status_code == 404 and missing.json["code"] == 404


def test_my_profile_is_for_seekers_only(client, as_seeker, as_employer_a):
    assert client.get("/api/v1/seekers/me", headers=as_seeker).json["name"] == "李明"
    assert client.get("/api/v1/seekers/me", headers=as_employer_a).status_code == 403
    assert client.get("/api/v1/seekers/me").status_code == 401
