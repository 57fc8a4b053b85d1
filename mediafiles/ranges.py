"""A file response that honours HTTP range requests (RFC 9110), streamed from the file.

Django's FileResponse always sends the whole file, but a phone playing a video
asks for pieces: the index, then wherever the viewer jumps. This answers

- 200 with the whole file when there is no Range header, or one that is not a
  single well-formed byte range (an unknown unit, `bytes=5-2`, garbage): RFC
  9110 lets a server ignore such headers;
- 200 with the whole file for a multi-range request (`bytes=0-1,5-6`): players
  never send them, and a multipart/byteranges body is not worth its code;
- 206 with Content-Range for one satisfiable range (`a-b`, `a-`, `-n`);
- 416 with `Content-Range: bytes */size` when the range starts past the end;
- the headers only for HEAD.

If-Range is honoured: a range is only served from the same version of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe

BLOCK = 64 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class Unsatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) inclusive for one satisfiable range; None to send the whole file.

    Raises Unsatisfiable for a well-formed range that lies beyond the file.
    """
    if not header or "," in header:
        return None
    match = _RANGE.match(header)
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last n bytes
        suffix = int(last)
        if suffix == 0:
            raise Unsatisfiable
        return max(0, size - suffix), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # not a valid range: ignored
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size - 1)


def _iterate(fh: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    try:
        fh.seek(start)
        remaining = length
        while remaining > 0:
            block = fh.read(min(BLOCK, remaining))
            if not block:
                break
            remaining -= len(block)
            yield block
    finally:
        fh.close()


def ranged_response(
    request,
    fh: BinaryIO,
    *,
    size: int,
    content_type: str,
    etag: str,
    last_modified: float | None = None,
) -> HttpResponse:
    """Answer GET or HEAD for an open binary file of `size` bytes; the file is closed when done."""
    header = request.headers.get("Range", "")
    if header and not _if_range_matches(request.headers.get("If-Range"), etag, last_modified):
        header = ""
    try:
        byte_range = parse_range(header, size)
    except Unsatisfiable:
        fh.close()
        response = HttpResponse(status=416)
        response.headers["Content-Range"] = f"bytes */{size}"
        response.headers["Accept-Ranges"] = "bytes"
        return response

    if byte_range is None:
        start, length, status = 0, size, 200
    else:
        start, end = byte_range
        length, status = end - start + 1, 206

    if request.method == "HEAD":
        fh.close()
        response = HttpResponse(status=status)
    else:
        response = StreamingHttpResponse(_iterate(fh, start, length), status=status)
        # Closed when the server is done with the response, also when the client left early.
        response._resource_closers.append(fh.close)
    response.headers["Content-Type"] = content_type
    response.headers["Content-Length"] = str(length)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["ETag"] = etag
    if last_modified:
        response.headers["Last-Modified"] = http_date(last_modified)
    if status == 206:
        response.headers["Content-Range"] = f"bytes {start}-{start + length - 1}/{size}"
    return response


def _if_range_matches(if_range: str | None, etag: str, last_modified: float | None) -> bool:
    if not if_range:
        return True
    if if_range.startswith(('"', "W/")):
        return if_range == etag  # strong comparison: a weak tag never matches
    date = parse_http_date_safe(if_range)
    return bool(date and last_modified and int(last_modified) <= date)
