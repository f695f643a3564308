"""Run in a process of its own by the shared-limits tests: send requests, print what came back.

    python -m tests.journal.limit_probe api TOKEN COUNT [GO_FILE]
    python -m tests.journal.limit_probe login EMAIL COUNT [GO_FILE]

`api` reads `/api/v1/me/` with the token; `login` posts a wrong password for the account from
one client address. Each prints a JSON list: the status codes, or for `login` whether each
attempt was refused as throttled. With GO_FILE, the process is set up first and then waits
for that file to appear, so that several processes send at the same moment.
"""

import json
import os
import sys
import time

THROTTLED = "Too many failed login attempts"


def main(mode: str, who: str, count: str, go_file: str | None = None) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if mode == "api":
        client = Client(HTTP_AUTHORIZATION=f"Bearer {who}")
    else:
        client = Client(REMOTE_ADDR="203.0.113.9")
        client.get("/accounts/login/")
    while go_file and not os.path.exists(go_file):
        time.sleep(0.01)
    found = []
    for _ in range(int(count)):
        if mode == "api":
            found.append(client.get("/api/v1/me/").status_code)
        else:
            response = client.post("/accounts/login/", {"login": who, "password": "wrong"})
            found.append(THROTTLED in response.content.decode())
    print(json.dumps(found))


if __name__ == "__main__":
    main(*sys.argv[1:])
