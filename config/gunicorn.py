"""gunicorn's settings for the app servers: `gunicorn -c config/gunicorn.py config.wsgi ...` (README).

Once a worker has loaded the app, everything made at start-up (Django's models, URL patterns,
Wagtail's and the libraries' modules: some 250,000 objects) is moved out of the garbage collector's
reach with `gc.freeze()`. They live as long as the worker, so a full collection gains nothing by
walking them, and without this every full collection walks them all: a pause of 0.2 s or more on
whichever request triggers it (docs/measurements.md, "Keying a postbag").
"""

import gc


def post_worker_init(worker):
    gc.freeze()
