"""A host sees the advisory chance of reaching the retention tier once the service has enough history."""

import datetime as dt

from tests.factories import SeekerFactory
from tests.scenario import traineeship as add_traineeship

START = dt.date(2023, 1, 1)


def _history(post, retained: int, completed: int) -> None:
    """Decided traineeships: matching occupations tend to be retained, the others not."""
    for i in range(retained + completed):
        keep = i < retained
        seeker = SeekerFactory(
            desired_occupations=[post.occupation_code] if keep else ["6-01-01-01"],
            expected_salary=1300 if keep else 9000,
        )
        add_traineeship(
            seeker, post, START, 3, "retained" if keep else "completed", dt.date(2023, 3, 31)
        )


def test_forecast_appears_with_enough_history(client, ctx, as_host_a, host_a, post_a, post_b):
    _history(post_b, retained=25, completed=25)
    add_traineeship(
        SeekerFactory(desired_occupations=[post_a.occupation_code], expected_salary=1300),
        post_a,
        dt.date(2023, 7, 1),
        6,
    )
    add_traineeship(
        SeekerFactory(desired_occupations=["6-01-01-01"], expected_salary=9000),
        post_a,
        dt.date(2023, 7, 1),
        6,
    )
    response = client.get(f"/api/v1/employers/{host_a.id}/subsidy?on=2023-08-01", headers=as_host_a)
    assert response.status_code == 200, response.json
    forecast = response.json["programs"][0]["forecast"]
    assert 0.0 <= forecast["probability_reaching_tier"] <= 1.0 and forecast["pending"] == 2
    assert "advisory" in forecast["message"]["en"] and "仅供参考" in forecast["message"]["zh"]


def test_no_forecast_without_history(client, ctx, as_host_a, host_a, post_a):
    add_traineeship(SeekerFactory(), post_a, dt.date(2023, 7, 1), 6)
    response = client.get(f"/api/v1/employers/{host_a.id}/subsidy?on=2023-08-01", headers=as_host_a)
    assert response.json["programs"][0]["forecast"] is None
