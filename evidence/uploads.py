"""Receiving evidence files from the request: streamed to a temporary file on disk, hashed and
counted while they arrive, and stopped as soon as one passes the size cap.

Django sanitises upload file names before upload handlers see them (it drops everything up to
the last "/" and removes control characters), which would turn "../../x.pdf" silently into
"x.pdf". Evidence refuses such names with a message instead, so the parser below keeps the name
as it was sent, for the validators.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser

from evidence.validators import max_upload_bytes

# One request may carry several files (the no-JavaScript form); the browser script sends one.
MAX_FILES_PER_REQUEST = 20
_FORM_OVERHEAD = 1024 * 1024


def request_too_large(request: HttpRequest) -> bool:
    """A body that cannot be a valid upload is refused before a byte of it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_upload_bytes() * MAX_FILES_PER_REQUEST + _FORM_OVERHEAD


class EvidenceUploadedFile(TemporaryUploadedFile):
    """A received file with what was learned while it streamed in."""

    raw_name: str = ""
    sha256: str = ""


@dataclass
class UploadState:
    """Per request: the names as sent (in order of the file parts) and the refused parts."""

    raw_names: list[str] = field(default_factory=list)
    too_large: list[str] = field(default_factory=list)


class _RawNameParser(MultiPartParser):
    def __init__(self, *args, state: UploadState, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._state = state

    def sanitize_file_name(self, file_name: str) -> str:
        self._state.raw_names.append(file_name)
        # Never None: a part Django would drop ("..", only control characters) must reach the
        # handler, which refuses it by its raw name.
        return super().sanitize_file_name(file_name) or "berkas"


class EvidenceUploadHandler(FileUploadHandler):
    """Writes each file part to a temporary file while hashing it; skips a part at the cap."""

    chunk_size = 64 * 1024

    def __init__(self, request: HttpRequest, state: UploadState) -> None:
        super().__init__(request)
        self.state = state
        self.limit = max_upload_bytes()
        self._index = -1
        self._hash = hashlib.sha256()
        self._received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self._index += 1
        self._hash = hashlib.sha256()
        self._received = 0
        self.file = EvidenceUploadedFile(self.file_name, self.content_type, 0, self.charset)
        self.file.raw_name = self._raw_name()
        raise StopFutureHandlers()

    def _raw_name(self) -> str:
        names = self.state.raw_names
        return names[self._index] if self._index < len(names) else self.file_name

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._received += len(raw_data)
        if self._received > self.limit:
            self.state.too_large.append(self.file.raw_name)
            raise SkipFile()
        self._hash.update(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> EvidenceUploadedFile:
        self.file.seek(0)
        self.file.size = file_size
        self.file.sha256 = self._hash.hexdigest()
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            self.file.close()


def install_upload_handler(request: HttpRequest) -> UploadState:
    """Make `request` parse its body with the evidence handler. Call before anything reads
    request.POST or request.FILES (so: in a csrf_exempt view that then runs the CSRF check)."""
    state = UploadState()
    request.upload_handlers = [EvidenceUploadHandler(request, state)]

    def parse_file_upload(META, post_data):
        parser = _RawNameParser(
            META, post_data, request.upload_handlers, request.encoding, state=state
        )
        return parser.parse()

    request.parse_file_upload = parse_file_upload  # type: ignore[method-assign]
    return state
