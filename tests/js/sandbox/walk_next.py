"""Walk a paginated Cube list by following `next` until it is null, and print the count.

Run by tests/js/sandbox/python.test.mjs against `npx cube-integration sandbox`:
    python3 walk_next.py [BASE_URL USER PASSWORD PATH]
(or CUBE_BASE_URL, CUBE_USER, CUBE_PASSWORD, CUBE_PATH in the environment; the defaults are
the sandbox's). Prints `records N pages P`. Standard library only.

The lines between the two README markers are the sandbox README's Python example, verbatim:
the README block and this file must stay the same text (python.test.mjs compares them).
"""
import os
import sys

if len(sys.argv) == 5:
    for name, value in zip(("CUBE_BASE_URL", "CUBE_USER", "CUBE_PASSWORD", "CUBE_PATH"), sys.argv[1:]):
        os.environ[name] = value
elif len(sys.argv) != 1:
    sys.exit("usage: walk_next.py [BASE_URL USER PASSWORD PATH]")

# --- README: python pagination (begin) ---
import base64
import json
import os
import urllib.request

base_url = os.environ.get("CUBE_BASE_URL", "http://127.0.0.1:8787")
user = os.environ.get("CUBE_USER", "demo@example.com")
password = os.environ.get("CUBE_PASSWORD", "demo")
path = os.environ.get("CUBE_PATH", "/api/v1/data_owners/1/B2C/customers/")

auth = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
url = base_url.rstrip("/") + path
pages = records = 0
while url is not None:
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {auth}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        page = json.load(response)
    pages += 1
    records += len(page["results"])
    url = page["next"]  # the next page's absolute URL; None (null) on the last page
print(f"records {records} pages {pages}")
# --- README: python pagination (end) ---
