"""Command line: `python -m bot <command>`.

  prepare   bring everything up to date: knowledge base, spaCy pipeline, trained model
  run       prepare, then start the servers and keep them up (Ctrl-C stops them)
  chat      talk to the bot in the terminal (starts it first if it is not running)
  train     retrain now, even if nothing changed
  report    the insights report for clinic staff (python -m bot report --help)
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys

from bot.prepare import prepare


def warnings_to_log() -> None:
    """Python warnings of this process (libraries' deprecation notices) go to var/logs/run.log,
    not the terminal: the terminal is for the project's own progress."""
    from bot.settings import Settings

    log = Settings().log_dir / "run.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    warnings_logger = logging.getLogger("py.warnings")
    warnings_logger.addHandler(handler)
    warnings_logger.propagate = False
    logging.captureWarnings(True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["prepare", "run", "chat", "train", "report"])
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "report":  # its own options (python -m bot report --help)
        from bot.report import main as report

        return report(argv[1:])
    args = parser.parse_args(argv)

    if args.command in ("prepare", "run", "train"):
        warnings_to_log()
    from bot.ingest import IngestError
    from bot.profile import ProfileError

    try:
        if args.command == "prepare":
            prepare()
            return 0
        if args.command == "train":
            prepare(force_train=True)
            return 0
        if args.command == "run":
            from bot.serve import serve_forever
            from bot.settings import Settings

            return serve_forever(Settings(), prepare())
        if args.command == "chat":
            from bot.chat import chat

            return chat()
    except (ProfileError, IngestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"error: training failed (exit {exc.returncode})", file=sys.stderr)
        return 2
    return 0
