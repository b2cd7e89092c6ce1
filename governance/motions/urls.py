from django.urls import path

from governance.motions.views import motions, written

app_name = "motions"

urlpatterns = [
    path("", motions.motion_list, name="list"),
    path("propose/", motions.motion_propose, name="propose"),
    path("<int:pk>/", motions.motion_detail, name="motion"),
    path("<int:pk>/support/", motions.motion_support, name="support"),
    path("<int:pk>/vote/", motions.motion_vote, name="vote"),
    path("<int:pk>/admit/", motions.motion_admit, name="admit"),
    path("<int:pk>/reject/", motions.motion_reject, name="reject"),
    path("<int:pk>/open/", motions.motion_open_poll, name="open_poll"),
    path("<int:pk>/close/", motions.motion_close_poll, name="close_poll"),
    path("<int:pk>/paper-vote/", motions.motion_paper_vote, name="paper_vote"),
    path("<int:pk>/voting-papers.pdf", motions.motion_voting_papers, name="voting_papers"),
    path("written/", written.written_list, name="written_list"),
    path("written/new/", written.written_new, name="written_new"),
    path("written/propose/", written.written_propose, name="written_propose"),
    path("written/<int:pk>/ask/", written.written_ask, name="written_ask"),
    path("written/<int:pk>/circulate/", written.written_circulate, name="written_circulate"),
    path("written/<int:pk>/decline/", written.written_decline, name="written_decline"),
    path("written/<int:pk>/", written.written_detail, name="written"),
    path("written/<int:pk>/reply/", written.written_reply, name="written_reply"),
    path("written/<int:pk>/paper-reply/", written.written_paper_reply, name="written_paper_reply"),
    path("written/<int:pk>/letters.csv", written.written_letters, name="written_letters"),
]
