"""Compressed HTML, JSON and CSV responses: brotli where the client accepts it, gzip otherwise.

Static files never reach this middleware: WhiteNoise, above it in MIDDLEWARE, answers them with
their precompressed `.br` and `.gz` variants. Already compressed formats (XLSX, ZIP, images) and
responses under 200 bytes are sent as they are. A streaming response stays streaming: its chunks
are compressed as they come, never gathered in memory.

Why compression does not open the pages to BREACH (reading secrets from compressed sizes): that
needs a secret and attacker-chosen text in the same compressed body, fetched many times by the
victim's browser with the victim's cookies.
- The CSRF token is masked afresh for every response, so it cannot be guessed a byte at a time.
- The voter's answers (statement, overview and result pages) come from the session cookie, and
  those pages echo no query string. Attacker-chosen text could only arrive in a POST, which needs
  the CSRF token; and the session cookie is `SameSite=Lax`, so another site cannot make the
  browser send it with the images, scripts or fetches such an attack is made of.
- The shared result page echoes its query, but renders that query only, nothing from the cookie.
gzip keeps Django's random-length padding on top (`GZipMiddleware.max_random_bytes`); brotli has
no header field to pad, and rests on the reasons above.
"""

import functools
from collections.abc import AsyncIterator, Iterable, Iterator

import brotli
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.text import compress_sequence, compress_string

MIN_LENGTH = 200
# Compressing is the largest cost of a stored page. Measured on the demo's pages: a 4.6 KB
# statement page takes 23 µs at quality 1 (1,862 bytes), 113 µs at 4 (1,609 bytes), 81 µs with
# gzip 6 (1,716 bytes); an 80 KB result page 0.22 ms at 1 (12.3 KB), 0.68 ms at 4 (10.7 KB), 1.2 ms
# with gzip 6 (10.6 KB). On launch day the CPU runs out long before the bandwidth: quality 1.
# The default, 11, takes 450 ms: it is meant for files compressed once, like the static files.
BROTLI_QUALITY = 1
# The brotli encoder holds back megabytes of input before it writes; a stream is flushed at least
# this often so that its reader receives data as it is produced.
BROTLI_FLUSH_BYTES = 64 * 1024
GZIP_RANDOM_BYTES = 100
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)


def accepted_encodings(header: str) -> set[str]:
    """The content codings an `Accept-Encoding` header allows (any with q > 0)."""
    accepted = set()
    for part in header.split(","):
        coding, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding and quality > 0:
            accepted.add(coding.lower())
    return accepted


@functools.lru_cache(maxsize=256)
def _coding(accept_encoding: str) -> str | None:
    """The coding to send for an `Accept-Encoding` header; a client sends the same header with
    every request, and a handful of browsers send most of the requests."""
    accepted = accepted_encodings(accept_encoding)
    return "br" if "br" in accepted else "gzip" if "gzip" in accepted else None


class _BrotliStream:
    def __init__(self) -> None:
        self.compressor = brotli.Compressor(quality=BROTLI_QUALITY)
        self.unflushed = 0

    def process(self, chunk: bytes) -> bytes:
        data = self.compressor.process(chunk)
        self.unflushed += len(chunk)
        if self.unflushed >= BROTLI_FLUSH_BYTES:
            data += self.compressor.flush()
            self.unflushed = 0
        return data


def _brotli_sequence(chunks: Iterable[bytes]) -> Iterator[bytes]:
    stream = _BrotliStream()
    for chunk in chunks:
        data = stream.process(chunk)
        if data:
            yield data
    yield stream.compressor.finish()


async def _abrotli_sequence(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    stream = _BrotliStream()
    async for chunk in chunks:
        data = stream.process(chunk)
        if data:
            yield data
    yield stream.compressor.finish()


async def _agzip_sequence(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        yield compress_string(chunk, max_random_bytes=GZIP_RANDOM_BYTES)


class CompressionMiddleware(MiddlewareMixin):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if "Content-Encoding" in response or not response.get("Content-Type", "").startswith(
            COMPRESSIBLE_TYPES
        ):
            return response
        content = None if response.streaming else response.content
        if content is not None and len(content) < MIN_LENGTH:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = _coding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if coding is None:
            return response

        if content is None:
            self._compress_stream(response, coding)
        else:
            if coding == "br":
                compressed = brotli.compress(content, quality=BROTLI_QUALITY)
            else:
                compressed = compress_string(content, max_random_bytes=GZIP_RANDOM_BYTES)
            if len(compressed) >= len(content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))

        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = coding
        return response

    @staticmethod
    def _compress_stream(response: HttpResponseBase, coding: str) -> None:
        chunks = response.streaming_content
        if response.is_async:
            wrap = _abrotli_sequence if coding == "br" else _agzip_sequence
            response.streaming_content = wrap(chunks)
        elif coding == "br":
            response.streaming_content = _brotli_sequence(chunks)
        else:
            response.streaming_content = compress_sequence(
                chunks, max_random_bytes=GZIP_RANDOM_BYTES
            )
        del response.headers["Content-Length"]
