import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from yiti.accounts.demo import accounts_file, random_password


class Command(BaseCommand):
    help = "Create the demo administrator with a random password, printed once and kept in .demo-accounts.json."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, username, **options):
        User = get_user_model()
        ACCOUNTS_FILE = accounts_file()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Demo administrator “{username}” already exists; its password is in {ACCOUNTS_FILE.resolve()} "
                f"(or set a new one with: yiti changepassword {username})."
            )
            return
        password = random_password()
        User.objects.create_superuser(username=username, password=password, email="")
        accounts = json.loads(ACCOUNTS_FILE.read_text()) if ACCOUNTS_FILE.exists() else {}
        accounts[username] = {"password": password, "role": "superuser"}
        ACCOUNTS_FILE.write_text(json.dumps(accounts, ensure_ascii=False, indent=2))
        ACCOUNTS_FILE.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Demo administrator: user name {username}, password {password}"))
        self.stdout.write(f"(also written to {ACCOUNTS_FILE.resolve()}, which git ignores)")
