"""Postal packs made in the background: for each postal elector who has not voted, a voting-code
letter and a ballot paper in the format they asked for (standard, large print or easy read),
through the platform's one PDF maker (`config.pdf.render_pdf`).

The codes are issued by `codes.postal_mail_merge` as the batch is made, and exist only in its
files: each file is sealed while it waits, may be downloaded once, by the returning officer who
asked for it (a guardian grant on the batch), and is deleted as it is downloaded.
"""

import base64
from itertools import groupby

import barcode
from barcode.writer import SVGWriter
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from guardian.shortcuts import assign_perm

from config.pdf import EASY_READ, FORMAT_NAMES, FORMATS, LARGE_PRINT, STANDARD, render_pdf
from governance.elections import codes
from governance.elections.errors import ElectionError
from governance.elections.models import State
from governance.elections.paper_keying import barcode_payload, seal_bytes, unseal_bytes
from governance.elections.paper_models import IssueChannel, IssuedPapers, PrintBatch, PrintFile, PrintState
from governance.elections.selectors import ballot_candidates, candidate_name, postal_electors

DOWNLOAD = "elections.download_print_batch"
LETTERS_PER_FILE = 200  # a file a printer takes in one go; the batch's progress moves file by file
FILE_SEAL = b"cw-print-file"


@transaction.atomic(durable=True)
def request_postal_packs(election, *, actor):
    """Queue a batch of postal packs for `election`; only `actor` may download its files."""
    if election.state not in (State.NOMINATIONS_CLOSED, State.POLL_OPEN):
        raise ElectionError("Postal packs are made between the close of nominations and the close of poll.")
    if election.print_batches.filter(state__in=[PrintState.QUEUED, PrintState.MAKING]).exists():
        raise ElectionError("A batch of postal packs is being made already: wait for it to finish.")
    total = postal_electors(election).count()
    if not total:
        raise ElectionError("No postal elector is waiting for a pack: everyone has an email or has voted.")
    batch = PrintBatch.objects.create(election=election, requested_by=actor, letters_total=total)
    assign_perm(DOWNLOAD, actor, batch)
    transaction.on_commit(lambda: _queue(batch.pk))
    return batch


def _queue(batch_id):
    from governance.elections.tasks import make_postal_packs  # tasks import the services, not the reverse

    make_postal_packs.enqueue(batch_id)


def make_postal_packs(batch):
    """Issue the codes and make the files of `batch`, file by file, keeping its progress."""
    PrintBatch.objects.filter(pk=batch.pk).update(state=PrintState.MAKING)
    election = batch.election
    try:
        letters = codes.postal_mail_merge(election, actor=batch.requested_by)
    except ElectionError as error:
        PrintBatch.objects.filter(pk=batch.pk).update(state=PrintState.FAILED, problem=str(error))
        return
    PrintBatch.objects.filter(pk=batch.pk).update(letters_total=len(letters))
    context = _pack_context(election)
    for letter in letters:
        letter["format"] = _format_of(letter)
        letter["barcode"] = _barcode(barcode_payload(election, letter["credential"]))
    letters.sort(key=lambda letter: FORMATS.index(letter["format"]))
    for paper_format, group in groupby(letters, key=lambda letter: letter["format"]):
        group = list(group)
        for part in range(0, len(group), LETTERS_PER_FILE):
            chunk = group[part : part + LETTERS_PER_FILE]
            _keep_file(batch, paper_format, chunk, context, part // LETTERS_PER_FILE + 1)
    PrintBatch.objects.filter(pk=batch.pk).update(state=PrintState.READY)


def _pack_context(election):
    standing = ballot_candidates(election)
    return {
        "election": election,
        "method_is_fptp": not election.ranked,
        "candidate_names": [candidate_name(n, standing) for n in standing],
        "vote_url": settings.SITE_URL + reverse("elections:vote", args=[election.pk]),
    }


@transaction.atomic(durable=True)
def _keep_file(batch, paper_format, letters, context, part):
    title = f"{FORMAT_NAMES[paper_format]} postal packs, part {part}: {context['election'].title}"
    pdf = render_pdf("print/postal_packs.html", {**context, "letters": letters}, title=title)
    PrintFile.objects.create(
        batch=batch, format=paper_format, part=part, letters=len(letters), sealed=seal_bytes(pdf, FILE_SEAL)
    )
    PrintBatch.objects.filter(pk=batch.pk).update(letters_done=F("letters_done") + len(letters))
    count_issued(batch.election, IssueChannel.POST, paper_format, len(letters))


def count_issued(election, channel, paper_format, number):
    """Add `number` codes sent by `channel` in `paper_format` to the election's counts."""
    IssuedPapers.objects.bulk_create(
        [IssuedPapers(election=election, channel=channel, format=paper_format)], ignore_conflicts=True
    )
    IssuedPapers.objects.filter(election=election, channel=channel, format=paper_format).update(
        count=F("count") + number
    )


def _format_of(letter):
    if letter["easy_read"]:
        return EASY_READ
    return LARGE_PRINT if letter["large_print"] else STANDARD


def _barcode(payload):
    """A Code 128 barcode of `payload` as an SVG data URL, for the paper's scanner."""
    svg = barcode.get("code128", payload, writer=SVGWriter()).render(
        writer_options={"module_height": 12, "write_text": False}
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@transaction.atomic(durable=True)
def download_print_file(print_file, user):
    """The PDF of `print_file`, for the returning officer who asked for its batch; the file is
    deleted as it is handed over, so its codes rest nowhere once delivered."""
    # The file's row: two downloads at once would hand the codes out twice.
    print_file = PrintFile.objects.select_for_update().select_related("batch").get(pk=print_file.pk)
    if not user.has_perm(DOWNLOAD, print_file.batch):
        raise ElectionError("Only the returning officer who asked for this batch may download its files.")
    if print_file.sealed is None:
        raise ElectionError(
            "This file was downloaded already and has been deleted, with the codes in it. Make a new batch: "
            "it issues fresh codes, and the codes in the earlier file stop working."
        )
    pdf = unseal_bytes(print_file.sealed, FILE_SEAL)
    print_file.sealed = None
    print_file.save(update_fields=["sealed"])
    batch = print_file.batch
    if not batch.files.exclude(sealed=None).exists() and batch.state == PrintState.READY:
        PrintBatch.objects.filter(pk=batch.pk).update(state=PrintState.DOWNLOADED)
    return pdf
