"""Print the README's install or test command, exactly as the README writes it.

``.ci/run`` runs these two commands verbatim before anything else, so what a
new user types on a fresh machine is what CI runs first. The README marks each
command's ```bash block with an HTML comment (invisible when rendered)::

    <!-- ci:install -->
    ```bash
    # comment lines are skipped
    python -m pip install ...
    ```

Usage: ``python .ci/readme_commands.py install|test`` prints the block's one
command line; a missing marker, a block without exactly one command, or an
unknown name is exit 2 with one line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
NAMES = ("install", "test")
_BLOCK = re.compile(r"<!-- ci:(\w+) -->\s*\n```bash\n(.*?)\n```", re.DOTALL)


def readme_commands(text: str) -> dict[str, str]:
    """The README's marked commands, ``{name: command line}``.

    Raises ValueError when a name in NAMES has no marked block, is marked
    twice, or its block holds other than one command line.
    """
    found: dict[str, str] = {}
    for name, body in _BLOCK.findall(text):
        lines = [
            line.strip()
            for line in body.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if name in found:
            raise ValueError(f"README.md marks ci:{name} twice")
        if len(lines) != 1:
            raise ValueError(
                f"README.md's ci:{name} block must hold one command line, "
                f"found {len(lines)}: {lines!r}"
            )
        found[name] = lines[0]
    missing = [name for name in NAMES if name not in found]
    if missing:
        raise ValueError(
            f"README.md has no '<!-- ci:{missing[0]} -->' marker before a ```bash block"
        )
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in NAMES:
        print(f"usage: readme_commands.py {'|'.join(NAMES)}", file=sys.stderr)
        return 2
    try:
        print(readme_commands(README.read_text(encoding="utf-8"))[argv[0]])
    except ValueError as exc:
        print(f"readme_commands.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
