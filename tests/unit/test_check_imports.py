"""tools/check_imports.py: the layout's rules hold for the project, and each rule fails when
broken (on a small made-up tree)."""

from __future__ import annotations

from pathlib import Path

from tools import check_imports


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in check_imports.PACKAGES:
        (root / package).mkdir(exist_ok=True)
        (root / package / "__init__.py").touch()
    return root


def test_the_project_follows_its_layout_rules():
    assert list(check_imports.problems()) == []


def test_a_clean_tree_has_no_problems(tmp_path):
    root = _tree(tmp_path, {
        "bot/settings.py": "import os\nPORT = os.environ.get('PORT')\n",
        "bot/a.py": "from bot import settings\n",
        "bot/channels/x.py": "import os\nTOKEN = os.getenv('TOKEN')\n",
        "tools/t.py": "import os\nfrom bot import a\nX = os.environ\n",
        "actions/act.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                          "    from tools import t\n",
    })
    assert list(check_imports.problems(root)) == []


def test_each_rule_fails_when_broken(tmp_path):
    root = _tree(tmp_path, {
        "bot/a.py": "def f():\n    from bot import b\n",  # a cycle hidden in a function
        "bot/b.py": "import bot.a\n",
        "bot/c.py": "from tools.t import helper\n",
        "bot/d.py": "from os import environ\n",
        "bot/e.py": "x = 1\n" * 501,
        "tools/t.py": "def helper():\n    pass\n",
    })
    found = list(check_imports.problems(root))
    assert "import cycle: bot.a <-> bot.b" in found
    assert any("bot/c.py: the runtime imports the developer tool tools.t" in p for p in found)
    assert any(p.startswith("bot/d.py: reads environment variables") for p in found)
    assert any(p.startswith("bot/e.py: 501 lines") for p in found)
    assert len(found) == 4
