"""Every long command shows a progress bar (issue 23): the operator sees what it is doing.

Click draws the bar only on a terminal; elsewhere (the test runner, a cron log) it prints the
bar's label once, which is what these tests look for.
"""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def office(ctx):
    return UserFactory(username="wl_cli", role="office", office_district="500156")


@pytest.mark.parametrize(
    "args, label",
    [
        (["place", "propose", "--program", "{program}", "--as", "wl_cli"], "安置方案 placement"),
        (["match", "train"], "排序模型训练 ranker training"),
        (["match", "evaluate"], "排序模型评估 ranker evaluation"),
        (["policy", "find", "--as", "wl_cli"], "政策找人 hires checked"),
        (["notify", "saved-searches"], "保存的搜索 saved searches"),
        (["report", "services", "--as", "wl_cli"], "1-3-1-1 服务跟踪 service tracking"),
        (["settle", "--program", "{program}", "--month", "2023-08"], "补贴明细 subsidy lines"),
    ],
)
def test_a_long_command_shows_its_progress(app, office, enterprise, post_a, args, label):
    runner = app.test_cli_runner()
    done = runner.invoke(args=[a.format(program=enterprise.key) for a in args])
    assert done.exit_code == 0, done.output
    assert label in done.output
