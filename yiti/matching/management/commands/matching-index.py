import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yiti.matching import store


class Command(BaseCommand):
    help = ("The matching index: its state (documents, age, last build, changes waiting for the next build), "
            "or with --rebuild a full build now, in this process (the web processes load it within seconds).")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="build the index now and swap it in")
        parser.add_argument("--queue", action="store_true",
                            help="hand a full build to the background worker (yiti db_worker) and return at once")
        parser.add_argument("--workers", type=int, default=2, help="processes for text analysis (--rebuild)")

    def handle(self, rebuild, queue, workers, **options):
        if queue and not rebuild:
            job = store.queue_build()
            self.stdout.write(_("Build job %(pk)s: %(status)s") % {"pk": job.pk, "status": job.get_status_display()})
        if rebuild:
            started = time.perf_counter()
            built = store.build(workers=max(1, workers))
            self.stdout.write(_("Built: %(documents)s documents, %(experts)s experts in %(seconds).1f s → %(folder)s") % {
                "documents": built.documents, "experts": built.info.get("experts", 0),
                "seconds": time.perf_counter() - started, "folder": built.folder})
        removed = store.remove_stale()
        for folder in removed:
            self.stdout.write(_("Removed the superseded build %(folder)s") % {"folder": folder.name})
        self._status()

    def _status(self):
        state = store.status()
        if not state.built:
            self.stdout.write(_("No matching index has been built yet: run yiti matching-index --rebuild."))
        else:
            info = state.info
            age = state.age_seconds or 0.0
            self.stdout.write(_("Folder: %(folder)s") % {"folder": state.folder})
            self.stdout.write(_("Documents: %(documents)s (experts' documents: %(expert_documents)s, experts: "
                                "%(experts)s)") % {"documents": info.get("documents", 0),
                                                   "expert_documents": info.get("expert_documents", 0),
                                                   "experts": info.get("experts", 0)})
            self.stdout.write(_("Built at: %(built_at)s (%(age)s ago), in %(seconds)s s") % {
                "built_at": info.get("built_at", ""), "age": _age(age), "seconds": info.get("seconds", "")})
            self.stdout.write(_("Changes since the build: %(pending)s") % {"pending": state.pending})
        if state.job is not None:
            job = state.job
            self.stdout.write(_("Last build job: %(status)s, %(created)s %(message)s") % {
                "status": job.get_status_display(), "created": f"{job.created_at:%Y-%m-%d %H:%M}",
                "message": job.message})


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return _("%(n)d min") % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return _("%(n)d h") % {"n": hours}
    return _("%(n)d days") % {"n": hours // 24}
