from django.urls import path

from cms import views
from cms.feeds import AtomNewsFeed, AtomPapersFeed, NewsFeed, PapersFeed

urlpatterns = [
    path("members/me/", views.portal, name="portal"),
    path("search/", views.search, name="search"),
    path("feeds/news/", NewsFeed(), name="news_feed"),
    path("feeds/news/atom/", AtomNewsFeed(), name="news_feed_atom"),
    path("feeds/papers/", PapersFeed(), name="papers_feed"),
    path("feeds/papers/atom/", AtomPapersFeed(), name="papers_feed_atom"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
