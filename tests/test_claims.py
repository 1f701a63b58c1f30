# ruff: noqa: RUF001, RUF003 -- the pages write × and – and the patterns match them
"""The speed and memory figures of README.md and docs/ are the recorded run's.

``python benchmarks/run.py --out docs/performance.md`` writes the recorded run
between the ``benchmark-results`` markers of docs/performance.md: its tables
and its "Targets" lines. Every figure the README and the "Reading the results"
part of that page quote is checked here against that block, rounded as the
text rounds it; a ratio written in those texts that no claim below covers
fails too, so a new figure cannot be added without its source. After a new
recorded run, this test names every sentence that must change.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE = ROOT / "docs" / "performance.md"
START, END = "<!-- benchmark-results:start -->", "<!-- benchmark-results:end -->"


def _read(page: str) -> str:
    """The page with every run of whitespace as one space (line breaks ignored)."""
    return re.sub(r"\s+", " ", (ROOT / page).read_text(encoding="utf-8"))


def _recorded_block() -> str:
    text = PERFORMANCE.read_text(encoding="utf-8")
    return text[text.index(START) + len(START) : text.index(END)]


def _targets() -> dict[str, float]:
    """``{name: value}`` of the block's "Targets" lines."""
    pattern = re.compile(r"^- (.+?): (-?[\d.e+-]+) \(target [^)]*\) (?:met|MISSED)$")
    return {
        m.group(1): float(m.group(2))
        for m in map(pattern.match, _recorded_block().splitlines())
        if m
    }


def _tables() -> dict[str, list[list[dict[str, str]]]]:
    """``{section number: [table, ...]}``, a table being its rows as dicts."""
    tables: dict[str, list[list[dict[str, str]]]] = {}
    section, rows, header = None, None, None
    for line in [*_recorded_block().splitlines(), ""]:
        heading = re.match(r"^### (\d+)\.", line)
        if heading:
            section = heading.group(1)
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if header is None:  # a repeated column name gets " 2", " 3", ...
                header = [
                    f"{c} {cells[:i].count(c) + 1}" if c in cells[:i] else c
                    for i, c in enumerate(cells)
                ]
                rows = []
            elif not set("".join(cells)) <= set("-: "):
                rows.append(dict(zip(header, cells, strict=True)))
        elif header is not None:
            tables.setdefault(section, []).append(rows)
            header = rows = None
    return tables


def _number(cell: str) -> float:
    """The leading number of a table cell (``'6.31 s (50 x 4)'`` -> 6.31)."""
    return float(re.match(r"[-+]?[\d.]+", cell).group(0))


def sig(value: float, digits: int = 2) -> str:
    """``value`` to ``digits`` significant digits, as the texts write it."""
    return f"{float(f'{value:.{digits}g}'):g}"


def pct(value: float, digits: int = 2) -> str:
    """A relative gain as a percentage, to ``digits`` significant digits."""
    return sig(100 * value, digits)


@dataclass(frozen=True)
class Claim:
    """A sentence of ``page`` (``pattern``, one group per figure) and its source."""

    page: str
    pattern: str
    expected: Callable[[dict, dict], tuple[str, ...]]


def _col(tables, section, column, key_column, key, table=0):
    rows = tables[section][table]
    return _number(next(r[column] for r in rows if r[key_column] == key))


def targets(*names: str, digits: int = 2):
    """The claim's figures are these "Targets" lines, rounded as the text does."""
    return lambda t, _: tuple(sig(t[name], digits) for name in names)


def span(section: str, columns: tuple[str, ...], digits: int = 2, skip: int = 0):
    """The claim quotes "lo-hi": the range of ``columns`` over the rows (after
    ``skip`` of them) of the section's first table."""

    def expected(_, tables):
        rows = tables[section][0][skip:]
        values = [_number(r[c]) for r in rows for c in columns]
        return sig(min(values), digits), sig(max(values), digits)

    return expected


def cell(section, column, key_column, key, digits=2, table=0):
    """The claim's figure is one table cell, found by its row's ``key``."""
    return lambda _, tables: (
        sig(_col(tables, section, column, key_column, key, table), digits),
    )


# figures quoted on more than one page
FIT = targets("fit ours/TTCV at n=1e5", "fit ours/TTCV at n=1e6")
SEARCH = targets(*(f"search ours/argsort at n={n}" for n in ("1e5", "1e6", "1e7")))
TTCV_SEARCH = span("2", ("TTCV / ours",))
PEAK = targets("search peak / score bytes at n=1e7")


def _bootstrap_1e6(_, tables):
    """Section 7's two 200-resample ratios at n = 1e6, both score kinds."""
    rows = [r for r in tables["7"][0] if r["n"] == "1e6"]
    values = [_number(r[c]) for r in rows for c in ("ratio", "ratio 2")]
    return sig(min(values), 3), sig(max(values), 3)


def _dask(_, tables):
    rows = tables["11"][0]
    ranges = next(r for r in rows if r["finish"] == "score ranges")
    peak = next(v for k, v in ranges.items() if k.startswith("worker RSS"))
    return (
        sig(_col(tables, "11", "client growth", "finish", "score ranges"), 1),
        sig(_col(tables, "11", "client growth", "finish", "one table"), 3),
        peak.split()[-1],
        sig(_col(tables, "11", "dask / in-memory", "finish", "score ranges")),
    )


T = "README.md"
P = "docs/performance.md"
CLAIMS = [
    # --- README's "Faster." and "Exact instead of a grid." bullets
    Claim(
        T, r"A whole `fit` takes ([\d.]+)× \(n = 1e5\) and ([\d.]+)× \(n = 1e6\)", FIT
    ),
    Claim(
        T,
        r"the search alone takes ([\d.]+)× \(n = 1e5\), ([\d.]+)× \(n = 1e6\) and "
        r"([\d.]+)× \(n = 1e7\)",
        SEARCH,
    ),
    Claim(
        T,
        r"`np.argsort` of the scores,\s+and is (\d+)–(\d+)× faster than its grid search",
        TTCV_SEARCH,
    ),
    Claim(
        T,
        r"\(\+([\d.]+) % on a FN = 50 × FP cost at 1 % positives, \+([\d.]+) % "
        r"Youden's J at 0\.1 %\)",
        lambda t, _: (
            pct(t["quality ours vs TTCV, cost FN=50xFP at 1.0% (relative gain)"]),
            pct(t["quality ours vs TTCV, youden at 0.1% (relative gain)"]),
        ),
    ),
    # --- docs/performance.md, "Reading the results"
    Claim(P, r"\*\*Fit, ours vs TTCV: ([\d.]+)x at 1e5 and ([\d.]+)x at 1e6\*\*", FIT),
    Claim(
        P,
        r"held-out `predict_proba`: ([\d.]+)x at 1e5\s+and ([\d.]+)x at 1e6\*\*",
        targets(
            "fit ours/(plain+predict) at n=1e5",
            "fit ours/(plain+predict) at n=1e6",
            digits=3,
        ),
    ),
    Claim(
        P,
        r"\(target 1\.05x; ([\d.]+)x at 1e4,",
        cell("1", "ours / (plain + predict)", "n", "1e4", digits=3),
    ),
    Claim(
        P,
        r"the plain fits alone .*? ours is ([\d.]+)-([\d.]+)x",
        span("1", ("ours / plain",), digits=3, skip=1),
    ),
    Claim(
        P,
        r"\*\*Search alone: ([\d.]+)x / ([\d.]+)x / ([\d.]+)x `np.argsort`\*\*",
        SEARCH,
    ),
    Claim(P, r"\*\*(\d+)-(\d+)x faster than TTCV's search\*\*", TTCV_SEARCH),
    Claim(P, r"peak memory at\s+1e7 \*\*([\d.]+)x the score array\*\*", PEAK),
    Claim(
        P,
        r"\*\*`refit=False`:\*\* ([\d.]+)x the fit time",
        targets("refit=False / refit=True fit time"),
    ),
    Claim(
        P,
        r"at the price of ([\d.]+)x the predict time",
        cell("5", "predict time False/True", "n", "4000"),
    ),
    Claim(
        P,
        r"\*\*Gray zone: ([\d.]+)x / ([\d.]+)x argsort\*\*",
        targets("gray zone ours/argsort at n=1e6", "gray zone ours/argsort at n=1e7"),
    ),
    Claim(
        P,
        r"memory ([\d.]+)x the scores \(target 12x\)",
        targets("gray zone (min abstention) peak / score bytes at n=1e7"),
    ),
    Claim(
        P,
        r"`max_abstention` \*\*([\d.]+)x / ([\d.]+)x",
        targets(
            "gray zone (max_abstention=0.8) ours/argsort at n=1e6",
            "gray zone (max_abstention=0.8) ours/argsort at n=1e7",
        ),
    ),
    Claim(
        P,
        r"Memory with `max_abstention`: ([\d.]+)x",
        targets("gray zone (max_abstention) peak / score bytes at n=1e7"),
    ),
    Claim(
        P,
        r"\*\*Bootstrap: 200 resamples cost (\d+)-(\d+)x one `find_threshold` at 1e6",
        _bootstrap_1e6,
    ),
    Claim(P, r"a floor near (\d+)x", cell("7", "x 200", "part", "floor", table=1)),
    Claim(
        P,
        r"costs\s+([\d.]+)x one-vs-rest tuning with a forest",
        targets("forest: fit time ours / OvR(TTCV)"),
    ),
    Claim(
        P,
        r"recall spread to ([\d.]+)x argmax's",
        targets("spread learned / spread argmax"),
    ),
    Claim(
        P,
        r"\*\*Command line: ([\d.]+)-([\d.]+)x the time of",
        span("10", ("time ratio",), digits=3),
    ),
    Claim(
        P,
        r"peak RSS ([\d.]+)-([\d.]+)x the pandas pipeline's",
        span("10", ("RSS ratio",)),
    ),
    Claim(
        P,
        r"with score ranges the client grows by (\d+) MiB \(one merged table:\s+"
        r"(\d+) MiB\) and each worker peaks at ([\d.]+) GB; ([\d.]+)x the in-memory",
        _dask,
    ),
    # --- other pages
    Claim(
        "docs/architecture.md",
        r"peak memory ([\d.]+)× the score array at 1e7 \(recorded run",
        PEAK,
    ),
    Claim(
        "docs/changelog.md",
        r"peak memory ([\d.]+)x the score array at 1e7 \(the recorded run",
        PEAK,
    ),
    Claim(
        "docs/user_guide/diagnostics.md",
        r"200 resamples cost about (\d+)x one `find_threshold` at n = 1e5",
        cell("7", "ratio", "scores", "continuous"),
    ),
]


@pytest.fixture(scope="module")
def recorded():
    return _targets(), _tables()


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: f"{c.page}:{c.pattern[:40]}")
def test_a_quoted_figure_is_the_recorded_runs(claim, recorded):
    match = re.search(claim.pattern, _read(claim.page))
    assert match, f"{claim.page} no longer says {claim.pattern!r}"
    expected = claim.expected(*recorded)
    assert match.groups() == expected, (
        f"{claim.page}: {match.group(0)!r} quotes {match.groups()}, the recorded "
        f"run in docs/performance.md gives {expected}"
    )


# measured ratios like "0.13×" / "2.1x" (a figure directly followed by x or ×);
# a target ("target 2x", "the 0.5x target") is not a measurement
_RATIO = re.compile(r"(?<![\d.])(?<!target )\d+(?:\.\d+)?[x×](?!\w)(?! target)")


def _pages() -> list[str]:
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in pages
        if not {"_build", "auto_examples", "generated"} & set(p.parts)
    )


@pytest.mark.parametrize("page", _pages())
def test_every_quoted_ratio_has_its_source(page):
    text = _read(page)
    if page == "docs/performance.md":  # the recorded block itself is the source
        text = text[: text.index(START)] + text[text.index(END) :]
    covered = [
        m.span() for c in CLAIMS if c.page == page for m in re.finditer(c.pattern, text)
    ]
    unsourced = [
        m.group(0)
        for m in _RATIO.finditer(text)
        if not any(a <= m.start() < b for a, b in covered)
    ]
    assert not unsourced, (
        f"{page} quotes ratios no claim in tests/test_claims.py ties to the "
        f"recorded run: {unsourced}"
    )


def test_the_recorded_block_parses():
    targets, tables = _targets(), _tables()
    assert len(targets) >= 30
    assert set(tables) >= {str(i) for i in range(1, 12)}
