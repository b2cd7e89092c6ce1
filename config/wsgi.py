import gc
import os

from django.core.wsgi import get_wsgi_application

# By the time a worker has served these many requests it has built most of what it keeps for life.
FREEZE_AFTER_REQUESTS = frozenset({1, 10, 100, 1000})


class FreezeLongLivedObjects:
    """A worker's modules, URL patterns, compiled templates and model metadata (some 250,000 objects, most of
    them built by its first requests) live as long as it does, yet each of Python's full garbage collections
    walks them all: 400 ms at a time on a loaded machine, every few hundred requests, each one a request that
    waits. After the 1st, 10th, 100th and 1000th request, what the worker holds is moved out of the
    collector's sight (gc.freeze, after one collection so no garbage is kept), and its full collections
    then scan only what requests leave behind (10 ms)."""

    def __init__(self, application):
        self.application = application
        self.served = 0

    def __call__(self, environ, start_response):
        if self.served in FREEZE_AFTER_REQUESTS:
            gc.collect()
            gc.freeze()
        self.served += 1
        return self.application(environ, start_response)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = FreezeLongLivedObjects(get_wsgi_application())
