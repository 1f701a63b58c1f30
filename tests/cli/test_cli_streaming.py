"""The ``cutoff`` command's streamed CSV reader (pyarrow): results equal the
library's on the same data whatever the batch boundaries, compressed input,
errors named by their data row in later batches, and the progress line."""

import gzip
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from sklearn_balanced import find_gray_zone, find_threshold
from sklearn_balanced.cli import main

pa = pytest.importorskip("pyarrow")

PROGRAM = [sys.executable, "-m", "sklearn_balanced"]


def one_line_error(proc, *fragments):
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def cli(capsys, monkeypatch):
    class Done:
        pass

    def call(*argv, stdin=None):
        if stdin is not None:
            import io

            monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        done = Done()
        done.returncode = main([str(a) for a in argv])
        done.stdout, done.stderr = capsys.readouterr()
        return done

    return call


@pytest.fixture
def small_batches(monkeypatch):
    """Blocks of 200 bytes (about ten rows) and a buffer of 7 rows: many
    batches and merges, ties across their boundaries."""
    monkeypatch.setattr("sklearn_balanced.cli._reading.BLOCK_BYTES", 200)
    monkeypatch.setattr("sklearn_balanced.cli._tables.BUFFER_ROWS", 7)


def write_csv(path, y, score, weight=None, compress=None):
    header = "y,p" + (",w" if weight is not None else "") + ",other\n"
    rows = []
    y, score = np.asarray(y).tolist(), np.asarray(score).tolist()
    weight = None if weight is None else np.asarray(weight).tolist()
    for i, (a, b) in enumerate(zip(y, score, strict=True)):
        row = f"{a},{b!r}"
        if weight is not None:
            row += f",{weight[i]!r}"
        rows.append(row + f",x{i}\n")
    data = (header + "".join(rows)).encode()
    if compress == "gzip":
        data = gzip.compress(data)
    elif compress is not None:
        buf = pa.BufferOutputStream()
        with pa.CompressedOutputStream(buf, compress) as out:
            out.write(data)
        data = buf.getvalue().to_pybytes()
    path.write_bytes(data)
    return path


def data(seed, n=300, shift=1.0):
    rng = np.random.default_rng(seed)
    y = np.where(rng.random(n) < 0.35, "sick", "healthy")
    # few distinct scores: ties across batch boundaries
    score = np.round(rng.normal(size=n) + shift * (y == "sick"), 1)
    weight = rng.choice([0.0, 0.5, 1.0, 3.0], size=n)  # sums exact in float64
    return y, score, weight


@pytest.fixture(params=["tables", "rows", "rows in ranges"])
def counting(request, monkeypatch):
    """Counted into tables of distinct scores, or (without weights) switched to
    rows kept as they are after the first buffer, searched in one score range
    or (``sorted_ranges_result``) in about 20."""
    if request.param.startswith("rows"):
        monkeypatch.setattr("sklearn_balanced.cli._tables.RAW_ROWS", 1)
        monkeypatch.setattr("sklearn_balanced.cli._tables.RAW_SHARE", 0.0)
    if request.param == "rows in ranges":
        monkeypatch.setattr("sklearn_balanced.engine._sorted_ranges.RANGE_ROWS", 16)
    return request.param


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("objective", ["balanced", "f1", "youden"])
def test_streamed_equals_find_threshold(
    cli, tmp_path, small_batches, counting, seed, weighted, objective
):
    y, score, weight = data(seed)
    path = write_csv(tmp_path / "s.csv", y, score, weight)
    extra = ["--weight", "w"] if weighted else []
    proc = cli("cutoff", path, "--label", "y", "--score", "p", "--pos-label", "sick",
               "--objective", objective, "--json", *extra)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    ref = find_threshold(
        y, score, objective=objective, pos_label="sick",
        sample_weight=weight if weighted else None,
    )  # fmt: skip
    assert got["threshold"] == ref.threshold
    assert got["score"] == ref.score
    assert (got["n_samples"], got["n_pos"]) == (len(y), int((y == "sick").sum()))
    assert got["report"]["tp"] == ref.tp and got["report"]["fp"] == ref.fp


def test_streamed_equals_whole_file_reading(cli, tmp_path, monkeypatch):
    # the same payload, streamed in small batches or read in one
    y, score, weight = data(7, n=500)
    path = write_csv(tmp_path / "s.csv", y, score, weight)
    argv = ["cutoff", path, "--label", "y", "--score", "p", "--weight", "w", "--json",
            "--pos-label", "sick"]  # fmt: skip
    whole = json.loads(cli(*argv).stdout)
    monkeypatch.setattr("sklearn_balanced.cli._reading.BLOCK_BYTES", 128)
    monkeypatch.setattr("sklearn_balanced.cli._tables.BUFFER_ROWS", 3)
    assert json.loads(cli(*argv).stdout) == whole


@pytest.mark.parametrize("extra", [(), ("--max-abstention", "0.2")])
def test_streamed_gray_zone_and_bootstrap_equal_the_library(
    cli, tmp_path, small_batches, extra
):
    from sklearn_balanced import bootstrap_threshold

    y, score, _ = data(3, shift=4.0)
    path = write_csv(tmp_path / "s.csv", y, score)
    base = ["cutoff", path, "--label", "y", "--score", "p", "--json", "--pos-label",
            "sick"]  # fmt: skip
    proc = cli(*base, "--gray-zone", *extra)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)["gray_zone"]
    zone = find_gray_zone(
        y, score, min_sensitivity=0.95, min_specificity=0.95,
        max_abstention=0.2 if extra else None, pos_label="sick",
    )  # fmt: skip
    assert (got["lower_threshold"], got["upper_threshold"]) == (
        zone.lower_threshold,
        zone.upper_threshold,
    )
    got = json.loads(cli(*base, "--bootstrap", "40").stdout)["bootstrap"]
    boot = bootstrap_threshold(y, score, n_bootstrap=40, random_state=0,
                               pos_label="sick")  # fmt: skip
    assert (got["low"], got["high"]) == tuple(boot.ci)


@pytest.mark.parametrize("compress", ["gzip", "zstd", "bz2"])
def test_compressed_csv(cli, tmp_path, small_batches, compress):
    y, score, _ = data(1)
    plain = json.loads(
        cli("cutoff", write_csv(tmp_path / "s.csv", y, score), "--label", "y",
            "--score", "p", "--json", "--pos-label", "sick").stdout
    )  # fmt: skip
    suffix = {"gzip": ".gz", "zstd": ".zst", "bz2": ".bz2"}[compress]
    for name in (f"s.csv{suffix}", "no_extension"):  # by extension, by magic bytes
        path = write_csv(tmp_path / name, y, score, compress=compress)
        proc = cli("cutoff", path, "--label", "y", "--score", "p", "--json",
                   "--pos-label", "sick")  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        got = json.loads(proc.stdout)
        assert got["threshold"] == plain["threshold"] and got["file"] == str(path)
    # standard input, recognised by its first bytes
    proc = cli("cutoff", "-", "--label", "y", "--score", "p", "--json",
               "--pos-label", "sick", stdin=path.read_bytes())  # fmt: skip
    assert json.loads(proc.stdout)["threshold"] == plain["threshold"]


@pytest.mark.parametrize("compress", ["gzip", "zstd", "bz2"])
def test_a_cut_or_damaged_compressed_file_cannot_be_decompressed(
    cli, tmp_path, compress
):
    # pyarrow's decompressor raises OSError without an errno: it was reported
    # as "cannot read it", as a failing disk would be
    y, score, _ = data(1, n=3000)
    packed = write_csv(tmp_path / "s.csv", y, score, compress=compress).read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(packed[: len(packed) // 2])
    one_line_error(
        cli("cutoff", cut, "--label", "y", "--score", "p"),
        f"{cut}: cannot decompress it (",
    )
    proc = cli("cutoff", "-", "--label", "y", "--score", "p", stdin=cut.read_bytes())
    one_line_error(proc, "standard input: cannot decompress it (")
    if compress == "gzip":  # a damaged byte: gzip's CRC tells
        damaged = bytearray(packed)
        damaged[len(packed) // 2] ^= 0xFF
        cut.write_bytes(bytes(damaged))
        one_line_error(
            cli("cutoff", cut, "--label", "y", "--score", "p"),
            f"{cut}: cannot decompress it (",
        )


def test_compressed_csv_errors(cli, tmp_path):
    y, score, _ = data(1)
    plain = write_csv(tmp_path / "s.csv", y, score)
    named = tmp_path / "plain.csv.gz"
    named.write_bytes(plain.read_bytes())
    one_line_error(
        cli("cutoff", named, "--label", "y", "--score", "p"),
        "named like a gzip file but it does not start like one",
    )
    packed = write_csv(tmp_path / "s.csv.gz", y, score, compress="gzip")
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(packed.read_bytes()[:200])
    one_line_error(cli("cutoff", cut, "--label", "y", "--score", "p"), str(cut))
    # a NUL byte inside the compressed text: the line and byte of the text
    nul = tmp_path / "nul.csv.gz"
    nul.write_bytes(gzip.compress(b"y,p\n0,0.1\n1,0.2\n0,\x000.3\n"))
    one_line_error(
        cli("cutoff", nul, "--label", "y", "--score", "p"),
        "line 4: a NUL byte at byte 19",
    )


def later_file(tmp_path, row, label="1", score="0.5", weight="1"):
    """100 data rows; data row ``row`` holds the given cells."""
    lines = ["y,p,w"]
    for i in range(1, 101):
        cells = (label, score, weight) if i == row else (str(i % 2), f"0.{i:03d}", "1")
        lines.append(",".join(cells))
    path = tmp_path / "late.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("cells", "extra", "fragments"),
    [
        ({"score": "abc"}, (), ("--score 'p'", "data row 73", "'abc', not a number")),
        ({"score": ""}, (), ("--score 'p'", "data row 73", "is empty")),
        ({"score": "-inf"}, (), ("data row 73", "'-inf', NaN or infinite")),
        ({"score": "1e999"}, (), ("data row 73", "too large for a 64-bit float")),
        ({"label": "NA"}, (), ("--label 'y'", "data row 73", "'NA', a missing value")),
        ({"label": "2"}, (), ("exactly two distinct labels", "found 3",
                              "in the first")),
        ({"weight": "-2"}, ("--weight", "w"), ("--weight 'w'", "data row 73",
                                               "weights must be >= 0")),
        ({"weight": "1e-400"}, ("--weight", "w"), ("data row 73",
                                                   "which would drop the row")),
        ({"weight": "1e-310"}, ("--weight", "w"), ("data row 73",
                                                   "it becomes 1e-310")),
    ],
)  # fmt: skip
def test_errors_in_a_later_batch_name_the_data_row(
    cli, tmp_path, small_batches, cells, extra, fragments
):
    path = later_file(tmp_path, 73, **cells)
    one_line_error(cli("cutoff", path, "--label", "y", "--score", "p", *extra),
                   *fragments)  # fmt: skip


def test_byte_errors_in_a_later_batch_name_line_and_byte(cli, tmp_path, small_batches):
    path = later_file(tmp_path, 73)
    lines = path.read_bytes().split(b"\n")  # lines[73] is data row 73, line 74
    for bad, fragment in (
        (b"\x00", "line 74: a NUL byte at byte"),
        (b"\xff", "line 74: not UTF-8 text (invalid start byte 0xff at byte"),
    ):
        broken = b"\n".join([*lines[:73], lines[73] + bad, *lines[74:]])
        path.write_bytes(broken)
        byte = len(b"\n".join(lines[:74])) + 1  # 1-based, of the bad byte
        proc = cli("cutoff", path, "--label", "y", "--score", "p")
        one_line_error(proc, fragment, f"byte {byte})" if bad == b"\xff" else
                       f"byte {byte};")  # fmt: skip
    # multi-byte characters cut at block boundaries are still UTF-8
    accents = "\u00e9" * 61
    rows = "".join(f"{accents}{i % 2},0.{i}\n" for i in range(40))
    path.write_text("y,p\n" + rows, encoding="utf-8")
    proc = cli("cutoff", path, "--label", "y", "--score", "p", "--json",
               "--pos-label", accents + "1")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["n_samples"] == 40


def test_wrong_field_count_in_a_later_batch_names_the_line(
    cli, tmp_path, small_batches
):
    path = later_file(tmp_path, 73, weight="1,7")
    one_line_error(cli("cutoff", path, "--label", "y", "--score", "p"),
                   "line 74: 4 field(s) but the header has 3")  # fmt: skip
    proc = cli("cutoff", "-", "--label", "y", "--score", "p",
               stdin=path.read_bytes())  # fmt: skip
    one_line_error(
        proc, "standard input: 4 field(s) but the header has 3", "'1,0.5,1,7'"
    )


def test_blank_lines_are_skipped_and_not_counted(cli, tmp_path, small_batches):
    # blank lines, and lines of nothing but delimiters, are skipped anywhere
    path = tmp_path / "b.csv"
    path.write_text("\n\n  \ny,p\n\n  \n0,0.1\n,,\n,\n1,0.9\n1,\n")
    one_line_error(cli("cutoff", path, "--label", "y", "--score", "p"),
                   "--score 'p': the value on data row 3", "is empty")  # fmt: skip


@pytest.mark.parametrize(
    ("early", "late", "fragments"),
    [
        # a canonical text first, a longer one later: the later row is named
        ("0.1", "0.10000000000000000001",
         ("the value on data row 90", "'0.10000000000000000001'",
          "and the value 0.1 on another data row")),
        ("9007199254740992", "9007199254740993",
         ("the value on data row 90", "2**53")),
        # two non-canonical texts, in different batches: both rows named
        ("0.100000000000000000001", "0.10000000000000000001",
         ("the values on data rows 5 and 90", "'0.100000000000000000001' and "
          "'0.10000000000000000001'")),
        ("0", "1e-400", ("data row 90", "magnitudes below 2.225e-308")),
    ],
)  # fmt: skip
def test_scores_float64_cannot_keep_apart_across_batches(
    cli, tmp_path, small_batches, counting, early, late, fragments
):
    lines = ["y,p"] + [f"{i % 2},{i}.5" for i in range(1, 101)]
    lines[5], lines[90] = f"0,{early}", f"1,{late}"
    path = tmp_path / "s.csv"
    path.write_text("\n".join(lines) + "\n")
    one_line_error(
        cli("cutoff", path, "--label", "y", "--score", "p"),
        "--score 'p'", "float64 cannot keep them apart", *fragments,
    )  # fmt: skip


def test_equal_scores_written_differently_across_batches(
    cli, tmp_path, small_batches, counting
):
    # "0.5", "0.50", "5e-1", "0.500000000000000000000": one number, no error
    texts = ["0.5", "0.50", "5e-1", "0.500000000000000000000", ".5", "+0.5"]
    lines = ["y,p"] + [f"{i % 2},{texts[i % len(texts)]}" for i in range(60)]
    lines += ["0,0.1", "1,0.9"]
    path = tmp_path / "s.csv"
    path.write_text("\n".join(lines) + "\n")
    proc = cli("cutoff", path, "--label", "y", "--score", "p", "--json")
    assert proc.returncode == 0, proc.stderr
    y = np.array([i % 2 for i in range(60)] + [0, 1])
    s = np.array([0.5] * 60 + [0.1, 0.9])
    assert json.loads(proc.stdout)["threshold"] == find_threshold(y, s).threshold


def test_labels_resolved_over_the_whole_file(cli, tmp_path, small_batches):
    # "1" and "1.0" are one label while every label is a number ...
    lines = ["y,p"] + [f"{['0', '1'][i % 2]},{i}" for i in range(50)]
    lines += ["1.0,50", "0.0,51"]
    path = tmp_path / "l.csv"
    path.write_text("\n".join(lines) + "\n")
    out = json.loads(cli("cutoff", path, "--label", "y", "--score", "p",
                         "--json").stdout)  # fmt: skip
    assert (out["pos_label"], out["n_pos"], out["n_neg"]) == (1.0, 26, 26)
    # ... and three labels once a later label is text
    path.write_text("\n".join([*lines, "a,52"]) + "\n")
    one_line_error(cli("cutoff", path, "--label", "y", "--score", "p"),
                   "exactly two distinct labels")  # fmt: skip


def test_parquet_takes_the_options_that_need_every_score(cli, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    y, score, weight = data(5, shift=4.0)
    pq.write_table(pa.table({"y": y, "p": score, "w": weight}),
                   tmp_path / "s.parquet", row_group_size=37)  # fmt: skip
    csv_path = write_csv(tmp_path / "s.csv", y, score, weight)
    for extra in (("--bootstrap", "10"), ("--gray-zone",),
                  ("--gray-zone", "--max-abstention", "0.3")):  # fmt: skip
        outs = []
        for path in (tmp_path / "s.parquet", csv_path):
            proc = cli("cutoff", path, "--label", "y", "--score", "p", "--weight",
                       "w", "--json", "--pos-label", "sick", *extra)  # fmt: skip
            assert proc.returncode == 0, proc.stderr
            out = json.loads(proc.stdout)
            out.pop("file")
            outs.append(out)
        assert outs[0] == outs[1]
    out = tmp_path / "p.png"
    pytest.importorskip("matplotlib")
    proc = cli("cutoff", tmp_path / "s.parquet", "--label", "y", "--score", "p",
               "--pos-label", "sick", "--plot", out)  # fmt: skip
    assert proc.returncode == 0 and out.stat().st_size > 0


# ------------------------------------------------------------------ progress


def test_progress_text():
    from sklearn_balanced.cli._progress import Progress

    p = Progress(2_000_000, "read", True, unit="bytes")
    assert p.text(500_000, rows=12345) == (
        "sklearn-balanced cutoff: read 500.0 kB of 2.0 MB (25%), 12,345 rows"
    )
    q = Progress(None, "bootstrap resamples", True)
    assert q.text(40) == "sklearn-balanced cutoff: bootstrap resamples 40"


def run_with_stderr(argv, tty, tmp_path):
    """Run the program (progress shown at once) with stderr a pseudo-terminal
    or a pipe; returns (status, what stderr received)."""
    code = (
        "import sys\n"
        "import sklearn_balanced.cli._progress as p\n"
        "import sklearn_balanced.cli._reading as s\n"
        "p.DELAY_S = 0.0\n"
        "p.INTERVAL_S = 0.0\n"
        "s.BLOCK_BYTES = 4096\n"
        "from sklearn_balanced.cli import main\n"
        f"sys.exit(main({[str(a) for a in argv]!r}))\n"
    )
    if tty:
        import pty

        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                stderr=follower)  # fmt: skip
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end closed (EIO on Linux)
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        proc.stdout.read()
        proc.stdout.close()
        return proc.wait(timeout=120), b"".join(chunks).decode()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    return proc.returncode, proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_on_a_terminal_only_and_not_with_quiet(tmp_path):
    pytest.importorskip("pty")
    y, score, _ = data(2, n=3000)
    path = write_csv(tmp_path / "s.csv", y, score)
    argv = ["cutoff", path, "--label", "y", "--score", "p", "--pos-label", "sick"]
    status, err = run_with_stderr(argv, tty=True, tmp_path=tmp_path)
    assert status == 0, err
    assert "sklearn-balanced cutoff: read " in err and " rows" in err
    assert "\r" in err  # one line, rewritten in place, cleared at the end
    status, err = run_with_stderr([*argv, "--quiet"], tty=True, tmp_path=tmp_path)
    assert status == 0 and err == ""
    status, err = run_with_stderr(argv, tty=False, tmp_path=tmp_path)
    assert status == 0 and err == ""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_bootstrap_progress_on_a_terminal_only_and_not_with_quiet(tmp_path):
    pytest.importorskip("pty")
    y, score, _ = data(3, n=400)
    path = write_csv(tmp_path / "s.csv", y, score)
    argv = ["cutoff", path, "--label", "y", "--score", "p", "--pos-label", "sick",
            "--bootstrap", "40"]  # fmt: skip
    status, err = run_with_stderr(argv, tty=True, tmp_path=tmp_path)
    assert status == 0, err
    assert "sklearn-balanced cutoff: bootstrap resamples 40 of 40 (100%)" in err
    status, err = run_with_stderr([*argv, "--quiet"], tty=True, tmp_path=tmp_path)
    assert status == 0 and err == ""
    status, err = run_with_stderr(argv, tty=False, tmp_path=tmp_path)
    assert status == 0 and err == ""


def test_distinct_scores_that_do_not_fit_are_said(cli, tmp_path, monkeypatch):
    from sklearn_balanced.cli import _tables

    y, score, _ = data(1)
    path = write_csv(tmp_path / "s.csv", y, score)
    base = ["cutoff", path, "--label", "y", "--score", "p", "--pos-label", "sick"]

    def no_room(self, *args):
        raise MemoryError

    monkeypatch.setattr(_tables.StreamedCounts, "_count", no_room)
    monkeypatch.setattr(_tables.StreamedCounts, "arrays", no_room)
    one_line_error(
        cli(*base), "out of memory after 300 data rows",
        "the distinct scores do not fit", "Round the scores",
    )  # fmt: skip
    one_line_error(
        cli(*base, "--bootstrap", "5"),
        "--bootstrap, --gray-zone and --plot hold every score in memory",
    )
    # nearly every score distinct: the rows are kept, and the message says so
    monkeypatch.undo()
    monkeypatch.setattr(_tables, "RAW_ROWS", 1)
    monkeypatch.setattr(_tables, "RAW_SHARE", 0.0)
    monkeypatch.setattr(_tables, "BUFFER_ROWS", 7)

    def no_room_either(self, is_pos, objective, pos_label):
        raise MemoryError

    monkeypatch.setattr(_tables.StreamedCounts, "raw_result", no_room_either)
    one_line_error(
        cli(*base),
        "nearly every score is distinct, so every row is kept",
    )


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_counts_of_huge_equal_weights_are_inf_with_one_warning(cli, tmp_path, kind):
    # weights of 1e308: the counts in the weights' units overflow; the cutoff and
    # rates are those of unit weights, and the overflow is said once
    y, score, _ = data(4, shift=2.0)
    weight = np.full(len(y), 1e308)
    if kind == "parquet":
        pq = pytest.importorskip("pyarrow.parquet")
        path = tmp_path / "w.parquet"
        pq.write_table(pa.table({"y": y, "p": score, "w": weight}), path)
    else:
        path = write_csv(tmp_path / "w.csv", y, score, weight)
    base = ["cutoff", path, "--label", "y", "--score", "p", "--json", "--pos-label",
            "sick"]  # fmt: skip
    weighted = cli(*base, "--weight", "w")
    assert weighted.returncode == 0, weighted.stderr
    assert weighted.stderr.count("sums to more than float64") == 1
    plain = json.loads(cli(*base).stdout)
    got = json.loads(weighted.stdout)
    assert got["threshold"] == plain["threshold"]
    assert got["report"]["sensitivity"] == plain["report"]["sensitivity"]
    assert got["report"]["n"] == "inf"


def test_a_quote_never_closed_is_an_error_not_a_swallowed_file(cli, tmp_path):
    # the open quote would take every later row into one cell of column c:
    # the cutoff of the first rows only, with no other sign than n_samples
    path = tmp_path / "q.csv"
    path.write_text(
        'y,s,c\n1,0.1,a\n0,0.2,b\n1,0.3,"oops\n0,0.4,d\n1,0.5,e\n0,0.05,f\n'
    )
    one_line_error(
        cli("cutoff", str(path), "--label", "y", "--score", "s"),
        "line 4: a double quote opens a field that is never closed",
    )
    # quotes that pair up (a doubled quote, a cell over two lines) are fine
    path.write_text('y,s,c\n1,0.9,"a ""b"" c"\n0,0.2,"two\nlines"\n1,0.3,z\n0,0.1,q\n')
    assert cli("cutoff", str(path), "--label", "y", "--score", "s").returncode == 0


@pytest.mark.parametrize("compress", ["gzip", "zstd"])
def test_several_score_columns_read_compressed_input(cli, tmp_path, compress):
    # issue 18: several --score columns go through the same reader, so a
    # compressed file is decompressed (it used to be "a NUL byte at byte 4")
    rng = np.random.default_rng(4)
    y = rng.choice(["a", "b", "c"], size=200, p=[0.6, 0.3, 0.1])
    proba = np.round(rng.dirichlet([1, 1, 1], size=200), 3)
    text = "kind,a,b,c\n" + "".join(
        f"{k},{p[0]},{p[1]},{p[2]}\n" for k, p in zip(y, proba, strict=True)
    )
    argv = ["--label", "kind", "--score", "a", "--score", "b", "--score", "c"]
    plain = tmp_path / "m.csv"
    plain.write_text(text)
    want = json.loads(cli("cutoff", plain, *argv, "--json").stdout)
    packed = tmp_path / ("m.csv.gz" if compress == "gzip" else "m.csv.zst")
    buf = pa.BufferOutputStream()
    with pa.CompressedOutputStream(buf, compress) as out:
        out.write(text.encode())
    packed.write_bytes(buf.getvalue().to_pybytes())
    for got in (
        cli("cutoff", packed, *argv, "--json"),
        cli("cutoff", "-", *argv, "--json", stdin=packed.read_bytes()),
    ):
        assert got.returncode == 0, got.stderr
        out = json.loads(got.stdout)
        out.pop("file"), want.pop("file", None)
        assert out == want


def test_pyarrow_is_imported_by_the_reading_only():
    # pyarrow is a dependency, but `import sklearn_balanced` (and building the
    # parser) must not pay for it; pandas is kept out, as it imports pyarrow
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import sklearn_balanced, sklearn_balanced.cli as cli\n"
        "cli.build_parser()\n"
        "print('pyarrow' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip() == "False", out.stderr
