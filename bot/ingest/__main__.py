"""`python -m bot.ingest` (`make ingest`): see bot/ingest/writer.py."""

import sys

from bot.ingest.writer import main

sys.exit(main())
