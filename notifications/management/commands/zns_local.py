"""Run the local ZNS stand-in in the foreground: `manage.py zns_local [--port 8765]`, Ctrl-C to stop."""

import time

from django.core.management.base import BaseCommand, CommandError

from notifications.zns_local import LocalZns


def international(phone: str) -> str:
    """84… as ZNS writes numbers, from 0… or +84… as people do."""
    phone = phone.strip().replace(" ", "").removeprefix("+")
    return "84" + phone[1:] if phone.startswith("0") else phone


class Command(BaseCommand):
    help = (
        "Run a local server that answers as Zalo's notification service (ZNS) does, to try the Zalo channel "
        "without Zalo. It prints the URL and a refresh token to give the portal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765, help="the port on 127.0.0.1 (default: 8765)")
        parser.add_argument(
            "--template",
            action="append",
            default=[],
            metavar="ID",
            help="an approved template id (repeatable; default: 100001 and 100002)",
        )
        parser.add_argument(
            "--no-account",
            action="append",
            default=[],
            metavar="PHONE",
            help="a phone number without a Zalo account (repeatable)",
        )
        parser.add_argument(
            "--blocked",
            action="append",
            default=[],
            metavar="PHONE",
            help="a phone number whose owner blocked the Official Account (repeatable)",
        )
        parser.add_argument("--app-id", default="local-app", help="the app id it accepts (default: local-app)")
        parser.add_argument(
            "--app-secret", default="local-secret", help="the app secret it accepts (default: local-secret)"
        )
        parser.add_argument("--quota", type=int, help="the daily quota of messages (default: none)")

    def handle(self, *args, port, template, no_account, blocked, app_id, app_secret, quota, **options):
        zns = LocalZns(
            app_id=app_id,
            app_secret=app_secret,
            approved_templates=set(template) or None,
            no_account={international(phone) for phone in no_account},
            blocked={international(phone) for phone in blocked},
            daily_quota=quota,
            port=port,
        )
        try:
            zns.start()
        except OSError as error:
            raise CommandError(f"Cannot listen on 127.0.0.1:{port}: {error}") from error
        _access, refresh = zns.issue_tokens()
        self.stdout.write(f"Local ZNS on {zns.url}")
        self.stdout.write(f"  approved templates: {', '.join(sorted(zns.approved_templates))}")
        if zns.no_account:
            self.stdout.write(f"  no Zalo account: {', '.join(sorted(zns.no_account))}")
        if zns.blocked:
            self.stdout.write(f"  blocked the OA: {', '.join(sorted(zns.blocked))}")
        self.stdout.write("Settings for the portal:")
        self.stdout.write("  ZALO_BACKEND=notifications.zalo.HttpZaloBackend")
        self.stdout.write(f"  ZALO_API_URL={zns.url}")
        self.stdout.write(f"  ZALO_OAUTH_URL={zns.url}")
        self.stdout.write(f"  ZALO_APP_ID={app_id}")
        self.stdout.write(f"  ZALO_APP_SECRET={app_secret}")
        self.stdout.write(f"Refresh token to paste in the admin: {refresh}")
        self.stdout.write("Ctrl-C to stop.")
        seen = 0
        try:
            while True:
                time.sleep(0.5)
                for message in zns.sent[seen:]:
                    seen += 1
                    self.stdout.write(
                        f"sent {message['msg_id']} to {message['phone']} with template {message['template_id']}: "
                        f"{message['template_data']}"
                    )
        except KeyboardInterrupt:
            pass
        finally:
            zns.stop()
        self.stdout.write(f"Stopped after {len(zns.sent)} message(s).")
