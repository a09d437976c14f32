"""``flask policy check|load`` and ``flask settle`` through the CLI runner."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import RulebookVersion, SubsidyLine
from app.services.rulebooks import POLICY_DIR
from tests.factories import SeekerFactory
from tests.scenario import traineeship as add_traineeship


def test_policy_check_reports_file_line_and_reason(app, ctx, tmp_path):
    runner = app.test_cli_runner()
    good = runner.invoke(args=["policy", "check", str(POLICY_DIR / "wulong-2023.toml")])
    assert good.exit_code == 0 and "ok, wulong-2023" in good.output
    text = (
        (POLICY_DIR / "wulong-2023.toml")
        .read_text(encoding="utf-8")
        .replace('op = "age_between"', 'op = "aged"', 1)
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    refused = runner.invoke(args=["policy", "check", str(bad), "--lang", "en"])
    assert refused.exit_code == 2
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if '"aged"' in row)
    assert f"{bad}:{line}: " in refused.output


def test_policy_check_never_crashes_on_the_file_itself(app, ctx, tmp_path):
    """Missing, UTF-16 or broken TOML: one line in Chinese, exit 2; a UTF-8 BOM is fine."""
    runner = app.test_cli_runner()
    text = (POLICY_DIR / "wulong-2023.toml").read_text(encoding="utf-8")
    missing = runner.invoke(args=["policy", "check", str(tmp_path / "nope.toml"), "--lang", "zh"])
    assert (missing.exit_code, missing.output) == (2, f"{tmp_path / 'nope.toml'}：文件不存在\n")
    bom = tmp_path / "bom.toml"
    bom.write_text(text, encoding="utf-8-sig")
    assert runner.invoke(args=["policy", "check", str(bom)]).exit_code == 0
    wide = tmp_path / "wide.toml"
    wide.write_text(text, encoding="utf-16")
    refused = runner.invoke(args=["policy", "check", str(wide), "--lang", "zh"])
    assert (refused.exit_code, refused.output) == (
        2,
        f"{wide}：文件为 UTF-16 编码：请另存为 UTF-8\n",
    )
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('id = "wulong-2023"', 'id = "wulong-2023'), encoding="utf-8")
    refused = runner.invoke(args=["policy", "check", str(broken), "--lang", "zh"])
    assert refused.exit_code == 2 and len(refused.output.splitlines()) == 1
    line = text.splitlines().index('id = "wulong-2023"') + 1
    assert refused.output.startswith(f"{broken}：第 {line} 行：TOML 语法错误")


def test_policy_load_is_idempotent(app, ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["policy", "load"])
    assert first.exit_code == 0 and "5 new of 5" in first.output
    again = runner.invoke(args=["policy", "load", str(POLICY_DIR / "wulong-2023.toml")])
    assert again.exit_code == 0 and "0 new of 1" in again.output
    assert db.session.scalar(select(func.count()).select_from(RulebookVersion)) == 5


def test_policy_load_refuses_a_broken_rulebook_in_the_operators_language(app, ctx, tmp_path):
    text = (POLICY_DIR / "wulong-2023.toml").read_text(encoding="utf-8")
    bad = tmp_path / "wulong-2023.toml"
    bad.write_text(text.replace('op = "age_between"', 'op = "aged"', 1), encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "age_between" in row)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["policy", "load", str(bad), "--lang", "zh"])
    assert (refused.exit_code, refused.output) == (
        1,
        f"{bad}：第 {line} 行：规则 traineeship.eligibility.target_group：未知运算符 'aged'\n",
    )
    refused = runner.invoke(args=["policy", "load", str(bad), "--lang", "en"])
    assert refused.output.startswith(f"{bad}:{line}: rule traineeship.eligibility.target_group:")
    assert db.session.scalar(select(func.count()).select_from(RulebookVersion)) == 0


@pytest.mark.parametrize(
    ("args", "zh"),
    [
        (["policy", "check"], "缺少必填参数：FILE"),
        (["policy", "check", "a.toml", "b.toml"], "多余的参数：b.toml"),
        (
            ["policy", "check", "a.toml", "--lang", "fr"],
            "参数 --lang：'fr' 不是可选值（可选：'zh', 'en'）",
        ),
        (["policy", "check", "a.toml", "--strict"], "无法识别的选项：--strict"),
        (["policy", "load", "nope.toml"], "nope.toml：文件不存在"),
    ],
)
def test_policy_usage_errors_are_one_line_in_the_operators_language(app, args, zh):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=args, env={"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert refused.exit_code == 2
    assert refused.output.splitlines() == [f"app {' '.join(args[:2])}：{zh}"]
    if "--lang" in args:
        return  # an explicit --lang (even a wrong one) outranks LANG
    english = runner.invoke(args=args, env={"LANG": "en_GB.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert english.exit_code == 2 and len(english.output.splitlines()) == 1
    assert english.output.startswith(f"app {' '.join(args[:2])}: ")


def test_settle_command_stores_new_lines(app, ctx, enterprise, post_a):
    add_traineeship(SeekerFactory(), post_a, dt.date(2023, 7, 1), 6)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["settle", "--program", enterprise.key, "--month", "2023-08"])
    assert result.exit_code == 0, result.output
    assert "3 new lines, 2700 yuan" in result.output
    assert db.session.scalar(select(func.count()).select_from(SubsidyLine)) == 3
    again = runner.invoke(args=["settle", "--program", str(enterprise.id), "--month", "2023-08"])
    assert "0 new lines" in again.output
    missing = runner.invoke(args=["settle", "--program", "no-such-program", "--month", "2023-08"])
    assert missing.exit_code == 1


def test_settle_command_reports_a_refused_traineeship_in_chinese_and_english(
    app, ctx, enterprise, post_a
):
    """000 § 11 「政策实施期限截至2023年12月31日」, from 2023-01-01: a 2022 start is refused, zh / en."""
    row = add_traineeship(SeekerFactory(), post_a, dt.date(2022, 12, 1), 6)
    result = app.test_cli_runner().invoke(
        args=["settle", "--program", enterprise.key, "--month", "2023-08"]
    )
    assert (
        f"traineeship {row.id}, start: 2022-12-01 不在 见习补贴（每人每月1300元）（000 § 11）的有效期内 / "
        "2022-12-01 is outside the validity of traineeship.enterprise.monthly (000 § 11)"
    ) in result.output


def test_a_rulebook_reusing_a_hiring_subsidy_rule_id_is_refused(ctx, tmp_path):
    from app.services.rulebooks import default_files, load_files
    from matching.rulebook import RulebookError

    load_files(default_files())
    text = (POLICY_DIR / "rongchang-2018.toml").read_text(encoding="utf-8")
    copy = tmp_path / "dazu-2018.toml"
    copy.write_text(
        text.replace('id = "rongchang-2018"', 'id = "dazu-2018"').replace(
            'jurisdiction = "500153"', 'jurisdiction = "500111"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        RulebookError, match=r"hiring\.priority_groups is also in rongchang-2018\.toml"
    ) as err:
        load_files([copy])
    rule_line = text.splitlines().index('id = "hiring.priority_groups"') + 1
    assert err.value.line == rule_line
    stored = db.session.scalar(select(func.count()).select_from(RulebookVersion))
    assert stored == len(default_files())
    renamed = tmp_path / "dazu-2018b.toml"
    renamed.write_text(
        copy.read_text(encoding="utf-8").replace(
            '"hiring.priority_groups"', '"hiring.dazu_priority"'
        ),
        encoding="utf-8",
    )
    assert [item.new for item in load_files([renamed])] == [True]
