"""Imports: each validates every row of its file first, then writes all or nothing, naming each
bad row by line and field (ARCHITECTURE.md invariant 6).

- `staff`: HR staff files, as ESR exports them, into a staff constituency;
- `public`: public, patient and carer members from another system's CSV;
- `areas`: the organisation's areas (postcode districts of each public constituency).
"""

from membership.imports.areas import import_areas
from membership.imports.csvfile import ImportRefused, RowError
from membership.imports.public import PublicImportPlan, import_public_members
from membership.imports.staff import ImportPlan, import_staff, plan_staff_import
from membership.imports.staff_rows import read_staff_file

__all__ = [
    "ImportPlan",
    "ImportRefused",
    "PublicImportPlan",
    "RowError",
    "import_areas",
    "import_public_members",
    "import_staff",
    "plan_staff_import",
    "read_staff_file",
]
