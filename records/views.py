"""The public page of the record's signed checkpoints and its keys: what anyone may keep and check against."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from records.keys import published_keys
from records.models import Checkpoint

SHOWN = 30


@require_GET
def checkpoints(request):
    context = {
        "checkpoints": Checkpoint.objects.order_by("-taken_at", "-sequence")[:SHOWN],
        "keys": sorted(published_keys().values(), key=lambda key: (key.valid_from is not None, key.valid_from)),
    }
    return render(request, "records/checkpoints.html", context)


@require_GET
def checkpoint_document(request, pk):
    checkpoint = get_object_or_404(Checkpoint, pk=pk)
    response = JsonResponse(checkpoint.as_document(), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="record-checkpoint-{checkpoint.sequence}.json"'
    return response


@require_GET
def public_keys(request):
    keys = [key.as_json() for key in published_keys().values()]
    return JsonResponse({"keys": keys}, json_dumps_params={"indent": 2})
