import asyncio
import gzip
import json
import random
import zlib

import brotli
import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse

from stemhulp.compression import CompressionMiddleware, accepted_encodings

DECOMPRESS = {"gzip": gzip.decompress, "br": brotli.decompress}


def statement_page(client, accept_encoding=None):
    headers = {"accept-encoding": accept_encoding} if accept_encoding else {}
    return client.get(reverse("quiz:statement", args=["test", 2]), headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_statement_page_is_compressed_for_a_client_that_accepts_it(client, election, coding):
    response = statement_page(client, coding)
    assert response["Content-Encoding"] == coding
    assert "Stelling 2 / 3" in DECOMPRESS[coding](response.content).decode()
    assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.django_db
def test_brotli_is_preferred_when_the_client_accepts_both(client, election):
    assert statement_page(client, "gzip, deflate, br, zstd")["Content-Encoding"] == "br"


@pytest.mark.django_db
def test_a_statement_page_is_plain_without_accept_encoding(client, election):
    response = statement_page(client)
    assert not response.has_header("Content-Encoding")
    assert "Stelling 2 / 3" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("coding", [None, "gzip", "br"])
def test_a_statement_page_varies_on_accept_encoding(client, election, coding):
    vary = statement_page(client, coding)["Vary"]
    assert "Accept-Encoding" in [v.strip() for v in vary.split(",")]


@pytest.mark.django_db
def test_the_json_api_is_compressed(client, election):
    response = client.get(
        reverse("quiz:api-election", args=["test"]), headers={"accept-encoding": "gzip"}
    )
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["slug"] == "test"


def test_accepted_encodings_honour_q_zero():
    assert accepted_encodings("br;q=0, gzip;q=0.5, identity") == {"gzip", "identity"}
    assert accepted_encodings("BR ; q=1") == {"br"}
    assert accepted_encodings("") == set()


def call(response, accept_encoding="gzip, br"):
    request = RequestFactory().get("/", headers={"accept-encoding": accept_encoding})
    return CompressionMiddleware(lambda request: response)(request)


def test_an_already_compressed_format_is_sent_as_it_is():
    xlsx = HttpResponse(
        b"PK\x03\x04" + bytes(1000),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert not call(xlsx).has_header("Content-Encoding")


def test_a_short_response_is_sent_as_it_is():
    assert not call(HttpResponse("x" * 199)).has_header("Content-Encoding")


def test_a_strong_etag_becomes_weak_when_compressed():
    response = HttpResponse("<p>" * 200)
    response["ETag"] = '"abc"'
    assert call(response, "br")["ETag"] == 'W/"abc"'


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_streaming_response_is_compressed_as_it_streams(coding):
    produced = []
    rng = random.Random(1)

    def rows():
        for n in range(20):
            produced.append(n)
            yield "".join(f"{n};{rng.random()}\n" for _ in range(2000)).encode()

    response = call(StreamingHttpResponse(rows(), content_type="text/csv"), coding)
    assert response["Content-Encoding"] == coding
    assert not response.has_header("Content-Length")
    decompress = (
        zlib.decompressobj(wbits=31).decompress
        if coding == "gzip"
        else brotli.Decompressor().process
    )
    body = b""
    for chunk in response.streaming_content:
        body += decompress(chunk)
        if body and len(produced) < 20:
            break
    else:
        pytest.fail("the whole stream was read before any of it could be decompressed")
    body += b"".join(decompress(chunk) for chunk in response.streaming_content)
    assert body.decode().count("\n") == 20 * 2000


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_an_async_streaming_response_is_compressed(coding):
    async def rows():
        for n in range(3):
            yield f"rij {n}\n".encode() * 100

    response = call(StreamingHttpResponse(rows(), content_type="text/csv"), coding)

    async def body():
        return b"".join([chunk async for chunk in response.streaming_content])

    compressed = asyncio.run(body())
    assert response["Content-Encoding"] == coding
    assert DECOMPRESS[coding](compressed).count(b"\n") == 300
