from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from matching.index import SeekerIndex, TextEncoder, ngram_keys
from matching.profiles import PostingProfile, SeekerProfile
from matching.ranker import Ranker
from matching.text import normalize

TEXTS = [
    "软件测试工程师 Python 自动化测试",
    "川菜厨师 火锅 炒菜",
    "仓库管理员 出入库 盘点 叉车",
    "会计 出纳 做账 Excel",
    "nurse 护士 临床护理",
    "电焊工 氩弧焊 焊接",
    "前端开发 Vue React JavaScript",
    "保安 门卫 巡逻",
]


def seekers(texts: list[str], prefix: str = "s") -> list[SeekerProfile]:
    return [
        SeekerProfile(id=f"{prefix}{i}", text=t, district="500101", skills=["excel"])
        for i, t in enumerate(texts)
    ]


def test_text_search_finds_the_closest() -> None:
    index = SeekerIndex.build(seekers(TEXTS))
    assert index.search_text("Python 测试", 1)[0][0] == "s0"
    assert index.search_text("焊接 电焊", 1)[0][0] == "s5"


def test_encoder_prunes_ngrams_only_in_large_corpora() -> None:
    small = TextEncoder().fit(["同一 文本"] * 5)
    assert small.idf_[small.transform(["同一"]).indices].min() > 0
    big = TextEncoder(min_prune=10).fit(["同一 文本"] * 50)
    assert big.transform(["同一"]).nnz == 0


def test_incremental_updates_equal_a_rebuild() -> None:
    first = seekers(TEXTS)
    encoder = TextEncoder().fit(TEXTS)
    index = SeekerIndex.build(first, encoder=encoder)
    index.max_segments = 3
    changed = SeekerProfile(id="s1", text="软件测试 Python 接口测试", district="500156")
    index.add(changed)
    added = seekers(["Python 测试开发", "厨师 面点", "护士 护理"], prefix="n")
    for profile in added:
        index.add(profile)
    index.remove("s3")
    expected = [p for p in first if p.id not in {"s1", "s3"}] + [changed, *added]
    rebuilt = SeekerIndex.build(expected, encoder=encoder)
    assert len(index) == len(rebuilt) == len(expected)
    assert index.get("s1") is changed
    assert len(index.segments) <= 3
    for query in ["Python 测试", "护士", "厨师 火锅", "出纳"]:
        assert index.search_text(query, 5) == rebuilt.search_text(query, 5)
    posting = PostingProfile(id="p", title="测试工程师", text="Python", district="500156")
    ranker = Ranker()
    got = ranker.rank_seekers_for_posting(posting, index, 6)
    want = ranker.rank_seekers_for_posting(posting, rebuilt, 6)
    assert [r.id for r in got] == [r.id for r in want]
    np.testing.assert_allclose([r.score for r in got], [r.score for r in want], rtol=1e-5)
    index.compact()
    assert len(index.segments) == 1
    assert index.search_text("Python 测试", 5) == rebuilt.search_text("Python 测试", 5)


def test_ngram_keys_are_the_char_wb_ngrams() -> None:
    texts = ["软件测试 Python  自动化", "", "a b", "Ｅｘｃｅｌ 表格", "x"]
    analyzer = CountVectorizer(analyzer="char_wb", ngram_range=(2, 3), preprocessor=normalize)
    doc, keys = ngram_keys(texts)
    mask = (1 << 21) - 1
    for n, text in enumerate(texts):
        got = []
        for key in keys[doc == n].tolist():
            chars = [key >> 42 & mask, key >> 21 & mask, key & mask]
            got.append("".join(map(chr, chars[1:] if key >> 63 else chars)))
        assert Counter(got) == Counter(analyzer.build_analyzer()(text))


def test_an_empty_index_ranks_nothing_and_can_grow():
    index = SeekerIndex.build([])
    posting = PostingProfile(id="p", title="软件测试")
    assert Ranker().rank_seekers_for_posting(posting, index, 5) == []
    index.add(SeekerProfile(id="s", text="软件测试 Python"))
    assert [r.id for r in Ranker().rank_seekers_for_posting(posting, index, 5)] == ["s"]
