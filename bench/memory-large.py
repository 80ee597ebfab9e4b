#!/usr/bin/env python3
"""Sends one large message with attachments to a running MailSink and reads it back, sampling the process's RSS.

    bench/memory-large.py PID SMTP_PORT HTTP_PORT [megabytes=25]

The message is MEGABYTES MiB on the wire: a text part and three base64 attachments (random bytes, so nothing
compresses). RSS (VmRSS from /proc/PID/status) is sampled every 5 ms from a thread while the message is sent over
SMTP and while it is viewed: GET /api/v1/message/{id} (the JSON), GET .../raw, and each attachment by its PartID.
Each view is checked against what was sent (raw ends with the sent bytes, attachments are byte-identical).
Prints the idle RSS before the send, the peak of each phase and the peaks above idle as multiples of the message
size; exits non-zero if anything was refused or differs.
"""
import base64
import json
import os
import smtplib
import sys
import threading
import time
import urllib.request
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class Sampler:
    """The highest RSS seen while a phase runs."""

    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.005)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))


def build(megabytes):
    target = megabytes * 1024 * 1024
    message = MIMEMultipart()
    message["From"] = "large@bench.example"
    message["To"] = "inbox@bench.example"
    message["Subject"] = f"A {megabytes} MiB message with attachments"
    message.attach(MIMEText("Three attachments follow.\n" * 20))
    # base64 on the wire is 4/3 of the bytes plus a CRLF every 76 characters; three attachments share the size.
    sizes = [int(target * 0.74 / 3)] * 3
    attachments = {}
    for i, size in enumerate(sizes):
        data = os.urandom(size)
        name = f"attachment-{i}.bin"
        part = MIMEApplication(data, Name=name)
        part["Content-Disposition"] = f'attachment; filename="{name}"'
        message.attach(part)
        attachments[name] = data
    raw = message.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return raw, attachments


def get(http, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{http}{path}", timeout=120) as response:
        return response.read()


def main():
    pid, smtp, http = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    megabytes = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    raw, attachments = build(megabytes)
    size_mb = len(raw) / 1024 / 1024
    time.sleep(1)
    idle = rss_mb(pid)

    with Sampler(pid) as send:
        with smtplib.SMTP("127.0.0.1", smtp, timeout=120) as client:
            client.ehlo("bench.example")
            sizes = client.esmtp_features.get("size", "")
            client.sendmail("large@bench.example", ["inbox@bench.example"], raw)

    listing = json.loads(get(http, "/api/v1/messages?limit=1"))
    message_id = listing["messages"][0]["ID"]
    problems = []
    with Sampler(pid) as view:
        detail = json.loads(get(http, f"/api/v1/message/{message_id}"))
        stored = get(http, f"/api/v1/message/{message_id}/raw")
        if not stored.rstrip(b"\r\n").endswith(raw.rstrip(b"\r\n")):
            problems.append(f"raw: {len(stored)} bytes do not end with the {len(raw)} bytes sent")
        del stored
        found = {a["FileName"]: a["PartID"] for a in detail["Attachments"]}
        if sorted(found) != sorted(attachments):
            problems.append(f"attachments listed: {sorted(found)}")
        for name, part in found.items():
            if get(http, f"/api/v1/message/{message_id}/part/{part}") != attachments.get(name):
                problems.append(f"attachment {name} (part {part}) differs")
    time.sleep(2)
    after = rss_mb(pid)

    print(f"large message: {size_mb:.1f} MiB on the wire (server SIZE {sizes or 'not advertised'}), "
          f"{len(attachments)} attachments")
    print(f"  RSS idle before {idle:.0f} MB; peak while sending {send.peak:.0f} MB "
          f"(+{send.peak - idle:.0f} MB = {(send.peak - idle) / size_mb:.2f}x the message); "
          f"peak while viewing JSON, raw and attachments {view.peak:.0f} MB "
          f"(+{view.peak - idle:.0f} MB = {(view.peak - idle) / size_mb:.2f}x); 2 s later {after:.0f} MB")
    for problem in problems:
        print("  FAILED:", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
