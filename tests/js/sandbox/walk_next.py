#!/usr/bin/env python3
# A paginated Cube list read by its `next` links, with Python's standard library only.
# The part between the two markers is sandbox/README.md's Python example, word for word:
# tests/js/sandbox/docs.test.mjs checks that, and a sandbox test runs this file.
#
#   python3 walk_next.py BASE_URL USER PASSWORD PATH   → prints `records=N pages=P`

# --- README begin ---
import base64
import json
import sys
import urllib.request


def pages(base_url, user, password, path):
    """Every page of a list, in order: follows `next` until it is null."""
    basic = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    headers = {"Authorization": f"Basic {basic}", "Accept": "application/json"}
    url = base_url.rstrip("/") + path
    while url is not None:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            page = json.load(response)
        yield page
        url = page["next"]  # an absolute URL, or None after the last page


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: python3 walk_next.py BASE_URL USER PASSWORD PATH")
    records = count = 0
    for page in pages(*sys.argv[1:]):
        count += 1
        records += len(page["results"])
    print(f"records={records} pages={count}")
# --- README end ---
