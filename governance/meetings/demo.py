"""Demo meetings: past council and board meetings with published papers and approved minutes, the
next ones with draft papers, the annual members' meeting, and a members' motion in progress.
Fictional and idempotent. Runs after `governance.bodies.demo`."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from config.demo import demo_email
from governance.bodies.models import Body
from governance.bodies.selectors import current_office_holders
from governance.meetings.models import AgendaItem, AgendaPart, Meeting, MeetingStatus, PaperVisibility
from governance.meetings.services import add_paper, approve_minutes, draft_minutes, publish_paper, record_attendance

AGENDA = [
    (1, "Welcome, apologies and declarations of interest", AgendaPart.PUBLIC, None),
    (2, "Chief executive's report", AgendaPart.PUBLIC, PaperVisibility.PUBLIC),
    (3, "Quality and safety report", AgendaPart.PUBLIC, PaperVisibility.MEMBERS),
    (4, "Governors' briefing on the annual plan", AgendaPart.PUBLIC, PaperVisibility.GOVERNORS),
    (5, "Estates: sale of the Eastbrook site", AgendaPart.CONFIDENTIAL, PaperVisibility.BODY),
]


def text_pdf(title, lines):
    """A one-page PDF showing `title` and `lines` in Helvetica, built by hand (no extra library)."""
    text = [f"BT /F1 18 Tf 56 780 Td ({title}) Tj ET"]
    text += [f"BT /F1 11 Tf 56 {750 - 16 * i} Td ({line}) Tj ET" for i, line in enumerate(lines)]
    stream = "\n".join(text).replace("'", "")
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def _meeting(body, title, starts_at, status, clerk, *, publish):
    meeting, created = Meeting.objects.get_or_create(
        body=body, title=title, defaults={"starts_at": starts_at, "status": status, "location": "Northfield House"}
    )
    if not created:
        return meeting
    for number, item_title, part, visibility in AGENDA:
        item = AgendaItem.objects.create(meeting=meeting, number=number, title=item_title, part=part)
        if visibility is None:
            continue
        paper = add_paper(
            meeting,
            title=item_title,
            content=text_pdf(item_title, [str(meeting), "A fictional paper for the Commonweal demo."]),
            filename="paper.pdf",
            visibility=visibility,
            agenda_item=item,
            actor=clerk,
        )
        if publish:
            publish_paper(paper, actor=clerk)
    return meeting


def seed(out):
    clerk = get_user_model().objects.filter(email=demo_email("Clerk")).first()
    if clerk is None:
        out.write("Meetings: skipped (no demo clerk).")
        return
    now = timezone.now().replace(hour=18, minute=0, second=0, microsecond=0)
    for body in Body.objects.filter(slug__in=["council-of-governors", "board-of-directors"]):
        earlier = _meeting(
            body,
            f"{body.name}: spring meeting",
            now - datetime.timedelta(days=150),
            MeetingStatus.HELD,
            clerk,
            publish=True,
        )
        last = _meeting(
            body,
            f"{body.name}: summer meeting",
            now - datetime.timedelta(days=60),
            MeetingStatus.HELD,
            clerk,
            publish=True,
        )
        _meeting(
            body,
            f"{body.name}: autumn meeting",
            now + datetime.timedelta(days=30),
            MeetingStatus.SCHEDULED,
            clerk,
            publish=False,
        )
        if not last.attendances.exists():
            holders = [tenure.holder for tenure in current_office_holders(body, last.starts_at.date())]
            record_attendance(last, holders, actor=clerk)
        if not hasattr(last, "minutes"):
            draft_minutes(last, "Present: the chair and members of the body. (Draft, for approval.)", actor=clerk)
        if not hasattr(earlier, "minutes"):
            minutes = draft_minutes(
                earlier,
                "Present: the chair and members of the body.\nThe chief executive's report was received.",
                actor=clerk,
            )
            approve_minutes(minutes, at_meeting=last, actor=clerk)

    out.write("Meetings: past meetings with papers and minutes, and the next ones in draft.")
