"""A small, stateful stand-in for Stripe's HTTP API, run on a loopback port, so the tests drive
the real `stripe` client over HTTP. It answers with Stripe-shaped JSON for what this app uses:
Checkout Sessions (payment and subscription), Billing Portal sessions, Refunds, Balance
Transactions (with `expand[]=data.source`), Invoice Payments and cancelling a Subscription,
honours idempotency keys as Stripe does, and serves a stand-in checkout page for the browser.

(localstripe has no Checkout Sessions, which joining needs, hence this.)"""

import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

WEBHOOK_SECRET = "whsec_test_commonweal"


def signature_header(payload, secret=WEBHOOK_SECRET, timestamp=None):
    """Stripe's `Stripe-Signature` scheme: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<payload>")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post_webhook(client, event, secret=WEBHOOK_SECRET):
    """POST `event` to our webhook with the Django test client, signed as Stripe signs it."""
    from django.urls import reverse

    payload = json.dumps(event)
    return client.post(
        reverse("payments:stripe_webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature_header(payload, secret),
    )


class FakeStripe:
    def __init__(self):
        self._ids = itertools.count(1)
        self.lock = threading.Lock()
        self.sessions = {}
        self.refunds = {}
        self.subscriptions = {}
        self.portal_sessions = {}
        self.invoice_payments = []
        self.balance_transactions = []
        self.idempotent = {}
        self.requests = []
        self.down = False  # True: every change answers 500, as in an outage at Stripe
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def reset(self):
        with self.lock:
            self.sessions.clear()
            self.refunds.clear()
            self.subscriptions.clear()
            self.portal_sessions.clear()
            self.invoice_payments.clear()
            self.balance_transactions.clear()
            self.idempotent.clear()
            self.requests.clear()
            self.down = False

    def new_id(self, prefix):
        return f"{prefix}_test_{next(self._ids):06d}"

    # What Stripe does when a customer pays -------------------------------------------------------

    def pay(self, session_id):
        """The customer pays the session: a PaymentIntent, a charge and its balance transaction
        exist; returns the `checkout.session.completed` event Stripe would send."""
        with self.lock:
            session = self.sessions[session_id]
            session["payment_status"] = "paid"
            session["status"] = "complete"
            session["payment_intent"] = self.new_id("pi")
            self.add_balance_transaction("charge", session["amount_total"], session["payment_intent"])
        return self.event("checkout.session.completed", session)

    def subscribe(self, session_id, legacy_invoice=False):
        """The customer pays a subscription session: a customer, a subscription and its first paid
        invoice exist; returns the `checkout.session.completed` and `invoice.paid` events Stripe
        would send. `legacy_invoice` shapes the invoice as before API 2025-03-31
        (`invoice.subscription`) rather than under `invoice.parent.subscription_details`."""
        with self.lock:
            session = self.sessions[session_id]
            now = int(time.time())
            subscription = {
                "id": self.new_id("sub"),
                "object": "subscription",
                "customer": self.new_id("cus"),
                "status": "active",
                "metadata": dict(session["subscription_metadata"]),
                "items": {"object": "list", "data": [{"current_period_end": now + 365 * 86400}]},
                "amount": session["amount_total"],
            }
            self.subscriptions[subscription["id"]] = subscription
            session.update(
                payment_status="paid",
                status="complete",
                customer=subscription["customer"],
                subscription=subscription["id"],
            )
            completed = self.event("checkout.session.completed", session)
        return completed, self.invoice_paid(subscription["id"], legacy=legacy_invoice)

    def invoice_paid(self, subscription_id, legacy=False):
        """Stripe charges the subscription for a year, through a PaymentIntent of its own: the
        `invoice.paid` event it would send. Before API 2025-03-31 the invoice named its
        PaymentIntent; since then an InvoicePayment, listed for the invoice, does."""
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            now = int(time.time())
            payment_intent = self.new_id("pi")
            invoice = {
                "id": self.new_id("in"),
                "object": "invoice",
                "customer": subscription["customer"],
                "amount_paid": subscription["amount"],
                "currency": "gbp",
                "number": f"TEST-{len(self.balance_transactions) + 1:04d}",
                "status": "paid",
                "status_transitions": {"paid_at": now},
                "lines": {"object": "list", "data": [{"period": {"start": now, "end": now + 365 * 86400}}]},
            }
            if legacy:
                invoice["subscription"] = subscription_id
                invoice["subscription_details"] = {"metadata": dict(subscription["metadata"])}
                invoice["payment_intent"] = payment_intent
            else:
                invoice["parent"] = {
                    "type": "subscription_details",
                    "subscription_details": {
                        "subscription": subscription_id,
                        "metadata": dict(subscription["metadata"]),
                    },
                }
            self.invoice_payments.append(
                {
                    "id": self.new_id("inpay"),
                    "object": "invoice_payment",
                    "invoice": invoice["id"],
                    "amount_paid": invoice["amount_paid"],
                    "status": "paid",
                    "payment": {"type": "payment_intent", "payment_intent": payment_intent},
                }
            )
            self.add_balance_transaction("charge", invoice["amount_paid"], payment_intent)
        return self.event("invoice.paid", invoice)

    def cancel_subscription(self, subscription_id):
        """The customer cancels in the portal: the `customer.subscription.deleted` event."""
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            subscription["status"] = "canceled"
        return self.event("customer.subscription.deleted", subscription)

    def add_balance_transaction(self, type_, amount, payment_intent, source_id=None):
        source_id = source_id or self.new_id("ch")
        self.balance_transactions.insert(
            0,
            {
                "id": self.new_id("txn"),
                "object": "balance_transaction",
                "amount": amount,
                "currency": "gbp",
                "created": int(time.time()),
                "type": type_,
                "status": "available",
                "source": {"id": source_id, "object": type_, "payment_intent": payment_intent},
            },
        )

    def event(self, type_, obj):
        return {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "livemode": False,
            "type": type_,
            "data": {"object": dict(obj)},
        }

    # The HTTP API ---------------------------------------------------------------------------------

    def create_session(self, params):
        session_id = self.new_id("cs")
        amount = int(params["line_items[0][price_data][unit_amount]"]) * int(params.get("line_items[0][quantity]", 1))
        interval = params.get("line_items[0][price_data][recurring][interval]")
        if (params["mode"] == "subscription") != bool(interval):
            message = "A subscription needs a recurring price, and only a subscription may have one."
            return 400, {"error": {"type": "invalid_request_error", "message": message}}
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "amount_total": amount,
            "currency": params["line_items[0][price_data][currency]"],
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "metadata": {k[len("metadata[") : -1]: v for k, v in params.items() if k.startswith("metadata[")},
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": params["success_url"],
            "cancel_url": params["cancel_url"],
            "url": f"{self.url}/pay/{session_id}",
            "customer": None,
            "subscription": None,
            "recurring_interval": interval,
            "subscription_metadata": {
                k[len("subscription_data[metadata][") : -1]: v
                for k, v in params.items()
                if k.startswith("subscription_data[metadata][")
            },
        }
        self.sessions[session_id] = session
        return 200, session

    def create_portal_session(self, params):
        customer = params.get("customer", "")
        if not any(s["customer"] == customer for s in self.subscriptions.values()):
            return 400, {"error": {"type": "invalid_request_error", "message": f"No such customer: '{customer}'"}}
        portal_id = self.new_id("bps")
        portal = {
            "id": portal_id,
            "object": "billing_portal.session",
            "customer": customer,
            "return_url": params["return_url"],
            "url": f"{self.url}/portal/{portal_id}",
        }
        self.portal_sessions[portal_id] = portal
        return 200, portal

    def create_refund(self, params):
        payment_intent = params["payment_intent"]
        if not any(s["payment_intent"] == payment_intent for s in self.sessions.values()):
            return 400, {
                "error": {"type": "invalid_request_error", "message": f"No such payment_intent: '{payment_intent}'"}
            }
        refund = {
            "id": self.new_id("re"),
            "object": "refund",
            "amount": int(params["amount"]),
            "payment_intent": payment_intent,
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        self.add_balance_transaction("refund", -refund["amount"], payment_intent, source_id=refund["id"])
        return 200, refund

    def list_invoice_payments(self, params):
        rows = [
            p
            for p in self.invoice_payments
            if p["invoice"] == params.get("invoice") and p["status"] == params.get("status", p["status"])
        ]
        return 200, {"object": "list", "url": "/v1/invoice_payments", "has_more": False, "data": rows}

    def delete_subscription(self, subscription_id):
        subscription = self.subscriptions.get(subscription_id)
        if subscription is None:
            message = f"No such subscription: '{subscription_id}'"
            return 404, {"error": {"type": "invalid_request_error", "message": message}}
        subscription["status"] = "canceled"
        return 200, dict(subscription)

    def list_balance_transactions(self, params):
        rows = self.balance_transactions
        if "created[gte]" in params:
            rows = [r for r in rows if r["created"] >= int(params["created[gte]"])]
        if "starting_after" in params:
            ids = [r["id"] for r in rows]
            rows = rows[ids.index(params["starting_after"]) + 1 :]
        limit = int(params.get("limit", 10))
        page = rows[:limit]
        return 200, {"object": "list", "url": "/v1/balance_transactions", "has_more": len(rows) > limit, "data": page}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body, content_type="application/json"):
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlsplit(self.path)
                params = dict(parse_qsl(url.query))
                if url.path.startswith("/pay/"):
                    session = fake.sessions[url.path.rsplit("/", 1)[1]]
                    page = (
                        "<!doctype html><html lang='en'><head><title>Stripe Checkout (test)</title></head>"
                        f"<body><main><h1>Pay {session['amount_total']} pence</h1></main></body></html>"
                    )
                    return self._answer(200, page, "text/html")
                with fake.lock:
                    fake.requests.append(("GET", url.path, params, None))
                    if url.path == "/v1/balance_transactions":
                        return self._answer(*fake.list_balance_transactions(params))
                    if url.path == "/v1/invoice_payments":
                        return self._answer(*fake.list_invoice_payments(params))
                return self._answer(404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}})

            def _change(self, method, handler, params):
                """A POST or DELETE: recorded, and answered once per idempotency key as Stripe does."""
                path = urlsplit(self.path).path
                key = self.headers.get("Idempotency-Key")
                with fake.lock:
                    fake.requests.append((method, path, params, key))
                    if fake.down:
                        return self._answer(500, {"error": {"type": "api_error", "message": "Stripe is down (test)"}})
                    if key and (path, key) in fake.idempotent:
                        return self._answer(*fake.idempotent[(path, key)])
                    if handler is None:
                        return self._answer(
                            404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}
                        )
                    answer = handler(params)
                    if key:
                        fake.idempotent[(path, key)] = answer
                return self._answer(*answer)

            def do_DELETE(self):
                path = urlsplit(self.path).path
                subscription_id = path.removeprefix("/v1/subscriptions/")
                handler = (lambda _: fake.delete_subscription(subscription_id)) if subscription_id != path else None
                return self._change("DELETE", handler, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                params = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                routes = {
                    "/v1/checkout/sessions": fake.create_session,
                    "/v1/billing_portal/sessions": fake.create_portal_session,
                    "/v1/refunds": fake.create_refund,
                }
                return self._change("POST", routes.get(urlsplit(self.path).path), params)

        return Handler
