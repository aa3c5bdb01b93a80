"""Developer tools beside the bot: the held-out evaluation, the benchmark, the BM25 comparison
system and the code checks. Never imported by the runtime (bot/, actions/): the servers do not
need them, and tools/check_imports.py fails the tests if they ever do."""
