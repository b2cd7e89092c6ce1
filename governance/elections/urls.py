from django.urls import path

from governance.elections.views import postal, public, telecoms, trustee, voter_help, voting

app_name = "elections"

urlpatterns = [
    path("", public.election_list, name="list"),
    path("<int:pk>/", public.election_detail, name="detail"),
    path("lost-code/", voter_help.lost_code, name="lost_code"),
    path("<int:pk>/receipts/", voter_help.check_receipt, name="check_receipt"),
    path("<int:pk>/nominate/", public.nominate, name="nominate"),
    path("<int:pk>/withdraw/", public.withdraw, name="withdraw"),
    path("<int:pk>/vote/", voting.start, name="vote"),
    path("<int:pk>/vote/review/", voting.review, name="review"),
    path("<int:pk>/vote/cast/", voting.cast, name="cast"),
    path("<int:pk>/vote/received/", voting.received, name="received"),
    path("<int:pk>/easy-read/", public.easy_read, name="easy_read"),
    path("postbags/", postal.my_bags, name="postbags"),
    path("postbags/<int:bag_pk>/", postal.key, name="key_postbag"),
    path("postbags/<int:bag_pk>/abandon/", postal.abandon, name="abandon_postbag"),
    path("text/", telecoms.text_message, name="text"),
    path("phone/", telecoms.call, name="phone"),
    path("phone/code/", telecoms.call_code, name="phone_code"),
    path("phone/ballot/", telecoms.call_ballot, name="phone_ballot"),
    path("phone/choices/", telecoms.call_choices, name="phone_choices"),
    path("phone/confirm/", telecoms.call_confirm, name="phone_confirm"),
    path("phone/ended/", telecoms.call_ended, name="phone_ended"),
    path("<int:pk>/results/", public.results, name="results"),
    path("<int:pk>/ballots.blt", public.ballots_blt, name="blt"),
    path("<int:pk>/archive.bel", trustee.archive, name="archive"),
    path("<int:pk>/trustee/", trustee.page, name="trustee"),
    path("<int:pk>/trustee/upload/", trustee.upload, name="trustee_upload"),
    path("<int:pk>/trustee/trustee_kit.py", trustee.kit, name="trustee_kit"),
    path("<int:pk>/trustee/certificates.jsons", trustee.certificates, name="trustee_certificates"),
    path("<int:pk>/trustee/<str:name>", trustee.own_file, name="trustee_file"),
]
