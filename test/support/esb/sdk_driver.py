"""Drive a running ESB with the real Python clients, for the SDK tests.

Reads a JSON list of calls on stdin and prints a JSON list of outcomes. Two kinds of call:
  {"kind": "sdk", ...}     the current SDK from PyPI (bkapi-component-open on bkapi-client-core):
                           credentials in X-Bkapi-Authorization, set through its own API.
  {"kind": "legacy", ...}  what the legacy SDK vendored in older apps (blueking/component/) sends,
                           through `requests` as it does: GET with everything in the query, POST
                           with a JSON string body and no Content-Type, optional signature mode.
An outcome is {"status", "body"} for an answer the client returned, or {"error"} naming the
exception the client raised (what an app would see).
"""
import base64
import hashlib
import hmac
import json
import random
import sys
import time

import requests
from bkapi_component.open.client import Client


def sdk_call(endpoint, c):
    client = Client(
        endpoint=endpoint,
        bk_api_ver=c.get("ver", "v2"),
        use_test_env=c.get("test_env", False),
        language=c.get("language"),
    )
    client.update_bkapi_authorization(**c["auth"])
    op = getattr(getattr(client, c["group"]), c["op"])
    return {"body": op(c.get("data") or None)}


def legacy_sign(secret, method, path, params):
    text = "&".join("%s=%s" % (k, params[k]) for k in sorted(params))
    msg = "%s%s?%s" % (method, path, text)
    return base64.b64encode(hmac.new(secret.encode(), msg.encode(), hashlib.sha1).digest()).decode()


def legacy_request(endpoint, c):
    method, path, params = c["method"], c["path"], dict(c["params"])
    headers = {"blueking-language": c["language"]} if c.get("language") else {}
    url = endpoint + path
    query, body = None, None
    if c.get("sign"):
        params.pop("bk_app_secret", None)
        sig = {"bk_timestamp": int(c.get("timestamp", time.time())), "bk_nonce": random.randint(1, 2**31 - 1)}
        if method == "GET":
            query = dict(params, **sig)
            query["bk_signature"] = legacy_sign(c["sign"], method, path, query)
        else:
            body = json.dumps(params)
            sig["bk_signature"] = legacy_sign(c["sign"], method, path, dict(sig, data=body))
            query = sig
    elif method == "GET":
        query = params
    else:
        body = json.dumps(params)
    prepared = requests.Request(method, url, params=query, data=body, headers=headers).prepare()
    with requests.Session() as s:
        answers = [s.send(prepared, verify=False, timeout=10) for _ in range(1 + c.get("replays", 0))]
    out = [{"status": r.status_code, "body": r.json(), "content_type_sent": prepared.headers.get("Content-Type")} for r in answers]
    return out[0] if len(out) == 1 else {"replies": out}


def main():
    spec = json.load(sys.stdin)
    outcomes = []
    for c in spec["calls"]:
        try:
            run = sdk_call if c["kind"] == "sdk" else legacy_request
            outcomes.append(run(spec["endpoint"], c))
        except Exception as e:  # what the app would see
            outcomes.append({"error": "%s: %s" % (type(e).__name__, e)})
    json.dump(outcomes, sys.stdout)


main()
