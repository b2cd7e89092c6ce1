from django.urls import path

from governance.motions import views

app_name = "motions"

urlpatterns = [
    path("", views.motion_list, name="list"),
    path("propose/", views.motion_propose, name="propose"),
    path("<int:pk>/", views.motion_detail, name="motion"),
    path("<int:pk>/support/", views.motion_support, name="support"),
    path("<int:pk>/vote/", views.motion_vote, name="vote"),
    path("<int:pk>/admit/", views.motion_admit, name="admit"),
    path("<int:pk>/reject/", views.motion_reject, name="reject"),
    path("<int:pk>/open/", views.motion_open_poll, name="open_poll"),
    path("<int:pk>/close/", views.motion_close_poll, name="close_poll"),
    path("<int:pk>/paper-vote/", views.motion_paper_vote, name="paper_vote"),
    path("<int:pk>/voting-papers.csv", views.motion_voting_papers, name="voting_papers"),
    path("written/", views.written_list, name="written_list"),
    path("written/new/", views.written_new, name="written_new"),
    path("written/propose/", views.written_propose, name="written_propose"),
    path("written/<int:pk>/ask/", views.written_ask, name="written_ask"),
    path("written/<int:pk>/circulate/", views.written_circulate, name="written_circulate"),
    path("written/<int:pk>/decline/", views.written_decline, name="written_decline"),
    path("written/<int:pk>/", views.written_detail, name="written"),
    path("written/<int:pk>/reply/", views.written_reply, name="written_reply"),
    path("written/<int:pk>/paper-reply/", views.written_paper_reply, name="written_paper_reply"),
    path("written/<int:pk>/letters.csv", views.written_letters, name="written_letters"),
]
