"""Bigram tokens: what is stored for a text, what a query term needs, and when they decide alone."""

from hypothesis import given
from hypothesis import strategies as st

from matching.text import normalize
from matching.tokens import exact, index_tokens, query_tokens


def test_han_runs_give_bigrams_and_single_characters():
    assert index_tokens("保安员") == sorted(["保安", "安员", "保", "安", "员"])


def test_latin_runs_give_bigrams_only_and_punctuation_separates():
    assert index_tokens("c++ sql") == ["ql", "sq"]
    assert index_tokens(normalize("Ｐｙｔｈｏｎ，护士")) == sorted(
        ["py", "yt", "th", "ho", "on", "护士", "护", "士"]
    )


def test_query_tokens_are_bigrams_or_a_lone_han_character():
    assert query_tokens("护士") == ["护士"]
    assert query_tokens("软件测试") == sorted(["软件", "件测", "测试"])
    assert query_tokens("厨") == ["厨"]
    assert query_tokens("c") == []
    assert query_tokens("c++") == []
    assert query_tokens("c#开发") == ["开发"]


def test_exact_only_for_one_run_of_two_or_a_lone_han_character():
    assert exact("保安") and exact("sq") and exact("厨")
    assert not exact("保安员") and not exact("c") and not exact("c+") and not exact("·保")


_alphabet = st.sampled_from(list("保安员护士软件测试工程师 abcsql+#-·，,。1２ＡＢ"))


@given(st.text(_alphabet, max_size=40), st.data())
def test_a_substring_needs_only_tokens_the_text_has(text, data):
    text = normalize(text)
    start = data.draw(st.integers(0, len(text)))
    term = text[start : data.draw(st.integers(start, len(text)))].strip()
    assert set(query_tokens(term)) <= set(index_tokens(text))


@given(st.text(_alphabet, max_size=40), st.text(_alphabet, min_size=1, max_size=3))
def test_exact_terms_are_decided_by_the_tokens(text, term):
    text, term = normalize(text), normalize(term)
    if term and exact(term):
        assert (set(query_tokens(term)) <= set(index_tokens(text))) == (term in text)
