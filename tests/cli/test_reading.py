"""The reader's hand-over to pyarrow (``cli/_reading.py``): every Python object
pyarrow's threads were given is let go of before a read returns, whether it
ran to the end, was closed early or failed inside pyarrow's read. An object
that pyarrow drops on its own thread after the interpreter began to exit
aborts the process (exit status -6, apache/arrow#34314)."""

import gc
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest

from sklearn_balanced.cli import _reading
from sklearn_balanced.cli._common import UsageError
from sklearn_balanced.cli._progress import Progress

pytest.importorskip("pyarrow")

CHOSEN = [("--label", "y"), ("--score", "s")]
PROGRAM = [sys.executable, "-m", "sklearn_balanced"]


def feeds_alive() -> int:
    gc.collect()
    # by type, not isinstance: an ABC check would touch every object (torch's
    # deprecated ones warn)
    return sum(type(o) is _reading._Feed for o in gc.get_objects())


def batches(path):
    args = SimpleNamespace(file=str(path), delimiter=None)
    return _reading.read_batches(args, CHOSEN, Progress(None, "read", False))


@pytest.fixture
def many_blocks(tmp_path, monkeypatch):
    """A file of 20000 rows (the header's read takes 64 KiB) read 4 KiB at a
    time: about 50 blocks, most read on pyarrow's thread."""
    monkeypatch.setattr(_reading, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(_reading, "RELEASE_WAIT_S", 2.0)
    rows = "".join(f"{i % 2},{i / 20000:.5f}\n" for i in range(20000))
    path = tmp_path / "many.csv"
    path.write_text("y,s\n" + rows)
    return path


def test_held_waits_for_an_object_another_thread_lets_go_of():
    held = _reading._Held()
    block = held(np.zeros(4, dtype=np.uint8))  # unhashable: tracked all the same
    assert len(held.alive) == 1
    box = [block]
    del block

    def drop_later():
        time.sleep(0.05)
        box.clear()

    thread = threading.Thread(target=drop_later)
    start = time.monotonic()
    thread.start()
    assert held.wait(timeout=5.0) is True
    assert time.monotonic() - start >= 0.04
    assert held.alive == {}
    thread.join()


def test_held_gives_up_after_its_timeout():
    held = _reading._Held()
    kept = held(np.zeros(1))
    start = time.monotonic()
    assert held.wait(timeout=0.05) is False
    assert 0.04 <= time.monotonic() - start < 2.0
    assert len(held.alive) == 1 and kept is not None
    assert _reading._Held().wait(timeout=0.0) is True  # nothing handed over


def test_nothing_handed_to_pyarrow_outlives_a_whole_read(many_blocks):
    rows = sum(len(columns[0]) for columns in batches(many_blocks))
    assert rows == 20000
    assert feeds_alive() == 0


def test_nothing_handed_to_pyarrow_outlives_a_read_closed_early(many_blocks):
    reading = batches(many_blocks)
    next(reading)
    assert feeds_alive() == 1  # pyarrow is still reading it
    reading.close()
    assert feeds_alive() == 0


def test_an_error_inside_pyarrows_read_does_not_hold_on_to_its_stream(
    tmp_path, many_blocks
):
    # the bad byte is met on pyarrow's thread, in a later block; the error the
    # user gets carries no frame of that read (nor the decode error under it)
    path = tmp_path / "bad.csv"
    path.write_bytes(many_blocks.read_bytes() + b"1,0.5\xff\n")
    start = time.monotonic()
    with pytest.raises(UsageError, match=r"line 20002: not UTF-8 text") as info:
        for _ in batches(path):
            pass
    assert time.monotonic() - start < 1.5  # not the 2 s wait of a held stream
    assert info.value.__context__ is None
    assert feeds_alive() == 0


def test_an_error_in_the_first_rows_of_a_pipe_left_open_exits_at_once():
    # standard input from a pipe that sends no more after an error in its
    # first rows: pyarrow's thread stays blocked reading it. The program says
    # the error and leaves (cli.run), rather than wait for the pipe (Arrow
    # joins its threads at exit) or abort (exit 134: the thread holds
    # standard input's lock), as it did.
    rows = "".join(f"{i % 2},{i / 1e5:.5f}\n" for i in range(120_000))
    data = ("y,s\n0,0.1\n2,0.2\n" + rows).encode()  # a third label, row 2
    assert len(data) > _reading.BLOCK_BYTES  # a whole block, then more
    proc = subprocess.Popen(
        [*PROGRAM, "cutoff", "-", "--label", "y", "--score", "s"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    writer = threading.Thread(target=proc.stdin.write, args=(data,))
    writer.start()  # and the pipe stays open
    try:
        status = proc.wait(timeout=60)
        stderr = proc.stderr.read().decode()
    finally:
        proc.kill()
        writer.join(timeout=10)
        proc.stdin.close()
        proc.stdout.close()
        proc.stderr.close()
    assert status == 2, stderr
    assert stderr.count("\n") == 1 and "found 3 in the first" in stderr, stderr
