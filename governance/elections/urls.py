from django.urls import path

from governance.elections.views import public, text, voting

app_name = "elections"

urlpatterns = [
    path("", public.election_list, name="list"),
    path("<int:pk>/", public.election_detail, name="detail"),
    path("<int:pk>/nominate/", public.nominate, name="nominate"),
    path("<int:pk>/withdraw/", public.withdraw, name="withdraw"),
    path("<int:pk>/vote/", voting.start, name="vote"),
    path("<int:pk>/vote/review/", voting.review, name="review"),
    path("<int:pk>/vote/cast/", voting.cast, name="cast"),
    path("<int:pk>/vote/received/", voting.received, name="received"),
    path("text/", text.inbound, name="text"),
    path("<int:pk>/results/", public.results, name="results"),
    path("<int:pk>/ballots.blt", public.ballots_blt, name="blt"),
]
