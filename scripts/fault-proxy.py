#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for Avocet's S3 tests (a test tool, not part of the product).

    fault-proxy.py UPSTREAM_URL RATE SEED [STALL_SECONDS]

Listens on a free loopback port, prints "listening PORT" on stdout, and forwards every request
to UPSTREAM_URL (the S3 emulator). With probability RATE per request it injects one fault:

  before forwarding (the store never sees the request):
    500      answers 500 InternalError
    503      answers 503 SlowDown
    drop     closes the connection without answering
    stall    waits STALL_SECONDS (default 3), then closes without answering
  after forwarding (the store did the work; the client does not learn it):
    lost     closes the connection without answering
    truncate sends the status and headers, then half of the body, then closes

It prints one line per injected fault on stderr ("fault KIND METHOD PATH").
"""
import http.client
import random
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

upstream = urllib.parse.urlsplit(sys.argv[1])
rate = float(sys.argv[2])
rng = random.Random(int(sys.argv[3]))
stall = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
lock = threading.Lock()
KINDS = ["500", "503", "drop", "stall", "lost", "truncate"]


def pick():
    with lock:
        return rng.choice(KINDS) if rng.random() < rate else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _drop(self):
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    def _error(self, status, code):
        body = f"<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>injected</Message></Error>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault = pick()
        if fault:
            print(f"fault {fault} {self.command} {self.path}", file=sys.stderr, flush=True)
        if fault == "500":
            return self._error(500, "InternalError")
        if fault == "503":
            return self._error(503, "SlowDown")
        if fault == "drop":
            return self._drop()
        if fault == "stall":
            time.sleep(stall)
            return self._drop()
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        connection.request(self.command, self.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        if fault == "lost":
            return self._drop()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("connection", "transfer-encoding", "content-length", "keep-alive"):
                self.send_header(key, value)
        # A HEAD answer has no body; its Content-Length is the object's size.
        length = response.getheader("Content-Length", "0") if self.command == "HEAD" else str(len(data))
        self.send_header("Content-Length", length)
        self.end_headers()
        if fault == "truncate" and self.command != "HEAD" and len(data) > 1:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            return self._drop()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
