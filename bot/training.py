"""Training with a fingerprint: retrain only when training data, domain, config or the spaCy
pipeline changed. Models are stored as models/model-<fingerprint>.tar.gz."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bot import PROJECT_ROOT
from bot.fingerprint import files_digest
from bot.settings import QUIET_ENV, child_environment

MODELS_DIR = PROJECT_ROOT / "models"
KEEP_MODELS = 3

# Everything that changes what `rasa train` produces.
TRAINING_INPUTS = (
    "config.yml",
    "domain.yml",
    "data",
    "bot/components",
    "bot/classifier.py",
    "bot/featurizers.py",
    "bot/spelling.py",
    "bot/rare_words.py",
    "bot/fingerprint.py",
    "bot/sentence_encoder.py",
    "bot/redflags",
    "bot/nlp.py",
    "bot/procedures.py",
    "bot/safety_net.py",
    "bot/topics.py",
    "bot/asks",
    "bot/vocabulary",
)


def _files(root: Path) -> list[Path]:
    files = []
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )
        elif path.is_file():
            files.append(path)
    return files


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    return files_digest(_files(root), root).hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT) -> Path:
    return root / "models" / f"model-{fingerprint(root)}.tar.gz"


def rasa_executable() -> str:
    return str(Path(sys.executable).with_name("rasa"))


def train_command(out: Path, name: str, config: str | Path = "config.yml", force: bool = False,
                  quiet: bool = False) -> list[str]:
    """The one `rasa train` command line: the project's domain and data, ``config``, the model
    written as ``out/name.tar.gz``."""
    cmd = [
        rasa_executable(), "train", "--config", str(config), "--domain", "domain.yml",
        "--data", "data", "--out", str(out), "--fixed-model-name", name,
    ]
    return cmd + (["--force"] if force else []) + (["--quiet"] if quiet else [])


def ensure_model(root: Path = PROJECT_ROOT, force: bool = False, quiet: bool = False,
                 log: Path | None = None) -> Path:
    """Train unless a model for the current inputs exists. Returns the model's path.

    With ``log``, Rasa's output (TensorFlow's and the libraries' warnings, progress bars) goes
    to that file and the terminal only gets this module's progress lines; when training fails,
    the last lines of the log are printed and the ``CalledProcessError`` is raised.
    """
    target = model_path(root)
    if target.exists() and not force:
        return target
    print(f"train: training data, domain or config changed; training {target.name}", flush=True)
    started = time.monotonic()
    env = child_environment(QUIET_ENV)
    cmd = train_command(target.parent, target.name[: -len(".tar.gz")], quiet=quiet)
    if log is None:
        subprocess.run(cmd, cwd=root, env=env, check=True)
    else:
        print(f"train: a few minutes; Rasa's output goes to {log}", flush=True)
        _run_logged(cmd, root, env, log)
    print(f"train: done in {time.monotonic() - started:.0f} s -> {target.relative_to(root)}")
    _prune(target.parent, keep=target)
    return target


def _run_logged(cmd: list[str], root: Path, env: dict[str, str], log: Path) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n")
        handle.flush()
        result = subprocess.run(cmd, cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    if result.returncode:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        print("train: failed; the end of " + str(log) + ":\n" + "\n".join(tail),
              file=sys.stderr, flush=True)
        raise subprocess.CalledProcessError(result.returncode, cmd)


def _prune(folder: Path, keep: Path) -> None:
    models = sorted(folder.glob("model-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [m for m in models if m != keep][KEEP_MODELS - 1 :]:
        old.unlink(missing_ok=True)
