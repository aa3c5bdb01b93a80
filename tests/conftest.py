"""Shared fixtures: the real servers, started once per test session on free ports."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from tests.support.servers import RestClient, free_port


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model for the current training data (trained only when stale)."""
    from bot import nlp, training

    nlp.ensure_pipeline()
    return training.ensure_model(quiet=True)


@pytest.fixture(scope="session")
def bot_servers(trained_model, tmp_path_factory) -> Settings:
    """The real action server and Rasa server, talking over HTTP, for the whole session."""
    from bot.serve import running

    settings = Settings(
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        data_dir=tmp_path_factory.mktemp("bot-data"),
    )
    with running(settings, trained_model):
        yield settings


@pytest.fixture(scope="session")
def rest(bot_servers) -> RestClient:
    return RestClient(f"http://127.0.0.1:{bot_servers.rasa_port}/webhooks/rest/webhook")
