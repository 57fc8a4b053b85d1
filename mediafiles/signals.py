"""Signals other apps listen to.

`media_processed` is sent with `sender=MediaFile, media=<MediaFile>` once,
after the transaction commits, when a file becomes READY or FAILED (its
`failure_reason` then says why). An app waiting for a file (a draft activity)
publishes it or keeps it back with the reason.
"""

from django.dispatch import Signal

media_processed = Signal()
