#!/usr/bin/env python3
"""A stand-in for the AWS container (ECS) and instance metadata (IMDSv2) credential endpoints, for
Avocet's end-to-end credential tests (a test tool, not part of the product).

    credentials-stub.py ACCESS_KEY SECRET TOKEN

Prints "listening PORT". Serves:
  GET  /ecs/credentials                            (needs Authorization: ecs-token)  ECS JSON
  PUT  /latest/api/token                           (needs the TTL header)            an IMDS token
  GET  /latest/meta-data/iam/security-credentials/ (needs the token)                 "stub-role"
  GET  /latest/meta-data/iam/security-credentials/stub-role (needs the token)        IMDS JSON
Anything else, or a missing header, answers 401/404, so a client that skips a step fails.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

key, secret, token = sys.argv[1:4]
document = json.dumps({
    "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": key, "SecretAccessKey": secret, "Token": token,
    "Expiration": "2099-01-01T00:00:00Z", "LastUpdated": "2026-01-01T00:00:00Z",
}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.answer(200, b"imds-session-token")
        self.answer(404)

    def do_GET(self):
        if self.path == "/ecs/credentials":
            return self.answer(200, document) if self.headers.get("Authorization") == "ecs-token" else self.answer(401)
        if self.path.startswith("/latest/meta-data/iam/security-credentials/"):
            if self.headers.get("X-aws-ec2-metadata-token") != "imds-session-token":
                return self.answer(401)
            role = self.path.rsplit("/", 1)[1]
            return self.answer(200, b"stub-role") if role == "" else self.answer(200, document) if role == "stub-role" else self.answer(404)
        self.answer(404)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
