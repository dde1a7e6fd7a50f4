"""map_in_forks: a job's records worked in forked processes come back in order, with progress, and a failure or
a cancel in the parent ends the work; where the database cannot be shared the work runs inline."""

import os
import time

import pytest
from django.db import connection

from yiti.core import forked


def _pid_and_square(x):
    time.sleep(0.005)  # long enough that both processes take chunks
    return os.getpid(), x * x


@pytest.fixture
def forkable(monkeypatch):
    """Fork although the test database is SQLite in memory: the work below never touches the database, and the
    parent's connection must then stay open (closing it would drop the in-memory test database)."""
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    monkeypatch.setattr(forked.connections, "close_all", lambda: None)
    monkeypatch.setattr(forked, "MIN_PER_WORKER", 2)
    monkeypatch.setattr(forked, "CHUNK", 3)


def test_results_come_back_in_order_from_two_processes_after_the_warm_up_in_the_parent(forkable):
    done = []
    out = forked.map_in_forks(_pid_and_square, list(range(40)), workers=2, warm=1, after=done.append)
    assert [square for _pid, square in out] == [x * x for x in range(40)]
    pids = {pid for pid, _square in out}
    assert out[0][0] == os.getpid()  # the warm-up item, in the parent
    assert len(pids - {os.getpid()}) == 2  # the rest in two forked processes
    assert done == sorted(done) and done[-1] == 40


def test_a_failure_in_a_process_reaches_the_parent(forkable):
    def fail_on_seven(x):
        if x == 7:
            raise ValueError("seven")
        return x

    with pytest.raises(ValueError, match="seven"):
        forked.map_in_forks(fail_on_seven, list(range(20)), workers=2)


def test_raising_in_after_stops_the_work(forkable):
    class Stop(Exception):
        pass

    seen = []

    def after(done):
        seen.append(done)
        if done >= 7:
            raise Stop

    with pytest.raises(Stop):
        forked.map_in_forks(_pid_and_square, list(range(200)), workers=2, after=after)
    assert seen[-1] < 200


def test_an_in_memory_database_or_one_worker_runs_inline(db):
    if connection.vendor == "sqlite":
        assert connection.is_in_memory_db() and not forked.can_fork()
    assert forked.workers_for(1000, 1) == 1
    out = forked.map_in_forks(_pid_and_square, list(range(50)), workers=1)
    assert {pid for pid, _square in out} == {os.getpid()}
    assert [square for _pid, square in out] == [x * x for x in range(50)]


@pytest.mark.django_db(transaction=True)
def test_processes_read_the_database_through_their_own_connections(monkeypatch):
    if not forked.can_fork():
        pytest.skip("SQLite in memory (the default test database) cannot be shared with forked processes; "
                    "this runs on PostgreSQL (DATABASE_URL), as .ci/run does")
    from yiti.core.models import Division

    monkeypatch.setattr(forked, "MIN_PER_WORKER", 2)
    monkeypatch.setattr(forked, "CHUNK", 2)
    pks = list(Division.objects.order_by("pk").values_list("pk", flat=True)[:12])
    assert len(pks) == 12

    def name_of(pk):
        return os.getpid(), Division.objects.get(pk=pk).name

    out = forked.map_in_forks(name_of, pks, workers=2)
    assert [name for _pid, name in out] == [Division.objects.get(pk=pk).name for pk in pks]
    assert len({pid for pid, _name in out} - {os.getpid()}) == 2


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_work_stays_in_the_process(monkeypatch):
    # forked processes open their own connections: they would not see the parent's uncommitted rows
    from django.db import transaction

    monkeypatch.setattr(forked, "MIN_PER_WORKER", 1)
    with transaction.atomic():
        assert not forked.can_fork() and forked.workers_for(1000, 2) == 1
        out = forked.map_in_forks(_pid_and_square, list(range(10)), workers=2)
    assert {pid for pid, _square in out} == {os.getpid()}


def test_beside_works_in_another_process_at_the_same_time_and_its_failure_reaches_the_parent(tmp_path):
    def write():  # waits for the block: run before it (inline), it would fail
        for _ in range(2000):
            if (tmp_path / "block").exists():
                (tmp_path / "child").write_text(str(os.getpid()))
                return
            time.sleep(0.005)
        raise AssertionError("the block did not run at the same time")

    with forked.beside(write):
        (tmp_path / "block").write_text("")
    assert int((tmp_path / "child").read_text()) != os.getpid()  # written by another process, and waited for

    def fail():
        raise ValueError("坏")

    with pytest.raises(RuntimeError, match="分叉进程中的工作失败|forked process failed"), forked.beside(fail):
        pass
