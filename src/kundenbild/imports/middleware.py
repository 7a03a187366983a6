"""Refuse an upload over `settings.MAX_UPLOAD_BYTES` before its body is read.

Why a middleware: Django reads a multipart body as soon as anything asks for
`request.POST` (the CSRF check does, before any view), and the API parses its files
before the endpoint runs; both would write the whole file to disk first. The size the
client announces (Content-Length) is known before that. The API then answers 413 at
once; a page gets its files discarded unread and tells the user in the form, which its
view does with `upload_too_large`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# the form fields and multipart boundaries around the file
ENVELOPE_BYTES = 64 * 1024


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_BYTES >> 20}


def upload_too_large(request: HttpRequest) -> bool:
    """Whether this request's files were discarded for their size."""
    return bool(getattr(request, "kundenbild_upload_too_large", False))


class _DiscardFiles(FileUploadHandler):
    """Reads past every file of the request without keeping a byte of it."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        return None

    def file_complete(self, file_size: int) -> None:
        return None


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0
        if announced > settings.MAX_UPLOAD_BYTES + ENVELOPE_BYTES:
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"code": "file_too_large", "detail": too_large_message()}, status=413
                )
            request.upload_handlers = [_DiscardFiles(request)]
            request.kundenbild_upload_too_large = True  # type: ignore[attr-defined]
        return self.get_response(request)
