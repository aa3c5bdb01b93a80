"""Quiet start: the terminal gets the project's own progress; Rasa's training output (TensorFlow,
CUDA, progress bars) and libraries' deprecation notices go to the log files. The whole of
`python -m bot run` is checked in test_serve.py."""

from __future__ import annotations

import logging
import subprocess
import warnings

import pytest

from bot import training

CONFIG = """\
recipe: default.v1
language: en
assistant_id: quiet-start-test
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: LogisticRegressionClassifier
policies:
  - name: RulePolicy
"""
DOMAIN = """\
version: "3.1"
intents: [greet, goodbye]
responses:
  utter_greet: [{text: "Hello"}]
  utter_goodbye: [{text: "Bye"}]
"""
NLU = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi
    - good morning
- intent: goodbye
  examples: |
    - bye
    - goodbye
    - see you
rules:
- rule: greet
  steps: [{intent: greet}, {action: utter_greet}]
- rule: goodbye
  steps: [{intent: goodbye}, {action: utter_goodbye}]
"""
NOISE = ("tensorflow", "cuda", "onednn", "warning", "deprecat", "epochs", "traceback")


def tiny_project(root, config=CONFIG):
    (root / "data").mkdir(parents=True)
    (root / "config.yml").write_text(config)
    (root / "domain.yml").write_text(DOMAIN)
    (root / "data" / "nlu.yml").write_text(NLU)
    return root


@pytest.fixture(autouse=True)
def own_training_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))


def test_training_output_goes_to_the_log_not_the_terminal(tmp_path, capfd):
    project = tiny_project(tmp_path / "project")
    log = tmp_path / "logs" / "train.log"
    model = training.ensure_model(project, log=log)
    assert model.is_file()
    out, err = capfd.readouterr()
    terminal = out + err
    assert all(line.startswith("train: ") for line in terminal.splitlines()), terminal
    assert not any(word in terminal.lower() for word in NOISE), terminal
    assert f"Rasa's output goes to {log}" in out
    assert "Your Rasa model is trained" in log.read_text()


def test_failed_training_shows_the_end_of_the_log(tmp_path, capfd):
    project = tiny_project(tmp_path / "project", config=CONFIG.replace("Logistic", "NoSuch"))
    log = tmp_path / "logs" / "train.log"
    with pytest.raises(subprocess.CalledProcessError):
        training.ensure_model(project, log=log)
    _out, err = capfd.readouterr()
    assert f"train: failed; the end of {log}:" in err
    assert "NoSuchRegressionClassifier" in err  # Rasa's reason, from the log


def test_warnings_of_the_launcher_go_to_run_log(tmp_path, monkeypatch, capfd):
    from bot.cli import warnings_to_log

    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    logger = logging.getLogger("py.warnings")
    handlers, propagate = list(logger.handlers), logger.propagate
    try:
        warnings_to_log()
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("old_api() is deprecated", DeprecationWarning, stacklevel=1)
    finally:
        logging.captureWarnings(False)
        for handler in logger.handlers[len(handlers):]:
            handler.close()
        logger.handlers[:], logger.propagate = handlers, propagate
    out, err = capfd.readouterr()
    assert "deprecated" not in out + err
    assert "old_api() is deprecated" in (tmp_path / "logs" / "run.log").read_text()
