"""Verifiable (Belenios) elections for tests: trustees who run the trustee kit in their own
folders, as they would on their own machines, and upload its outputs through the services."""

import datetime
from pathlib import Path

from django.utils import timezone

from governance.elections import box, trustees
from governance.elections.belenios import trustee_kit
from governance.elections.models import Elector, Nomination, NominationStatus, Protocol, State
from governance.elections.services import issue_credential, open_poll
from tests.factories.accounts import UserFactory
from tests.factories.elections import ElectionFactory
from tests.factories.membership import MemberFactory


def kit(*argv):
    code = trustee_kit.main([str(a) for a in argv])
    assert code == 0, f"the trustee kit stopped on {argv[0]}"


def make_election_key(election, folder):
    """The trustees' three rounds, each trustee's keys in their own folder under `folder`."""
    folder = Path(folder)
    named = list(election.trustees.order_by("number"))
    for trustee in named:
        keys = folder / f"trustee-{trustee.number}"
        kit("certificate", "--keys", keys, "--out", keys.with_suffix(".certificate.json"))
        trustees.submit_certificate(trustee, keys.with_suffix(".certificate.json").read_text())
    election.refresh_from_db()
    (folder / "certificates.jsons").write_text(trustees.certificates_file(election))
    for trustee in named:
        keys = folder / f"trustee-{trustee.number}"
        out = keys.with_suffix(".polynomial.json")
        kit("polynomial", "--keys", keys, "--certificates", folder / "certificates.jsons", "--threshold",
            election.belenios.threshold, "--out", out)  # fmt: skip
        trustees.submit_polynomial(trustee, out.read_text())
    for trustee in election.trustees.order_by("number"):
        keys = folder / f"trustee-{trustee.number}"
        keys.with_suffix(".input.json").write_text(trustee.verification_input)
        out = keys.with_suffix(".verification.json")
        kit("verification", "--keys", keys, "--certificates", folder / "certificates.jsons", "--input",
            keys.with_suffix(".input.json"), "--out", out)  # fmt: skip
        trustees.submit_verification(trustee, out.read_text())
    for trustee in election.trustees.order_by("number"):
        (folder / f"trustee-{trustee.number}.dkey").write_text(trustee.decryption_key)


def shuffle(election, trustee, folder):
    archive = Path(folder) / f"shuffle-{trustee.number}.bel"
    archive.write_bytes(box.archive(election))
    out = Path(folder) / f"trustee-{trustee.number}.shuffle.json"
    kit("shuffle", "--archive", archive, "--trustee-id", trustee.number, "--out", out)
    return out.read_text()


def decrypt(election, trustee, folder):
    archive = Path(folder) / f"decrypt-{trustee.number}.bel"
    archive.write_bytes(box.archive(election))
    keys = Path(folder) / f"trustee-{trustee.number}"
    out = keys.with_suffix(".partial.json")
    kit("decrypt", "--keys", keys, "--archive", archive, "--decryption-key", keys.with_suffix(".dkey"),
        "--trustee-id", trustee.number, "--out", out)  # fmt: skip
    return out.read_text()


def open_verifiable_poll(folder, names, *, method="mer2014", seats=1, voters=3, trustee_count=3, threshold=2):
    """An open verifiable election with valid candidates `names`, `voters` electors and a
    k-of-n key made by the trustee kit. Returns (election, {surname: nomination}, [codes], [users])."""
    election = ElectionFactory(method=method, seats=seats, protocol=Protocol.BELENIOS)
    users = UserFactory.create_batch(trustee_count)
    trustees.name_trustees(election, users, threshold=threshold)
    election.refresh_from_db()
    make_election_key(election, folder)
    nominations = {}
    for position, name in enumerate(sorted(names), start=1):
        nominations[name] = Nomination.objects.create(
            election=election,
            member=MemberFactory(first_name="Candidate", last_name=name),
            declares_eligible=True,
            status=NominationStatus.VALID,
            ballot_position=position,
            submitted_on=election.notice_on,
        )
    election.state = State.NOMINATIONS_CLOSED
    election.save(update_fields=["state"])
    electors = [Elector.objects.create(election=election, member=MemberFactory()) for _ in range(voters)]
    codes = [issue_credential(elector) for elector in electors]
    open_poll(election, today=election.poll_notice_on)
    election.refresh_from_db()
    return election, nominations, codes, users


def after_close(election):
    return election.poll_closes_at + datetime.timedelta(minutes=1) if election.poll_closes_at else timezone.now()
