#!/usr/bin/env python3
"""Does a large message stall the other SMTP connections while MailSink parses it?

MailSink runs socket completions on the runtime's socket event threads (src/MailSink/InlineSocketCompletions.cs),
which serve many connections each; a message of 64 KB or more is parsed on the thread pool instead
(Smtp/SinkMessageStore.cs). This holds six connections open after EHLO, sends one large message on a seventh, and
as soon as its final "." is sent asks each idle connection for a NOOP: the NOOP replies should come back in a few
milliseconds, not after the large message's parse.

    python3 bench/event-thread-stall.py SMTP_PORT [SIZE_BYTES=25000000] [ROUNDS=3]

Start MailSink first (e.g. `dotnet PUB/MailSink.dll --smtp-port 32125 --http-port 32180 --data-dir /tmp/stall`).
Timings on a shared machine: a bench, never a test assertion.
"""
import base64
import os
import socket
import sys
import time


def connect(port):
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"EHLO bench.example\r\n")
    while f.readline()[3:4] == b"-":
        pass
    return s, f


def round_once(port, size):
    idle = [connect(port) for _ in range(6)]
    s, f = connect(port)
    for command in (b"MAIL FROM:<a@bench.example>\r\n", b"RCPT TO:<b@bench.example>\r\n", b"DATA\r\n"):
        s.sendall(command)
        f.readline()
    attachment = base64.encodebytes(os.urandom(size * 3 // 4)).replace(b"\n", b"\r\n")
    message = (b"From: a@bench.example\r\nTo: b@bench.example\r\nSubject: large\r\nMIME-Version: 1.0\r\n"
               b"Content-Type: multipart/mixed; boundary=BB\r\n\r\n--BB\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
               b"--BB\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
               + attachment + b"--BB--\r\n")
    s.sendall(message)
    start = time.perf_counter()
    s.sendall(b".\r\n")
    time.sleep(0.05)
    noops = []
    for c, cf in idle:
        sent = time.perf_counter()
        c.sendall(b"NOOP\r\n")
        cf.readline()
        noops.append((time.perf_counter() - sent) * 1000)
    reply = f.readline().decode().strip()
    done = (time.perf_counter() - start) * 1000
    for c, _ in idle + [(s, f)]:
        c.close()
    print(f"{size:,} bytes: '{reply[:3]}' after {done:.0f} ms; NOOP replies meanwhile, slowest {max(noops):.1f} ms "
          f"({', '.join(f'{n:.1f}' for n in noops)})")


def main():
    port = int(sys.argv[1])
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 25_000_000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    for _ in range(rounds):
        round_once(port, size)


if __name__ == "__main__":
    main()
