"""``flask occupations train-encoder`` fine-tunes the encoder; the app's coder blends it in when the file is there."""

import logging

import pytest

from app.services import bridge
from tests.factories import PostingFactory
from tests.web.conftest import login

pytest.importorskip("torch", reason="the encoder extra is not installed")
pytestmark = pytest.mark.encoder


@pytest.fixture
def encoder_path(app, monkeypatch, tmp_path):
    path = tmp_path / "occupation_encoder.pt"
    monkeypatch.setitem(app.config, "OCCUPATION_ENCODER_PATH", str(path))
    return path


def test_train_encoder_saves_a_model_the_coder_then_uses(app, client, office_user, encoder_path):
    PostingFactory(
        title="山地自行车领骑员", occupation_code="4-14-05-01", occupation_source="office"
    )
    assert bridge.occupation_coder().encoder_ is None
    login(client, office_user)
    assert "职业代码目前只由字符模型给出" in client.get("/office/occupations").get_data(
        as_text=True
    )

    result = app.test_cli_runner().invoke(
        args=["occupations", "train-encoder", "--epochs", "1", "--sample", "24"]
    )

    assert result.exit_code == 0, result.output
    assert "encoder trained on 24 rows (1 office checks)" in result.output
    assert encoder_path.exists()
    coder = bridge.occupation_coder()
    assert coder.encoder_ is not None and coder.encoder_.rows == 24
    assert bridge.code_titles(["软件测试员"])[0].count("-") == 3
    page = client.get("/office/occupations").get_data(as_text=True)
    assert "职业代码由字符模型和微调的多语言编码器给出（编码器训练于 " in page


def test_a_file_that_is_not_an_encoder_is_logged_and_left_out(ctx, encoder_path, caplog):
    encoder_path.write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING):
        coder = bridge.occupation_coder()
    assert coder.encoder_ is None
    assert f"occupation encoder {encoder_path} not used" in caplog.text
    assert bridge.code_titles(["保安"])[0].startswith("4-")


def test_train_encoder_needs_a_place_to_save(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "OCCUPATION_ENCODER_PATH", "")
    result = app.test_cli_runner().invoke(args=["occupations", "train-encoder"])
    assert result.exit_code == 1
    assert "OCCUPATION_ENCODER_PATH is not set" in result.output
