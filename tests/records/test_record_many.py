import pytest

from records.models import Entry
from records.selectors import first_break
from records.services import BATCH_SIZE, Draft, record, record_many

pytestmark = pytest.mark.django_db


def test_entries_recorded_many_at_once_extend_the_chain_as_one_by_one_would():
    record("before", "An entry before")
    drafts = [
        Draft(f"Member M{n:08d} admitted", "membership.membership", str(n), payload={"n": n})
        for n in range(BATCH_SIZE + 1)
    ]
    entries = record_many("member.admitted", drafts)
    record("after", "An entry after")
    assert Entry.objects.count() == BATCH_SIZE + 3
    assert [e.pk for e in entries] == list(Entry.objects.filter(kind="member.admitted").values_list("pk", flat=True))
    assert Entry.objects.get(subject_id="7").payload == {"n": 7}
    assert first_break() is None
