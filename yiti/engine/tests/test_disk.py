"""DiskArray reads what an index query asks for from a saved .npy file, and gives exactly numpy's answers."""

import os
import pickle

import numpy as np
import pytest

from yiti.engine.disk import DiskArray


@pytest.fixture
def saved(tmp_path):
    rng = np.random.default_rng(7)
    one = rng.integers(0, 1_000_000, size=50_000).astype(np.int32)
    two = rng.standard_normal((3_000, 24)).astype(np.float32)
    np.save(tmp_path / "one.npy", one)
    np.save(tmp_path / "two.npy", two)
    return one, two, DiskArray(tmp_path / "one.npy"), DiskArray(tmp_path / "two.npy")


def test_slices_items_and_row_lists_equal_numpy(saved):
    one, two, d1, d2 = saved
    assert d1.shape == one.shape and d1.dtype == one.dtype and len(d2) == 3_000 and d2.ndim == 2
    for key in (slice(0, 10), slice(49_990, 60_000), slice(5, 5), slice(10, 3), slice(-7, None)):
        np.testing.assert_array_equal(d1[key], one[key])
    np.testing.assert_array_equal(d2[100:140], two[100:140])
    assert d1[123] == one[123] and d1[-1] == one[-1]
    np.testing.assert_array_equal(d2[17], two[17])
    rows = np.asarray([2_999, 5, 6, 7, 5, 1_500, 0])  # unsorted, repeated, adjacent, both ends
    np.testing.assert_array_equal(d2[rows], two[rows])
    np.testing.assert_array_equal(d1[rows], one[rows])
    np.testing.assert_array_equal(d2[np.zeros(0, dtype=np.int64)], two[np.zeros(0, dtype=np.int64)])
    np.testing.assert_array_equal(np.asarray(d2), two)
    with pytest.raises(IndexError):
        d1[50_000]
    with pytest.raises(IndexError):
        d2[np.asarray([3_000])]


def test_runs_equal_numpy(saved):
    one, _, d1, _ = saved
    rng = np.random.default_rng(3)
    starts = rng.integers(0, 49_000, size=400)
    counts = rng.integers(0, 900, size=400)  # runs overlap and some are empty
    expected = np.concatenate([one[s : s + c] for s, c in zip(starts, counts, strict=True)])
    np.testing.assert_array_equal(d1.runs(starts, counts), expected)
    assert d1.runs([5, 9], [0, 0]).shape == (0,)


def test_nothing_of_the_file_stays_mapped_and_a_pickled_array_reopens(saved):
    _, two, d1, d2 = saved
    d2[np.arange(0, 3_000, 7)]
    d1.runs([10, 20_000], [5, 5])
    maps = open(f"/proc/{os.getpid()}/maps").read() if os.path.exists("/proc/self/maps") else ""
    assert str(d2.path) not in maps
    again = pickle.loads(pickle.dumps(d2))
    np.testing.assert_array_equal(again[10:12], two[10:12])


def test_raw_bytes_and_a_truncated_file(tmp_path):
    (tmp_path / "b.bin").write_bytes(b"hello world")
    raw = DiskArray.raw(tmp_path / "b.bin")
    assert bytes(raw[6:11]) == b"world" and len(raw) == 11
    np.save(tmp_path / "x.npy", np.arange(1000, dtype=np.int64))
    arr = DiskArray(tmp_path / "x.npy")
    os.truncate(tmp_path / "x.npy", 200)  # the file changed under the reader: a clear error, not garbage or a crash
    with pytest.raises(OSError, match="变短"):
        arr[900:1000]
    with pytest.raises(OSError, match="重建索引"):
        arr[np.asarray([3, 900])]
