"""The register's models, in rooms: the register itself, applications, population figures, and
access that needs the membership office. Import them from here."""

from membership.models.access import AccountReferral, InspectionRequest, InspectionStatus
from membership.models.applications import Application, ApplicationStatus, ProposedLeaver
from membership.models.population import PopulationDimension, PopulationFigure
from membership.models.register import (
    Area,
    CeaseReason,
    Constituency,
    ConstituencyKind,
    LawfulBasis,
    Member,
    Membership,
    loose_key,
    normalise_postcode,
    outward_code,
    takes_post,
)

__all__ = [
    "AccountReferral",
    "Application",
    "ApplicationStatus",
    "Area",
    "CeaseReason",
    "Constituency",
    "ConstituencyKind",
    "InspectionRequest",
    "InspectionStatus",
    "LawfulBasis",
    "Member",
    "Membership",
    "PopulationDimension",
    "PopulationFigure",
    "ProposedLeaver",
    "loose_key",
    "normalise_postcode",
    "outward_code",
    "takes_post",
]
