"""A believable, fictional directory: a few hundred organisations across a county's localities
and areas of interest. Deterministic and idempotent (entries are found by slug)."""

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from partners.models import (
    AreaOfInterest,
    ConfirmedBy,
    InfrastructureBody,
    Locality,
    OrganisationType,
    PartnerOrganisation,
    Postcode,
)
from partners.services import entries_changed

LOCALITIES = [
    "Northfield",
    "Eastbrook",
    "Westmere",
    "Southwold Vale",
    "Ashby Cross",
    "Kingsford",
    "Millbank",
    "Hollins Green",
    "Oakhurst",
    "Redcliffe",
    "Thornbury Marsh",
    "Fenwick",
]
AREAS = [
    "Frailty",
    "Adolescent mental health",
    "Carers",
    "Dementia",
    "Adult mental health",
    "Loneliness and isolation",
    "Learning disability",
    "Autism",
    "Substance misuse",
    "Homelessness",
    "Domestic abuse",
    "Bereavement",
    "Physical activity",
    "Food poverty",
    "Long-term conditions",
    "Maternity and early years",
]
NAME_STARTS = ["Friends of", "Together in", "Open Door", "Bridges", "Hand in Hand", "Compass", "Lantern", "Harbour"]
NAME_FOCUS = {
    "Frailty": "Good Neighbours",
    "Adolescent mental health": "Youth Wellbeing",
    "Carers": "Carers' Network",
    "Dementia": "Memory Café",
    "Adult mental health": "Mind Matters",
    "Loneliness and isolation": "Befriending",
    "Learning disability": "Advocacy",
    "Autism": "Autism Support",
    "Substance misuse": "Recovery Community",
    "Homelessness": "Shelter Project",
    "Domestic abuse": "Safe Space",
    "Bereavement": "Bereavement Support",
    "Physical activity": "Walking Group",
    "Food poverty": "Community Larder",
    "Long-term conditions": "Peer Support",
    "Maternity and early years": "Family Hub",
}
SERVICES = {
    "Frailty": "Home visits, falls prevention, help with shopping and lifts to appointments for older people living "
    "alone.",
    "Adolescent mental health": "Drop-in sessions and one-to-one support for young people aged 11 to 18.",
    "Carers": "Respite breaks, a carers' helpline and monthly support groups.",
    "Dementia": "Weekly memory cafés for people living with dementia and the people who care for them.",
    "Adult mental health": "Peer-led groups, a listening line and help returning to work.",
    "Loneliness and isolation": "Telephone and face-to-face befriending.",
    "Learning disability": "Independent advocacy and supported social activities.",
    "Autism": "Social groups, parent workshops and help with assessments.",
    "Substance misuse": "Recovery cafés and mutual-aid meetings.",
    "Homelessness": "Night shelter, day centre and tenancy support.",
    "Domestic abuse": "Confidential advice, outreach and safe accommodation.",
    "Bereavement": "Counselling and bereavement groups for adults and children.",
    "Physical activity": "Health walks and chair-based exercise classes.",
    "Food poverty": "A food bank, food parcels, a community larder and cooking on a budget.",
    "Long-term conditions": "Peer support for people living with diabetes, COPD and heart conditions.",
    "Maternity and early years": "Baby groups, breastfeeding support and parenting courses.",
}
# Each locality's postcode district: fictional areas (no real UK postcode area is spelt so), so the demo's
# first postcode search finds something without loading the ONS Postcode Directory. Around 51.75 N, 1.25 W.
DISTRICTS = {
    "Northfield": ("NF1", 51.80, -1.25),
    "Eastbrook": ("EB1", 51.75, -1.18),
    "Westmere": ("WM1", 51.75, -1.34),
    "Southwold Vale": ("SV1", 51.69, -1.25),
    "Ashby Cross": ("AX1", 51.83, -1.17),
    "Kingsford": ("KF1", 51.83, -1.33),
    "Millbank": ("MB1", 51.67, -1.17),
    "Hollins Green": ("HQ1", 51.67, -1.33),
    "Oakhurst": ("OQ1", 51.72, -1.10),
    "Redcliffe": ("RQ1", 51.78, -1.40),
    "Thornbury Marsh": ("TQ9", 51.86, -1.25),
    "Fenwick": ("FQ1", 51.63, -1.25),
}
POSTCODES_PER_DISTRICT = 20
# The councils for voluntary service, each for some of the localities.
INFRASTRUCTURE_BODIES = {
    "Eastshire Council for Voluntary Service": (
        "cvs@eastshire-cvs.example",
        "The council for voluntary service for the east of the county",
        ["Eastbrook", "Ashby Cross", "Millbank", "Oakhurst", "Northfield", "Thornbury Marsh"],
    ),
    "Westvale Voluntary Action": (
        "hello@westvale-action.example",
        "The voluntary sector's support body for the west of the county",
        ["Westmere", "Kingsford", "Hollins Green", "Redcliffe", "Southwold Vale", "Fenwick"],
    ),
}
NUMBERED_TYPES = [
    OrganisationType.REGISTERED_CHARITY,
    OrganisationType.CIO,
    OrganisationType.CIC,
    OrganisationType.COOPERATIVE,
    OrganisationType.COMMUNITY_BENEFIT_SOCIETY,
]
ORGANISATIONS = 300


def _vocabulary(model, names):
    return [model.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0] for name in names]


def _registration_number(kind, n):
    if kind == OrganisationType.CIC:
        return f"1{n:07d}"
    if kind in (OrganisationType.COOPERATIVE, OrganisationType.COMMUNITY_BENEFIT_SOCIETY):
        return f"RS{n:06d}"
    return f"11{n:05d}"


def _postcode(district, n):
    return f"{district} {1 + n % 9}{'ABDEFGHJLNPQRSTUWXYZ'[n]}{'ABDEFGHJLNPQRSTUWXYZ'[(n * 7) % 20]}"


def _places(localities):
    """The demo's postcode sample (made up, in the ONS's layout) and each locality's districts and body."""
    rng = random.Random(36)
    Postcode.objects.bulk_create(
        [
            Postcode(
                postcode=_postcode(district, n),
                latitude=round(latitude + rng.uniform(-0.02, 0.02), 4),
                longitude=round(longitude + rng.uniform(-0.03, 0.03), 4),
            )
            for district, latitude, longitude in DISTRICTS.values()
            for n in range(POSTCODES_PER_DISTRICT)
        ],
        ignore_conflicts=True,
    )
    by_name = {place.name: place for place in localities}
    for name, (email, description, served) in INFRASTRUCTURE_BODIES.items():
        body, _ = InfrastructureBody.objects.get_or_create(
            name=name, defaults={"email": email, "description": description}
        )
        for place_name in served:
            place = by_name[place_name]
            place.postcode_districts = place.postcode_districts or DISTRICTS[place_name][0]
            place.infrastructure_body = place.infrastructure_body or body
            place.save(update_fields=["postcode_districts", "infrastructure_body"])


def seed(out):
    rng = random.Random(8)
    localities = _vocabulary(Locality, LOCALITIES)
    areas = _vocabulary(AreaOfInterest, AREAS)
    _places(localities)
    today = timezone.localdate()
    created = 0
    for n in range(1, ORGANISATIONS + 1):
        area = rng.choice(areas)
        place = rng.choice(localities)
        name = f"{rng.choice(NAME_STARTS)} {place.name} {NAME_FOCUS[area.name]}"
        slug = f"{slugify(name)}-{n}"
        kind = rng.choice([*NUMBERED_TYPES, OrganisationType.UNINCORPORATED])
        # Most entries were checked within the year; some have lapsed, a few were never checked.
        age_days = rng.choice([rng.randint(1, 330)] * 8 + [rng.randint(400, 900), None])
        # Drawn whether or not the entry exists, so a second run walks the same sequence.
        extra_areas = rng.sample(areas, rng.randint(0, 2))
        extra_places = rng.sample(localities, rng.randint(0, 3))
        partner, made = PartnerOrganisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "organisation_type": kind,
                "registration_number": "" if kind == OrganisationType.UNINCORPORATED else _registration_number(kind, n),
                "services": SERVICES[area.name],
                "contact_name": "Volunteer coordinator",
                "email": f"hello@{slugify(name)[:40]}.example",
                "phone": f"01632 {960000 + n:06d}",
                "website": f"https://{slugify(name)[:40]}.example",
                "last_verified_on": today - timedelta(days=age_days) if age_days else None,
                "confirmed_by": ConfirmedBy.EDITOR if age_days else "",
            },
        )
        if not partner.postcode:  # entries made before the demo had postcodes are placed too
            partner.postcode = _postcode(DISTRICTS[place.name][0], n % POSTCODES_PER_DISTRICT)
            partner.save(update_fields=["postcode"])
        if made:
            partner.areas_of_interest.set({area, *extra_areas})
            partner.localities.set({place, *extra_places})
            created += 1
    entries_changed()
    out.write(
        f"Partner directory: {PartnerOrganisation.objects.count()} organisations ({created} new), placed by a "
        f"sample of {Postcode.objects.count()} made-up postcodes: try a search near EB1 1AA."
    )
