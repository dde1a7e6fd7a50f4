"""The shared job framework (yiti.core.jobs) as imports and code suggestions use it: the purge of ended
jobs and their files, the owner check and the progress fragment."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from yiti.core.jobs import Job, job_models, purge, write_private
from yiti.imports.models import ImportJob, SuggestionJob

pytestmark = pytest.mark.django_db

DONE, READY, CHECKING, WRITING, FAILED = (ImportJob.Status.DONE, ImportJob.Status.READY, ImportJob.Status.CHECKING,
                                          ImportJob.Status.WRITING, ImportJob.Status.FAILED)


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("job_owner", password="pw")


def import_job(user, status, *, ended=None, started=None, upload=False) -> ImportJob:
    job = ImportJob(registry="orgs", user=user, original_name="o.csv", status=status, rows=100,
                    finished_at=ended, started_at=started)
    if upload:
        job.file.save("o.csv", ContentFile("名称,单位类型\n某单位,企业\n".encode()), save=False)
    job.save()
    return job


def suggestion_job(user, status, *, ended=None) -> SuggestionJob:
    return SuggestionJob.objects.create(registry="needs", field="discipline", user=user, status=status,
                                        finished_at=ended)


def exists(job: Job) -> bool:
    return type(job)._default_manager.filter(pk=job.pk).exists()


# ---- purge --------------------------------------------------------------------------------------

def test_a_job_ended_just_over_the_retention_goes_with_its_files_one_just_under_stays(owner, settings):
    settings.YITI_JOB_RETENTION_DAYS = 30
    now = timezone.now()
    old = import_job(owner, DONE, ended=now - timedelta(days=30, minutes=1))
    recent = import_job(owner, DONE, ended=now - timedelta(days=30) + timedelta(minutes=1))
    for job in (old, recent):
        job.set_progress("done", 100, 100)
        write_private(job.errors_path(), b"rows not imported")
    old_files = old.files()
    assert len(old_files) == 2 and all(p.exists() for p in old_files)

    done = purge(now=now)

    assert not exists(old) and exists(recent)
    assert not any(p.exists() for p in old_files)
    assert len(recent.files()) == 2
    assert [(kind, pk) for kind, pk, _status, _ended in done.jobs] == [("importjob", old.pk)]
    assert sorted(done.files) == sorted(old_files)


def test_the_retention_is_the_setting_or_the_days_given(owner, settings):
    now = timezone.now()
    job = import_job(owner, DONE, ended=now - timedelta(days=10))
    settings.YITI_JOB_RETENTION_DAYS = 11
    assert purge(now=now).jobs == [] and exists(job)
    settings.YITI_JOB_RETENTION_DAYS = 9
    assert purge(days=11, now=now).jobs == [] and exists(job)
    purge(now=now)
    assert not exists(job)


def test_a_preview_left_waiting_counts_from_its_last_step_and_its_upload_goes_with_it(owner, settings):
    settings.YITI_JOB_RETENTION_DAYS = 30
    now = timezone.now()
    waiting = import_job(owner, READY, started=now - timedelta(days=31), upload=True)
    fresh = import_job(owner, READY, started=now - timedelta(days=1), upload=True)
    upload = waiting.file.path
    assert os.stat(upload).st_mode & 0o777 == 0o600
    purge(now=now)
    assert not exists(waiting) and not os.path.exists(upload)
    fresh.refresh_from_db()
    assert os.path.exists(fresh.file.path)  # still to be confirmed


def test_running_jobs_are_never_purged_and_a_dead_one_is_first_marked_failed(owner, settings):
    settings.YITI_JOB_RETENTION_DAYS = 30
    settings.JOB_LEASE_SECONDS = 5
    long_ago = timezone.now() - timedelta(days=60)
    alive = import_job(owner, CHECKING, started=long_ago, upload=True)
    ImportJob.objects.filter(pk=alive.pk).update(created_at=long_ago)
    alive.beat()  # its worker is at it
    dead = import_job(owner, WRITING, started=long_ago, upload=True)  # never beat: its worker died
    learning = suggestion_job(owner, SuggestionJob.Status.RUNNING)
    SuggestionJob.objects.filter(pk=learning.pk).update(created_at=long_ago, started_at=long_ago)
    learning.beat()

    done = purge()

    alive.refresh_from_db()
    dead.refresh_from_db()
    learning.refresh_from_db()
    assert alive.status == CHECKING and os.path.exists(alive.file.path)
    assert learning.status == SuggestionJob.Status.RUNNING
    assert done.reaped == [("importjob", dead.pk)] and done.jobs == []
    assert dead.status == FAILED and "中断" in dead.message and dead.finished_at is not None
    assert os.path.exists(dead.file.path)  # kept for 重新开始 …
    upload = dead.file.path
    purge(now=timezone.now() + timedelta(hours=25))  # … for a day
    dead.refresh_from_db()
    assert not dead.file and not os.path.exists(upload) and dead.status == FAILED
    purge(now=timezone.now() + timedelta(days=31))
    assert not exists(dead) and exists(alive) and exists(learning)


def test_every_job_kind_is_purged(owner):
    # The kinds are found through the app registry: they are exactly the installed concrete subclasses.
    def concrete(cls):
        for sub in cls.__subclasses__():
            yield from ([sub] if not sub._meta.abstract else []) + list(concrete(sub))

    assert set(job_models()) == set(concrete(Job)) >= {ImportJob, SuggestionJob}
    ended = timezone.now() - timedelta(days=400)
    jobs = [import_job(owner, FAILED, ended=ended), suggestion_job(owner, SuggestionJob.Status.READY, ended=ended),
            suggestion_job(owner, SuggestionJob.Status.FAILED, ended=ended)]
    done = purge()
    assert not any(exists(job) for job in jobs)
    assert {kind for kind, *_rest in done.jobs} == {"importjob", "suggestionjob"}


def test_files_no_job_names_go_once_they_are_an_hour_old(owner, settings):
    from pathlib import Path

    media = Path(settings.MEDIA_ROOT)
    kept = import_job(owner, READY, started=timezone.now(), upload=True)
    kept.set_progress("ready", 1, 1)
    left = media / "imports" / "2026" / "01" / "left-behind.csv"  # an upload whose job was deleted by hand
    side = media / "jobs" / "importjob-999999.progress"
    new = media / "imports" / "being-saved.csv"
    for path in (left, side, new):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    for path in (left, side, Path(kept.file.path), kept.side_file("progress")):
        os.utime(path, (two_hours_ago, two_hours_ago))

    assert sorted(purge(dry_run=True).orphans) == sorted([left, side]) and left.exists()
    assert sorted(purge().orphans) == sorted([left, side])
    assert not left.exists() and not side.exists() and not left.parent.exists()
    assert new.exists() and os.path.exists(kept.file.path) and kept.side_file("progress").exists()


def test_the_command_prints_what_it_removed_a_dry_run_removes_nothing_and_a_second_run_nothing_more(owner, capsys):
    job = import_job(owner, DONE, ended=timezone.now() - timedelta(days=31))
    job.set_progress("done", 100, 100)
    progress = job.side_file("progress")

    call_command("purge-jobs", "--dry-run")
    out = capsys.readouterr().out
    assert f"would remove importjob {job.pk} (done since " in out and "would remove file jobs/" in out
    assert exists(job) and progress.exists()

    call_command("purge-jobs")
    out = capsys.readouterr().out
    assert f"removed importjob {job.pk}" in out and "removed 1 jobs ended over 30 days ago, 1 files" in out
    assert not exists(job) and not progress.exists()

    call_command("purge-jobs")
    assert "removed 0 jobs ended over 30 days ago, 0 files" in capsys.readouterr().out


def test_a_negative_age_is_refused():
    with pytest.raises(CommandError):
        call_command("purge-jobs", "--days", "-1")


# ---- the owner check ------------------------------------------------------------------------------

def test_another_users_import_job_is_404_on_every_page_and_left_alone(client, owner, django_user_model):
    job = import_job(owner, READY, started=timezone.now(), upload=True)
    write_private(job.errors_path(), b"rows not imported")
    client.force_login(django_user_model.objects.create_superuser("someone_else", password="pw"))
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:errors", args=[job.pk])).status_code == 404
    for name in ("confirm", "cancel", "restart", "choose_organisations"):
        assert client.post(reverse(f"imports:{name}", args=[job.pk])).status_code == 404, name
    job.refresh_from_db()
    assert job.status == READY and job.file and not job.cancel_requested()
    client.force_login(owner)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200


# ---- the progress fragment ------------------------------------------------------------------------

def test_a_running_job_is_polled_through_the_progress_fragment_until_it_ends(client, owner):
    job = import_job(owner, CHECKING, started=timezone.now(), upload=True)
    job.beat()
    job.set_progress("checking", 40, 100)
    url = reverse("imports:job", args=[job.pk])
    client.force_login(owner)

    page = client.get(url).content.decode()
    assert "<html" in page and 'id="job-progress"' in page

    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and fragment.count('id="job-progress"') == 1
    assert f'hx-get="{url}"' in fragment and 'hx-trigger="every 2s"' in fragment
    assert "40 / 100" in fragment and 'value="40" max="100"' in fragment
    cancel = reverse("imports:cancel", args=[job.pk])
    assert f'action="{cancel}"' in fragment

    job.request_cancel()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'action="{cancel}"' not in fragment and "正在取消" in fragment

    ImportJob.objects.filter(pk=job.pk).update(status=READY)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true" and 'id="job-progress"' not in response.content.decode()
    assert 'id="job-progress"' not in client.get(url).content.decode()
