from django.core.management.base import BaseCommand

from yiti.demo.accounts import accounts_file, create_demo_admin, load_accounts

# The account a newcomer logs in with: office staff of the whole city, who may use every registry.
WORKING_ACCOUNT = "city_staff"


class Command(BaseCommand):
    help = "Create the demo superuser and print the accounts to log in with (passwords in .demo-accounts.json)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, username, **options):
        created = create_demo_admin(username)
        accounts = load_accounts()
        path = accounts_file().resolve()
        if WORKING_ACCOUNT in accounts:
            self.stdout.write(self.style.SUCCESS(
                f"Log in as {WORKING_ACCOUNT} (whole-city office staff: every registry), "
                f"password {accounts[WORKING_ACCOUNT]['password']}"))
        if created:
            self.stdout.write(f"Superuser {username}, password {created['password']} "
                              f"(enrols an authenticator app at first login)")
        else:
            self.stdout.write(f"Superuser {username} exists already.")
        self.stdout.write(f"Every demo account (one per role and per county office) and its password: {path} "
                          f"(git-ignored)")
