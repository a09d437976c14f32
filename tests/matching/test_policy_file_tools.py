"""The file tools (`python -m matching.policy eligible`, `python -m matching.subsidy settle`) never
crash: every input problem is one line naming the file, the spreadsheet line and the column, in
Chinese (English with LANG=en or --lang en), exit status 2, no traceback."""

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WULONG = str(ROOT / "seed" / "policy" / "wulong-2023.toml")
DAZU = str(ROOT / "seed" / "policy" / "dazu-2020.toml")
HEADER_EN = "person_id,birth_date,hukou_district,education,graduation_date,employed"
HEADER_ZH = ["人员编号", "出生日期", "户籍区县代码", "学历", "离校日期", "是否已就业"]
GRADUATE = ["A", "2000-01-01", "500156", "本科", "2023-06-30", "否"]
YOUTH = ["B", "1990-01-01", "500156", "高中", "", "否"]


def run(module: str, *args: str, lang: str = "zh_CN.UTF-8", cwd: Path | None = None):
    """Run a tool as an operator would; return (exit status, stdout, stderr lines)."""
    env = {**os.environ, "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr.splitlines()


def eligible(people: Path, *extra: str, on: str = "2023-11-01", **kw):
    args = ["eligible", "--rulebook", WULONG, "--program", "enterprise", "--on", on]
    return run("matching.policy", *args, "--people", str(people), *extra, **kw)


def one_line(result, *parts: str) -> str:
    code, _out, err = result
    assert code == 2
    assert len(err) == 1, err
    assert all(part in err[0] for part in parts), err[0]
    return err[0]


def csv_text(header: list[str], *rows: list[str], sep: str = ",") -> str:
    return "\n".join(sep.join(cells) for cells in (header, *rows)) + "\n"


@pytest.mark.parametrize(
    ("on", "lang", "expected"),
    [
        ("2023/11/01", "zh_CN.UTF-8", "--on：'2023/11/01' 不是日期"),
        ("31-12-2023", "en", "--on: '31-12-2023' is not a date: write YYYY-MM-DD"),
    ],
)
def test_a_badly_written_date_option_is_one_line(tmp_path, on, lang, expected):
    people = tmp_path / "people.csv"
    people.write_text(csv_text(HEADER_EN.split(","), GRADUATE), encoding="utf-8")
    one_line(eligible(people, on=on, lang=lang), expected)


def test_missing_people_and_rulebook_files(tmp_path):
    one_line(eligible(tmp_path / "nope.csv"), "nope.csv：文件不存在")
    people = tmp_path / "people.csv"
    people.write_text(csv_text(HEADER_EN.split(","), GRADUATE), encoding="utf-8")
    code, out, err = run(
        "matching.policy",
        *("eligible", "--rulebook", "missing.toml", "--program", "public"),
        *("--on", "2023-11-01", "--people", str(people), "--lang", "en"),
    )
    assert (code, out, err) == (2, "", ["missing.toml: file not found"])


def test_json_with_a_syntax_error_names_its_line(tmp_path):
    people = tmp_path / "people.json"
    people.write_text('[\n  {"person_id": "A",}\n]\n', encoding="utf-8")
    one_line(eligible(people), "people.json：第 2 行：JSON 格式错误")


def test_an_excel_workbook_is_refused_in_one_line(tmp_path):
    workbook = tmp_path / "people.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    one_line(eligible(workbook), "people.xlsx：这是 Excel 工作簿而不是文本")


def test_a_json_object_instead_of_a_list_is_refused(tmp_path):
    people = tmp_path / "people.json"
    people.write_text(json.dumps({"person_id": "A"}), encoding="utf-8")
    code, out, err = eligible(people, lang="en")
    assert (code, out) == (2, "")
    assert err == [f"{people}: expected a JSON array [ … ] of objects, got an object"]


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [
        ("utf-16", "\t"),  # Excel's "Unicode text": UTF-16 with BOM, tab-separated
        ("utf-8-sig", ","),  # Excel's "CSV UTF-8"
        ("utf-8-sig", ";"),  # a semicolon list separator
        ("gb18030", ","),  # Excel's CSV on a Chinese Windows
    ],
)
def test_excel_files_with_chinese_headers_are_read(tmp_path, encoding, sep):
    people = tmp_path / "people.csv"
    people.write_text(csv_text(HEADER_ZH, GRADUATE, YOUTH, sep=sep), encoding=encoding)
    if encoding == "utf-16":
        assert people.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    code, out, err = eligible(people)
    assert (code, err) == (0, [])
    assert [(p["person_id"], p["eligible"]) for p in json.loads(out)] == [
        ("A", True),
        ("B", False),
    ]


def test_a_bad_cell_names_the_spreadsheet_line_and_its_header(tmp_path):
    people = tmp_path / "people.csv"
    bad = ["C", "2000-13-01", "500156", "本科", "2023-06-30", "否"]
    people.write_text(csv_text(HEADER_ZH, GRADUATE, bad), encoding="utf-8")
    code, out, err = eligible(people)
    assert code == 2
    assert err == [f"{people}：第 3 行，「出生日期」列：'2000-13-01' 不是日期（YYYY-MM-DD）"]
    rows = json.loads(out)
    assert rows[0]["eligible"] is True and rows[1]["error"]["row"] == 3
    assert eligible(people, lang="en_GB.UTF-8")[2] == [
        f"{people}: line 3, column 出生日期: '2000-13-01' is not a date (YYYY-MM-DD)"
    ]


def test_unknown_and_missing_columns_are_named(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(csv_text([*HEADER_ZH, "姓名"], [*GRADUATE, "王"]), encoding="utf-8")
    one_line(eligible(people), "第 1 行，「姓名」列：列名无法识别", "人员编号、出生日期")
    people.write_text(csv_text(HEADER_ZH[:-1], GRADUATE[:-1]), encoding="utf-8")
    one_line(eligible(people, "--lang", "en"), "line 1, column 是否已就业: required column")


def test_the_template_has_the_headers_the_reader_accepts(tmp_path):
    template = tmp_path / "people.csv"
    code, out, err = run("matching.policy", "eligible", "--template", str(template))
    assert (code, err) == (0, [])
    assert template.read_bytes().startswith(codecs.BOM_UTF8)
    header = template.read_text(encoding="utf-8-sig").strip().split(",")
    assert header[:6] == HEADER_ZH and "失业登记地" in header
    with template.open("a", encoding="utf-8") as handle:
        handle.write(",".join(GRADUATE) + "," * (len(header) - len(GRADUATE)) + "\n")
    code, out, err = eligible(template)
    assert (code, err, json.loads(out)[0]["eligible"]) == (0, [], True)


def test_a_rulebook_without_traineeships_says_so(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(csv_text(HEADER_ZH, GRADUATE), encoding="utf-8")
    code, out, err = run(
        "matching.policy",
        *("eligible", "--rulebook", DAZU, "--program", "enterprise", "--on", "2023-11-01"),
        *("--people", str(people)),
    )
    one_line((code, out, err), "dazu-2020.toml：规则库 dazu-2020 没有", "见习")


TRAINEESHIPS_ZH = [
    "见习人员编号",
    "见习单位编号",
    "见习类别",
    "开始日期",
    "计划月数",
    "见习状态",
    "结束日期",
]


def settle(traineeships: Path, *extra: str, until: str = "2023-12-31", **kw):
    args = ["settle", "--rulebook", WULONG, "--traineeships", str(traineeships)]
    return run("matching.subsidy", *args, "--until", until, *extra, **kw)


def test_settle_reads_chinese_headers_and_labels_and_names_lines(tmp_path):
    path = tmp_path / "t.csv"
    good = ["T1", "H1", "企业", "2023-01-01", "3", "期满留用", ""]
    long = ["T2", "H1", "企业", "2023-01-01", "13", "在岗", ""]
    path.write_text(csv_text(TRAINEESHIPS_ZH, good, long, sep=";"), encoding="utf-8-sig")
    code, out, err = settle(path)
    assert code == 2
    # 001 § 6: 「见习期限为3—12个月」; the Chinese message is Chinese.
    assert err == [
        f"{path}：第 3 行，「计划月数」列：001 § 6：✗ 见习期限：13 个月，要求在 3–12 个月"
    ]
    assert json.loads(out)["total"] == 3 * 1300 + 100 + 3 * 200


@pytest.mark.parametrize(
    ("until", "expected"),
    [("2023/12/31", "--until：'2023/12/31' 不是日期"), ("31-12-2023", "--until：'31-12-2023'")],
)
def test_settle_refuses_bad_until(tmp_path, until, expected):
    path = tmp_path / "t.csv"
    path.write_text(csv_text(TRAINEESHIPS_ZH), encoding="utf-8")
    one_line(settle(path, until=until), expected)


def test_settle_refuses_a_malformed_settled_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(csv_text(TRAINEESHIPS_ZH), encoding="utf-8")
    settled = tmp_path / "settled.json"
    settled.write_text("[{]", encoding="utf-8")
    one_line(settle(path, "--settled", str(settled)), "settled.json：第 1 行：JSON 格式错误")
    line = {"trainee_id": "T1", "host_id": "H1", "month": "2023-01", "kind": "monthly"}
    settled.write_text(json.dumps([{**line, "rate": 1300}]), encoding="utf-8")
    one_line(
        settle(path, "--settled", str(settled), "--lang", "en"),
        "settled.json: item 1, column amount: is required",
    )
    one_line(settle(tmp_path / "none.json"), "none.json：文件不存在")


def test_settle_template(tmp_path):
    template = tmp_path / "t.csv"
    code, _out, err = run("matching.subsidy", "settle", "--template", str(template), "--lang", "en")
    assert (code, err) == (0, [])
    assert template.read_text(encoding="utf-8-sig").strip() == (
        "trainee_id,host_id,program,start,planned_months,outcome,end"
    )


@pytest.mark.parametrize(
    "module, args, lang, expected",
    [
        ("matching.policy", [], "zh_CN.UTF-8", "python -m matching.policy：缺少必填参数：command"),
        (
            "matching.policy",
            ["eligble"],
            "zh_CN.UTF-8",
            "python -m matching.policy：参数 command：'eligble' 不是可选值（可选：'eligible', 'check'）",
        ),
        (
            "matching.policy",
            ["eligible", "--months", "six"],
            "zh_CN.UTF-8",
            "python -m matching.policy eligible：参数 --months：'six' 不是整数",
        ),
        (
            "matching.subsidy",
            ["settle", "--bogus"],
            "zh_CN.UTF-8",
            "python -m matching.subsidy：无法识别的参数：--bogus",
        ),
        (
            "matching.policy",
            ["check", "a.toml", "--lang", "en", "--bogus"],
            "zh_CN.UTF-8",
            "python -m matching.policy: unrecognized arguments: --bogus",
        ),
        (
            "matching.policy",
            ["eligible", "--program", "both", "--lang=en"],
            "zh_CN.UTF-8",
            "python -m matching.policy eligible: argument --program: invalid choice: 'both' "
            "(choose from 'enterprise', 'public')",
        ),
        (
            "matching.subsidy",
            [],
            "en_GB.UTF-8",
            "python -m matching.subsidy: the following arguments are required: command",
        ),
    ],
)
def test_a_usage_error_is_one_line_in_the_operators_language(module, args, lang, expected):
    status, out, err = run(module, *args, lang=lang)
    assert (status, out, err) == (2, "", [expected])


def test_output_cut_short_by_a_closed_pipe_ends_quietly(tmp_path):
    people = tmp_path / "people.csv"
    rows = [f"P{i},2000-01-01,500156,本科,2023-06-30,否" for i in range(5000)]
    people.write_text("\n".join([HEADER_EN, *rows]) + "\n", encoding="utf-8")
    args = ["eligible", "--rulebook", WULONG, "--program", "enterprise", "--on", "2023-11-01"]
    with subprocess.Popen(
        [sys.executable, "-m", "matching.policy", *args, "--people", str(people)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as tool:
        first = tool.stdout.readline()
        tool.stdout.close()  # what `| head -1` does
        err = tool.stderr.read().decode()
        status = tool.wait(timeout=60)
    assert first and "Traceback" not in err and "BrokenPipeError" not in err, err
    assert status == 1
