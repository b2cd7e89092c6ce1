"""The public registers: governors, directors, and their declared interests."""

from django.shortcuts import render

from governance.bodies.models import BodyKind
from governance.bodies.selectors import public_declarations, public_register


def _register(request, kind, heading):
    tenures = list(public_register(kind))
    declarations = {}
    for declaration in public_declarations([tenure.holder_id for tenure in tenures]):
        declarations.setdefault(declaration.holder_id, []).append(declaration)
    rows = [(tenure, declarations.get(tenure.holder_id, [])) for tenure in tenures]
    return render(request, "bodies/register.html", {"rows": rows, "heading": heading})


def governors(request):
    return _register(request, BodyKind.COUNCIL_OF_GOVERNORS, "Register of governors and their interests")


def directors(request):
    return _register(request, BodyKind.BOARD, "Register of directors and their interests")
