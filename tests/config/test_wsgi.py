"""The WSGI entry point moves a worker's long-lived objects out of the garbage collector's sight after
its first requests, so its full collections stop walking them."""

import gc

from config.wsgi import FreezeLongLivedObjects


def test_what_a_worker_holds_after_its_first_and_tenth_request_is_frozen_and_requests_still_pass_through():
    answered = []

    def app(environ, start_response):
        answered.append(environ["PATH_INFO"])
        return [b"ok"]

    worker = FreezeLongLivedObjects(app)
    gc.unfreeze()
    try:
        worker({"PATH_INFO": "/first"}, None)
        assert gc.get_freeze_count() == 0  # nothing frozen before the first request is served
        kept_by_the_first = [object() for _ in range(1000)]
        worker({"PATH_INFO": "/second"}, None)
        after_first = gc.get_freeze_count()
        assert after_first > 0
        for n in range(8):
            worker({"PATH_INFO": f"/{n}"}, None)
        assert gc.get_freeze_count() == after_first  # not again until the tenth has been served
        kept_by_the_tenth = [[] for _ in range(1000)]
        worker({"PATH_INFO": "/eleventh"}, None)
        assert gc.get_freeze_count() >= after_first + len(kept_by_the_tenth)
        assert answered[:2] == ["/first", "/second"] and len(answered) == 11
        del kept_by_the_first
    finally:
        gc.unfreeze()
