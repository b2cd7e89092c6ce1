from django.urls import path

from cms import views
from cms.feeds import AtomNewsFeed, NewsFeed

urlpatterns = [
    path("search/", views.search, name="search"),
    path("feeds/news/", NewsFeed(), name="news_feed"),
    path("feeds/news/atom/", AtomNewsFeed(), name="news_feed_atom"),
    path("healthz", views.healthz, name="healthz"),
]
