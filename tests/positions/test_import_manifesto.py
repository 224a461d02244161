"""Importing programmes: the command and the admin upload."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from positions.importing import import_manifesto
from positions.manifesto import REPLACEMENT
from positions.models import ManifestoDocument, Passage
from tests.factories import PartyFactory

MANIFESTOS = Path(settings.BASE_DIR) / "fixtures" / "manifestos"
PROGRAMME = (
    "WONEN\n\n"
    "Iedereen heeft recht op een betaalbare woning. We bouwen meer sociale huur-\n"
    "woningen.\n\n"
    "• We voeren een huurprijsrem in.\n"
    "• We verlagen de registratierechten.\n"
)
RUNNING_HEAD = re.compile(r"\d{1,3} VOORUIT MET [A-Z ,]+|Basisprogramma 2024 - Internationaal")


@pytest.fixture
def party(db):
    return PartyFactory(slug="alfa", name="Alfa")


@pytest.fixture
def programme(tmp_path):
    path = tmp_path / "programma.txt"
    path.write_text(PROGRAMME, encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("import_manifesto", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_command_stores_the_text_verbatim_and_its_passages(party, programme):
    output = run(programme, "--party", "alfa", "--title", "Programma Alfa", "--country", "be")
    document = ManifestoDocument.objects.get()
    assert document.original_text == PROGRAMME
    assert document.country == "BE"
    assert list(document.passages.values_list("heading", "line_start", "line_end", "text")) == [
        (
            "WONEN",
            3,
            4,
            "Iedereen heeft recht op een betaalbare woning. We bouwen meer sociale huurwoningen.",
        ),
        ("WONEN", 6, 6, "We voeren een huurprijsrem in."),
        ("WONEN", 7, 7, "We verlagen de registratierechten."),
    ]
    assert "Imported “Programma Alfa”: 3 passages" in output
    assert "hyphenations joined 1, kept 0" in output


def test_importing_the_same_file_again_updates_the_same_document(party, programme):
    run(programme, "--party", "alfa", "--title", "Eerste titel")
    first = ManifestoDocument.objects.get()
    output = run(programme, "--party", "alfa", "--title", "Tweede titel")
    document = ManifestoDocument.objects.get()
    assert document.pk == first.pk
    assert document.title == "Tweede titel"
    assert Passage.objects.count() == 3
    assert output.startswith("Re-imported “Tweede titel”")


def test_an_unknown_party_is_refused(db, programme):
    with pytest.raises(CommandError, match="unknown party 'nope'"):
        run(programme, "--party", "nope", "--title", "X")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "leeg"), (b"\x00\x01 binair", "binair"), (b"\xff\xfe\xfa", "geen UTF-8")],
)
def test_a_broken_file_is_refused_and_nothing_is_stored(party, tmp_path, content, message):
    path = tmp_path / "kapot.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path, "--party", "alfa", "--title", "X")
    assert not ManifestoDocument.objects.exists()
    assert not Passage.objects.exists()


def test_a_missing_file_is_refused(party, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "bestaat-niet.txt", "--party", "alfa", "--title", "X")


@pytest.mark.parametrize("name", sorted(p.name for p in MANIFESTOS.glob("*.txt")))
def test_every_seed_imports_clean(party, name):
    run(MANIFESTOS / name, "--party", "alfa", "--title", name)
    passages = Passage.objects.filter(document__title=name)
    assert passages.count() > 20
    assert not passages.filter(text__contains=REPLACEMENT).exists()
    assert not [p.text for p in passages if RUNNING_HEAD.search(p.text)]


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` in Helvetica, built by hand with a valid xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf


def upload(admin_client, party, filename, content, title="Geüpload programma"):
    return admin_client.post(
        reverse("admin:positions_manifestodocument_add"),
        {
            "party": party.pk,
            "title": title,
            "election_name": "",
            "year": "2024",
            "country": "BE",
            "language": "nl",
            "coverage": "",
            "upload": SimpleUploadedFile(filename, content),
        },
    )


def test_the_admin_imports_an_uploaded_text_file(admin_client, party):
    response = upload(admin_client, party, "programma.txt", PROGRAMME.encode())
    assert response.status_code == 302
    document = ManifestoDocument.objects.get()
    assert document.original_text == PROGRAMME
    assert document.passages.count() == 3


def test_the_admin_imports_an_uploaded_pdf(admin_client, party):
    response = upload(admin_client, party, "programma.pdf", minimal_pdf("Wij willen vrede."))
    assert response.status_code == 302
    document = ManifestoDocument.objects.get()
    assert list(document.passages.values_list("text", flat=True)) == ["Wij willen vrede."]


def test_the_admin_refuses_an_empty_file_with_a_form_error(admin_client, party):
    response = upload(admin_client, party, "leeg.txt", b"  \n")
    assert response.status_code == 200
    assert "leeg.txt: leeg: er staat geen tekst in" in response.content.decode()
    assert not ManifestoDocument.objects.exists()


def test_the_admin_refuses_a_file_already_imported_for_the_party(admin_client, party):
    upload(admin_client, party, "programma.txt", PROGRAMME.encode(), title="Eerste")
    response = upload(admin_client, party, "opnieuw.txt", PROGRAMME.encode(), title="Tweede")
    assert response.status_code == 200
    assert "Dit bestand is al geïmporteerd als “Eerste”." in response.content.decode()
    assert ManifestoDocument.objects.count() == 1


def test_the_admin_change_page_shows_the_passage_count(admin_client, party, programme):
    run(programme, "--party", "alfa", "--title", "Programma Alfa")
    document = ManifestoDocument.objects.get()
    response = admin_client.get(
        reverse("admin:positions_manifestodocument_change", args=[document.pk])
    )
    assert response.status_code == 200
    assert re.search(r"Passages:</label>\s*<div class=\"readonly\">3</div>", response.text)


def test_index_manifestos_splits_a_programme_loaded_without_passages(db):
    call_command("loaddata", Path(settings.BASE_DIR) / "fixtures" / "demo.json", verbosity=0)
    out = StringIO()
    call_command("index_manifestos", stdout=out)
    assert "Verkiezingsprogramma Fietspartij Voorbeeldstad (fictief voorbeeld): " in out.getvalue()
    assert not ManifestoDocument.objects.filter(passages__isnull=True).exists()


def test_index_manifestos_leaves_a_split_programme_alone(party):
    document = import_manifesto(party, PROGRAMME, title="Programma").document
    passages = list(document.passages.values_list("pk", flat=True))
    out = StringIO()
    call_command("index_manifestos", stdout=out)
    assert out.getvalue() == ""
    assert list(document.passages.values_list("pk", flat=True)) == passages
