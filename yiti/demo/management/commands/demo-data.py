import time

from django.core.management.base import BaseCommand, CommandError

from yiti.demo.accounts import accounts_file, create_demo_accounts
from yiti.demo.loader import VocabularyError, vocabulary
from yiti.orgs.models import Organisation


class Command(BaseCommand):
    help = "Generate the deterministic demo dataset for Jinzhong (synthetic records; real divisions and universities)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="1 ≈ 500 enterprises, 3,000 talents, 800 needs, 2,000 results; 100 is a hundred times that")
        parser.add_argument("--seed", type=int, default=20261122)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database holds records")

    def handle(self, scale, seed, if_empty, **options):
        if scale <= 0 or scale > 1000:
            raise CommandError("--scale must lie between 0 and 1000")
        try:
            vocabulary()  # an edited data file that is malformed: its name and key, not a traceback
        except VocabularyError as exc:
            raise CommandError(str(exc)) from exc
        from yiti.demo.generate import generate  # binds the vocabularies when imported

        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("The database already holds records; demo data not generated.")
                return
            raise CommandError("The database already holds records; demo data goes into an empty database only.")
        started = time.monotonic()
        counts = generate(scale=scale, seed=seed, progress=lambda step: self.stdout.write(f"  {step} …"))
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data generated in {time.monotonic() - started:.1f}s: {summary}"))
        accounts = create_demo_accounts()
        self.stdout.write(f"{len(accounts)} demo accounts (one per role and per county office) with random "
                          f"passwords: see {accounts_file().resolve()}")
