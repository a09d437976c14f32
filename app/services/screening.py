"""Discrimination screening of posting wording (POLICY.md § 4), via matching.screening."""

from functools import lru_cache

from app.models import Posting
from matching.screening import load_lexicon, screen

# The rules the screening lexicon cites, in words an employer understands, with their text.
CLAUSES = {
    "003 § 30": {
        "anchor": "clause-003-30",
        "rule_zh": "招聘信息不得含有民族、种族、性别、宗教信仰等就业歧视内容",
        "rule_en": "Job postings may not discriminate by ethnicity, race, gender or religion",
        "document": "渝人社办〔2022〕209号《关于实施稳就业暨百万大学生筑梦行动的通知》第30条",
        "quote": "纠正发布含有民族、种族、性别、宗教信仰等就业歧视内容的招聘信息，"
        "将存在就业歧视、欺诈等问题的用人单位纳入黑名单。",
    },
    "004 § 四.4": {
        "anchor": "clause-004-4-4",
        "rule_zh": "招聘不得设置城乡、地区、身份、性别、残疾、院校等歧视性门槛",
        "rule_en": "No barriers of urban or rural origin, region, identity, gender, disability or school",
        "document": "荣昌府发〔2018〕2号《荣昌区做好当前和今后一段时期就业创业工作实施方案》四、4",
        "quote": "打破城乡、地区、行业分割和身份、性别、残疾、院校等歧视，促进公平就业。",
    },
}


def where_found(finding: dict, title: str) -> str:
    """``title`` or ``description``: where a finding of ``screen_posting`` lies."""
    return "title" if finding["start"] < len(title) else "description"


@lru_cache(maxsize=1)
def _lexicon():
    return load_lexicon()


def screen_text(text: str) -> dict:
    """Screen text and return a JSON-ready result: flagged, findings, suggested text."""
    result = screen(text, _lexicon())
    return {
        "flagged": result.flagged,
        "findings": [
            {
                "phrase": f.phrase,
                "canonical": f.canonical,
                "category": f.category,
                "source": f.source,
                "start": f.start,
                "end": f.end,
                "explanation_zh": f.explanation_zh,
                "explanation_en": f.explanation_en,
                "suggestion": f.suggestion,
            }
            for f in result.findings
        ],
        "suggested_text": result.suggested_text,
    }


def screen_posting(posting: Posting) -> dict:
    """Screen a posting's title and description together (offsets refer to ``title\\ndescription``)."""
    return screen_text(f"{posting.title}\n{posting.description or ''}")
