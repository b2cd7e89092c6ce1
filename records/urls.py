from django.urls import path

from records import views
from records.feeds import AtomCheckpointFeed, CheckpointFeed

app_name = "record"

urlpatterns = [
    path("", views.checkpoints, name="checkpoints"),
    path("checkpoints/<int:pk>.json", views.checkpoint_document, name="checkpoint"),
    path("keys.json", views.public_keys, name="keys"),
    path("feed/", CheckpointFeed(), name="feed"),
    path("feed/atom/", AtomCheckpointFeed(), name="feed_atom"),
]
