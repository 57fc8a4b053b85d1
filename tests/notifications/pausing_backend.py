"""The portal's SMTP backend, made to stop at one exact point for the worker-kill test.

The test starts a worker with EMAIL_BACKEND naming this class, PAUSE_DIR and
PAUSE_AT_GROUP=n. Before the commit of the n-th group of messages that a pool
process sends, the backend writes the group's recipients to PAUSE_DIR/paused
and waits there (at most a minute) for the test to kill it: the server has the
bodies of those messages, their end-of-data marks are not sent, nothing of
them is committed. PAUSE_AT_GROUP=0 never pauses.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from coordination.lib.mail import EmailBackend

MAX_PAUSE_SECONDS = 60


class PausingEmailBackend(EmailBackend):
    groups = 0  # per process: each pool child counts its own

    def send_group_then_commit(self, messages, *, commit):
        pause_at = int(os.environ.get("PAUSE_AT_GROUP", "0"))

        def commit_after_a_pause(positions, end):
            PausingEmailBackend.groups += 1
            if PausingEmailBackend.groups == pause_at:
                directory = Path(os.environ["PAUSE_DIR"])
                written = directory / "paused.part"
                written.write_text("\n".join(messages[i].recipients[0] for i in positions))
                written.rename(directory / "paused")
                deadline = time.monotonic() + MAX_PAUSE_SECONDS
                while time.monotonic() < deadline:
                    time.sleep(0.05)
            return commit(positions, end)

        return super().send_group_then_commit(messages, commit=commit_after_a_pause)
