"""Which class of a staff constituency each HR staff group belongs to.

The NHS Electronic Staff Record (ESR) puts everyone in one of nine staff groups; a trust's
constitution divides its staff constituency into classes of its own (often medical, nursing and
other). Each ESR group has default classes, tried in order against the constituency's classes
(case-insensitively); a constituency's own `staff_groups` mapping, edited in the back office,
overrides them, and a group named exactly as one of the classes is that class.
"""

from membership.models import loose_key

# ESR's standard staff groups, as ESR spells them, with the classes each falls into by default.
ESR_STAFF_GROUPS = {
    "Medical and Dental": ("Medical and Dental", "Medical"),
    "Nursing and Midwifery Registered": ("Nursing and Midwifery", "Nursing and Midwifery Registered", "Nursing"),
    "Additional Clinical Services": ("Additional Clinical Services", "Clinical Support", "Other"),
    "Allied Health Professionals": ("Allied Health Professionals", "AHPs", "Other"),
    "Add Prof Scientific and Technic": ("Scientific and Technical", "Add Prof Scientific and Technic", "Other"),
    "Healthcare Scientists": ("Healthcare Scientists", "Scientific and Technical", "Other"),
    "Administrative and Clerical": ("Administrative and Clerical", "Admin and Clerical", "Other"),
    "Estates and Ancillary": ("Estates and Ancillary", "Other"),
    "Students": ("Students", "Other"),
}


def staff_group_classes(constituency):
    """{loose_key(staff group): class} for `constituency`: its classes themselves, then the
    ESR defaults that land on one of its classes, then its own mapping, each overriding the last."""
    classes = {loose_key(name): name for name in constituency.classes}
    mapping = dict(classes)
    for group, candidates in ESR_STAFF_GROUPS.items():
        chosen = next((classes[loose_key(c)] for c in candidates if loose_key(c) in classes), None)
        if chosen is not None:
            mapping[loose_key(group)] = chosen
    for group, name in (constituency.staff_groups or {}).items():
        if loose_key(name) in classes:
            mapping[loose_key(group)] = classes[loose_key(name)]
    return mapping
