"""bot/serve.py without starting anything: what the servers are given."""

from __future__ import annotations

from bot.serve import server_environment, services
from bot.settings import DEFAULT_KNOWLEDGE_BASE, Settings


def test_servers_get_one_compute_thread_the_settings_and_the_knowledge_base(tmp_path,
                                                                             monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    monkeypatch.delenv("KNOWLEDGE_BASE", raising=False)
    env = server_environment(Settings(data_dir=tmp_path, rasa_port=5123))
    assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == "1"
    assert env["RASA_PORT"] == "5123" and env["BOT_DATA_DIR"] == str(tmp_path.resolve())
    assert env["KNOWLEDGE_BASE"] == str(DEFAULT_KNOWLEDGE_BASE)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")  # an operator's own choice wins
    assert server_environment(Settings(data_dir=tmp_path))["OMP_NUM_THREADS"] == "4"


def test_one_rasa_process_per_setting_behind_a_router(tmp_path):
    names = [s.name for s in services(Settings(data_dir=tmp_path, rasa_processes=3), tmp_path)]
    assert names == ["action server", "Rasa server 1", "Rasa server 2", "Rasa server 3",
                     "router", "web server"]
    names = [s.name for s in services(Settings(data_dir=tmp_path, rasa_processes=1), tmp_path)]
    assert names == ["action server", "Rasa server", "web server"]
