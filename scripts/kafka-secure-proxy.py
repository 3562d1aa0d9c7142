#!/usr/bin/env python3
"""A TLS and SASL front for a plaintext Kafka-protocol broker, for tests.

noida-db (the test broker) listens in plaintext and does not check SASL credentials, so this
proxy stands in front of it as a broker that does: it listens on LISTEN_HOST:PORT (127.0.0.2 by
default) and forwards to UPSTREAM_HOST:PORT (127.0.0.1, the same port: Linux routes all of
127/8 to the loopback interface). In Metadata and FindCoordinator responses it replaces the
upstream host with its own (same length, so no size changes), so clients come back through it.

  kafka-secure-proxy.py --port 9092 [--tls-cert server.pem --tls-key server.key [--tls-client-ca ca.pem]]
                        [--sasl-user NAME --sasl-password SECRET [--sasl-mechanisms PLAIN,SCRAM-SHA-256]]
  kafka-secure-proxy.py certs DIR    # a test CA, server certificates for 127.0.0.2, client certificates

With SASL, it answers ApiVersions (adding SaslHandshake 0-1 and SaslAuthenticate 0-2),
SaslHandshake and SaslAuthenticate itself (PLAIN, and SCRAM-SHA-256/512 per RFC 5802 with salted
credentials and a real proof check), and closes any connection that sends another request
before authenticating or that fails to authenticate (after SASL_AUTHENTICATION_FAILED, 58).

Prints READY on stdout once listening; exits on SIGTERM or SIGINT. Standard library only
(the certs command runs the openssl command line).
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import os
import secrets
import signal
import ssl
import struct
import subprocess
import sys

API_METADATA = 3
API_FIND_COORDINATOR = 10
API_SASL_HANDSHAKE = 17
API_API_VERSIONS = 18
API_SASL_AUTHENTICATE = 36

UNSUPPORTED_SASL_MECHANISM = 33
ILLEGAL_SASL_STATE = 34
SASL_AUTHENTICATION_FAILED = 58

SCRAM_HASHES = {"SCRAM-SHA-256": "sha256", "SCRAM-SHA-512": "sha512"}
MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


def log(message):
    print(f"kafka-secure-proxy: {message}", file=sys.stderr, flush=True)


class ProtocolError(Exception):
    """A request this proxy cannot parse: the connection is closed."""


# --- Kafka primitives ---------------------------------------------------------------------


class Reader:
    def __init__(self, data, position=0):
        self.data = data
        self.position = position

    def take(self, count):
        if count < 0 or self.position + count > len(self.data):
            raise ProtocolError("truncated message")
        chunk = self.data[self.position:self.position + count]
        self.position += count
        return chunk

    def int16(self):
        return struct.unpack(">h", self.take(2))[0]

    def int32(self):
        return struct.unpack(">i", self.take(4))[0]

    def uvarint(self):
        result, shift = 0, 0
        while True:
            byte = self.take(1)[0]
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7
            if shift > 63:
                raise ProtocolError("varint too long")

    def string(self, flexible=False):
        length = self.uvarint() - 1 if flexible else self.int16()
        return None if length < 0 else self.take(length).decode("utf-8", "replace")

    def bytes(self, flexible=False):
        length = self.uvarint() - 1 if flexible else self.int32()
        return b"" if length < 0 else self.take(length)

    def skip_tagged_fields(self):
        for _ in range(self.uvarint()):
            self.uvarint()
            self.take(self.uvarint())

    def rest(self):
        return self.take(len(self.data) - self.position)


def uvarint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def encode_string(value, flexible=False):
    if value is None:
        return uvarint(0) if flexible else struct.pack(">h", -1)
    raw = value.encode()
    return (uvarint(len(raw) + 1) if flexible else struct.pack(">h", len(raw))) + raw


def encode_bytes(value, flexible=False):
    return (uvarint(len(value) + 1) if flexible else struct.pack(">i", len(value))) + value


def frame(payload):
    return struct.pack(">i", len(payload)) + payload


class Request:
    """A request frame's header: api key, version, correlation id; `body` is where the body
    starts (request header v2, with tagged fields, for the flexible versions we parse)."""

    def __init__(self, payload, flexible_from=None):
        reader = Reader(payload)
        self.api_key, self.api_version, self.correlation_id = struct.unpack(">hhi", reader.take(8))
        self.client_id = reader.string()
        if flexible_from is not None and self.api_version >= flexible_from:
            reader.skip_tagged_fields()
        self.body = reader


def peek_header(payload):
    if len(payload) < 8:
        raise ProtocolError("request shorter than its header")
    return struct.unpack(">hhi", payload[:8])


# --- ApiVersions --------------------------------------------------------------------------


def add_sasl_apis(payload, version):
    """Rewrites an ApiVersions response (correlation id + body, header v0) to list SaslHandshake
    0-1 and SaslAuthenticate 0-2 instead of whatever the upstream broker says. v0-v2 use classic
    arrays; v3+ compact arrays with tagged fields per entry. Error responses pass unchanged."""
    reader = Reader(payload)
    correlation = reader.take(4)
    error_code = reader.int16()
    if error_code != 0:
        return payload
    flexible = version >= 3
    count = reader.uvarint() - 1 if flexible else reader.int32()
    entries = []
    for _ in range(max(count, 0)):
        key, low, high = struct.unpack(">hhh", reader.take(6))
        tagged = b"\x00"
        if flexible:
            start = reader.position
            reader.skip_tagged_fields()
            tagged = payload[start:reader.position]
        entries.append((key, low, high, tagged))
    rest = reader.rest()  # throttle time (v1+) and the body's tagged fields (v3+), unchanged
    entries = [e for e in entries if e[0] not in (API_SASL_HANDSHAKE, API_SASL_AUTHENTICATE)]
    entries += [(API_SASL_HANDSHAKE, 0, 1, b"\x00"), (API_SASL_AUTHENTICATE, 0, 2, b"\x00")]
    entries.sort()
    out = bytearray(correlation + struct.pack(">h", error_code))
    out += uvarint(len(entries) + 1) if flexible else struct.pack(">i", len(entries))
    for key, low, high, tagged in entries:
        out += struct.pack(">hhh", key, low, high)
        if flexible:
            out += tagged
    return bytes(out + rest)


# --- SASL ---------------------------------------------------------------------------------


class AuthenticationFailed(Exception):
    pass


class ScramCredential:
    """What a broker stores for a SCRAM user (RFC 5802 §3): salt, iterations, StoredKey,
    ServerKey; never the password."""

    def __init__(self, hash_name, password, iterations=4096):
        self.hash_name = hash_name
        self.salt = secrets.token_bytes(16)
        self.iterations = iterations
        salted = hashlib.pbkdf2_hmac(hash_name, password.encode(), self.salt, iterations)
        client_key = hmac.new(salted, b"Client Key", hash_name).digest()
        self.stored_key = hashlib.new(hash_name, client_key).digest()
        self.server_key = hmac.new(salted, b"Server Key", hash_name).digest()


def scram_attributes(text):
    result = {}
    for part in text.split(","):
        if len(part) < 2 or part[1] != "=":
            raise AuthenticationFailed("malformed SCRAM message")
        result.setdefault(part[0], part[2:])
    return result


def unescape_saslname(name):
    out, i = [], 0
    while i < len(name):
        if name[i] == "=":
            code = name[i + 1:i + 3]
            if code == "2C":
                out.append(",")
            elif code == "3D":
                out.append("=")
            else:
                raise AuthenticationFailed("invalid saslname escape")
            i += 3
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


class ScramServer:
    """One SCRAM exchange, server side: client-first -> server-first, client-final -> server-final."""

    def __init__(self, mechanism, user, credential, tamper_signature=False):
        self.hash_name = SCRAM_HASHES[mechanism]
        self.user = user
        self.credential = credential
        self.tamper_signature = tamper_signature
        self.step = 0

    def respond(self, message):
        text = message.decode("utf-8", "replace")
        if self.step == 0:
            self.step = 1
            return self.server_first(text)
        if self.step == 1:
            self.step = 2
            return self.server_final(text)
        raise AuthenticationFailed("unexpected SCRAM message")

    def server_first(self, text):
        parts = text.split(",", 2)
        if len(parts) != 3 or parts[0] not in ("n", "y") or parts[1] != "":
            raise AuthenticationFailed("invalid SCRAM gs2 header (channel binding and authzid unsupported)")
        self.gs2_header = parts[0] + ",,"
        self.client_first_bare = parts[2]
        attributes = scram_attributes(self.client_first_bare)
        if "m" in attributes or "n" not in attributes or "r" not in attributes or not attributes["r"]:
            raise AuthenticationFailed("invalid SCRAM client-first message")
        self.known_user = unescape_saslname(attributes["n"]) == self.user
        # An unknown user gets a made-up salt and fails at the proof, like a real broker.
        salt = self.credential.salt if self.known_user else secrets.token_bytes(16)
        self.nonce = attributes["r"] + base64.b64encode(secrets.token_bytes(18)).decode()
        self.server_first_message = (
            f"r={self.nonce},s={base64.b64encode(salt).decode()},i={self.credential.iterations}")
        return self.server_first_message.encode()

    def server_final(self, text):
        if ",p=" not in text:
            raise AuthenticationFailed("SCRAM client-final message without proof")
        without_proof, proof_text = text.rsplit(",p=", 1)
        attributes = scram_attributes(without_proof)
        if attributes.get("c") != base64.b64encode(self.gs2_header.encode()).decode():
            raise AuthenticationFailed("SCRAM channel binding mismatch")
        if attributes.get("r") != self.nonce:
            raise AuthenticationFailed("SCRAM nonce mismatch")
        try:
            proof = base64.b64decode(proof_text, validate=True)
        except ValueError:
            raise AuthenticationFailed("SCRAM proof is not base64")
        auth_message = f"{self.client_first_bare},{self.server_first_message},{without_proof}".encode()
        signature = hmac.new(self.credential.stored_key, auth_message, self.hash_name).digest()
        if len(proof) != len(signature) or not self.known_user:
            raise AuthenticationFailed("invalid credentials")
        client_key = bytes(a ^ b for a, b in zip(proof, signature))
        if not hmac.compare_digest(hashlib.new(self.hash_name, client_key).digest(), self.credential.stored_key):
            raise AuthenticationFailed("invalid credentials")
        server_signature = hmac.new(self.credential.server_key, auth_message, self.hash_name).digest()
        if self.tamper_signature:
            server_signature = bytes([server_signature[0] ^ 1]) + server_signature[1:]
        self.step = 3
        return b"v=" + base64.b64encode(server_signature)

    @property
    def complete(self):
        return self.step == 3


class PlainServer:
    def __init__(self, user, password):
        self.user = user
        self.password = password
        self.complete = False

    def respond(self, message):
        parts = message.split(b"\x00")
        if len(parts) != 3:
            raise AuthenticationFailed("malformed PLAIN message")
        authzid, user, password = parts
        ok_user = hmac.compare_digest(user, self.user.encode()) and authzid in (b"", user)
        ok_password = hmac.compare_digest(password, self.password.encode())
        if not (ok_user and ok_password):
            raise AuthenticationFailed("invalid credentials")
        self.complete = True
        return b""


# --- Connections --------------------------------------------------------------------------


async def read_frame(reader):
    try:
        size = struct.unpack(">i", await reader.readexactly(4))[0]
        if size < 0 or size > 100 << 20:
            raise ProtocolError(f"frame of {size} bytes")
        return await reader.readexactly(size)
    except (asyncio.IncompleteReadError, ConnectionError):
        return None


class Proxy:
    def __init__(self, options):
        self.options = options
        self.listen_bytes = options.listen_host.encode()
        self.upstream_bytes = options.upstream_host.encode()
        if len(self.listen_bytes) != len(self.upstream_bytes):
            sys.exit("kafka-secure-proxy: --listen-host and --upstream-host must have the same length")
        self.mechanisms = [m.strip().upper() for m in options.sasl_mechanisms.split(",") if m.strip()]
        for mechanism in self.mechanisms:
            if mechanism not in MECHANISMS:
                sys.exit(f"kafka-secure-proxy: unknown SASL mechanism {mechanism}")
        self.sasl = options.sasl_user is not None
        if self.sasl and options.sasl_password is None:
            sys.exit("kafka-secure-proxy: --sasl-user needs --sasl-password")
        self.credentials = {
            m: ScramCredential(SCRAM_HASHES[m], options.sasl_password) for m in self.mechanisms if m in SCRAM_HASHES
        } if self.sasl else {}
        self.tasks = set()

    async def handle(self, client_reader, client_writer):
        task = asyncio.current_task()
        self.tasks.add(task)
        upstream_writer = None
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                self.options.upstream_host, self.options.upstream_port)
            if self.sasl and not await self.authenticate(client_reader, client_writer, upstream_reader, upstream_writer):
                return
            await self.pump(client_reader, client_writer, upstream_reader, upstream_writer)
        except (ProtocolError, ConnectionError, ssl.SSLError) as error:
            if self.options.verbose:
                log(f"connection closed: {error}")
        finally:
            self.tasks.discard(task)
            for writer in (client_writer, upstream_writer):
                if writer is not None:
                    writer.close()

    async def authenticate(self, client_reader, client_writer, upstream_reader, upstream_writer):
        """Requests one at a time until SASL succeeds: ApiVersions (forwarded, then rewritten),
        SaslHandshake, SaslAuthenticate. Anything else closes the connection. True on success."""
        exchange = None
        mechanism = None
        raw = False  # SaslHandshake v0: the tokens follow as bare size-prefixed frames
        while True:
            payload = await read_frame(client_reader)
            if payload is None:
                return False
            if raw:
                token, ok = self.sasl_step(exchange, mechanism, payload)
                if not ok:
                    return False
                client_writer.write(frame(token))
                await client_writer.drain()
                if exchange.complete:
                    return True
                continue
            api_key, api_version, correlation = peek_header(payload)
            if api_key == API_API_VERSIONS:
                upstream_writer.write(frame(payload))
                await upstream_writer.drain()
                response = await read_frame(upstream_reader)
                if response is None:
                    return False
                client_writer.write(frame(add_sasl_apis(response, api_version)))
                await client_writer.drain()
            elif api_key == API_SASL_HANDSHAKE and exchange is None:
                request = Request(payload)
                mechanism = (request.body.string() or "").upper()
                enabled = [m.encode() for m in self.mechanisms]
                error = 0 if mechanism in self.mechanisms else UNSUPPORTED_SASL_MECHANISM
                body = struct.pack(">ih", correlation, error) + struct.pack(">i", len(enabled))
                body += b"".join(struct.pack(">h", len(m)) + m for m in enabled)
                client_writer.write(frame(body))
                await client_writer.drain()
                if error:
                    return False
                if mechanism == "PLAIN":
                    exchange = PlainServer(self.options.sasl_user, self.options.sasl_password)
                else:
                    exchange = ScramServer(
                        mechanism, self.options.sasl_user, self.credentials[mechanism],
                        tamper_signature=self.options.tamper_server_signature)
                raw = api_version == 0
            elif api_key == API_SASL_AUTHENTICATE and exchange is not None and not exchange.complete:
                request = Request(payload, flexible_from=2)
                flexible = api_version >= 2
                token, ok = self.sasl_step(exchange, mechanism, request.body.bytes(flexible))
                error = 0 if ok else SASL_AUTHENTICATION_FAILED
                message = None if ok else (
                    "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                    + mechanism)
                body = struct.pack(">i", correlation) + (b"\x00" if flexible else b"")
                body += struct.pack(">h", error) + encode_string(message, flexible) + encode_bytes(token, flexible)
                if api_version >= 1:
                    body += struct.pack(">q", 0)  # session lifetime: none
                if flexible:
                    body += b"\x00"
                client_writer.write(frame(body))
                await client_writer.drain()
                if not ok:
                    return False
                if exchange.complete:
                    return True
            else:
                if self.options.verbose:
                    log(f"closing: request {api_key} v{api_version} before SASL authentication")
                return False

    def sasl_step(self, exchange, mechanism, message):
        try:
            return exchange.respond(message), True
        except AuthenticationFailed as error:
            log(f"SASL {mechanism} authentication failed: {error}")
            return b"", False

    async def pump(self, client_reader, client_writer, upstream_reader, upstream_writer):
        pending = {}

        async def requests():
            while True:
                payload = await read_frame(client_reader)
                if payload is None:
                    return
                api_key, api_version, correlation = peek_header(payload)
                pending[correlation] = (api_key, api_version)
                upstream_writer.write(frame(payload))
                await upstream_writer.drain()

        async def responses():
            while True:
                payload = await read_frame(upstream_reader)
                if payload is None:
                    return
                correlation = struct.unpack(">i", payload[:4])[0] if len(payload) >= 4 else None
                api_key, api_version = pending.pop(correlation, (None, None))
                if api_key in (API_METADATA, API_FIND_COORDINATOR):
                    payload = payload.replace(self.upstream_bytes, self.listen_bytes)
                elif api_key == API_API_VERSIONS and self.sasl:
                    payload = add_sasl_apis(payload, api_version)
                client_writer.write(frame(payload))
                await client_writer.drain()

        tasks = [asyncio.ensure_future(requests()), asyncio.ensure_future(responses())]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()


def tls_context(options):
    if not options.tls_cert:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(options.tls_cert, options.tls_key)
    if options.tls_client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(options.tls_client_ca)
    return context


async def serve(options):
    proxy = Proxy(options)
    loop = asyncio.get_running_loop()

    def on_exception(loop, context):
        error = context.get("exception")
        if options.verbose or not isinstance(error, (ssl.SSLError, ConnectionError, OSError)):
            log(context.get("message", "error") + (f": {error}" if error else ""))

    loop.set_exception_handler(on_exception)
    server = await asyncio.start_server(
        proxy.handle, options.listen_host, options.port, ssl=tls_context(options), reuse_address=True)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    # A child inherits its parent's signal mask: one started from a thread that blocks SIGTERM
    # (as test runners' worker threads do) would otherwise never see it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    print("READY", flush=True)
    await stop.wait()
    server.close()
    for task in list(proxy.tasks):
        task.cancel()
    await asyncio.sleep(0)


# --- Test certificates --------------------------------------------------------------------


def make_certificates(directory, ip):
    """ca.pem/key, server.pem/key (subjectAltName IP:ip, DNS:localhost), named-server.pem/key
    (only DNS:broker.avocet.test), client.pem/key signed by the CA; other-ca.pem/key and
    other-client.pem/key from an unrelated CA. EC P-256 keys, valid for 3 days."""
    os.makedirs(directory, exist_ok=True)

    def openssl(*arguments):
        subprocess.run(["openssl", *arguments], check=True, cwd=directory, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", *key, "-keyout", f"{ca}.key", "-out", f"{ca}.pem", "-days", "3",
                "-subj", f"/CN=Avocet test {ca}", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def leaf(name, ca, subject, extensions):
        with open(os.path.join(directory, f"{name}.ext"), "w") as f:
            f.write(extensions)
        openssl("req", "-new", *key, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
                "-set_serial", str(secrets.randbits(63)), "-days", "3", "-out", f"{name}.pem",
                "-extfile", f"{name}.ext")
        os.remove(os.path.join(directory, f"{name}.csr"))
        os.remove(os.path.join(directory, f"{name}.ext"))

    common = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
    leaf("server", "ca", f"/CN={ip}", common + f"extendedKeyUsage=serverAuth\nsubjectAltName=IP:{ip},DNS:localhost\n")
    leaf("named-server", "ca", "/CN=broker.avocet.test",
         common + "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:broker.avocet.test\n")
    leaf("client", "ca", "/CN=avocet-client", common + "extendedKeyUsage=clientAuth\n")
    leaf("other-client", "other-ca", "/CN=avocet-intruder", common + "extendedKeyUsage=clientAuth\n")


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "certs":
        parser = argparse.ArgumentParser(prog="kafka-secure-proxy.py certs")
        parser.add_argument("directory")
        parser.add_argument("--ip", default="127.0.0.2")
        options = parser.parse_args(sys.argv[2:])
        try:
            make_certificates(options.directory, options.ip)
        except subprocess.CalledProcessError as error:
            sys.exit(f"kafka-secure-proxy: openssl failed: {error.stderr.decode(errors='replace')}")
        return
    parser = argparse.ArgumentParser(description="A TLS and SASL front for a plaintext Kafka broker (tests only).")
    parser.add_argument("--port", type=int, required=True, help="the port to listen on (and of the upstream)")
    parser.add_argument("--listen-host", default="127.0.0.2")
    parser.add_argument("--upstream-host", default="127.0.0.1")
    parser.add_argument("--upstream-port", type=int, help="default: --port")
    parser.add_argument("--tls-cert", help="server certificate (PEM); enables TLS")
    parser.add_argument("--tls-key", help="server private key (PEM)")
    parser.add_argument("--tls-client-ca", help="require client certificates signed by this CA (PEM)")
    parser.add_argument("--sasl-user", help="enables SASL: the one user")
    parser.add_argument("--sasl-password", help="the user's password")
    parser.add_argument("--sasl-mechanisms", default=",".join(MECHANISMS), help="enabled mechanisms, comma-separated")
    parser.add_argument("--tamper-server-signature", action="store_true",
                        help="send a wrong SCRAM server signature (to test that clients check it)")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    if options.upstream_port is None:
        options.upstream_port = options.port
    if bool(options.tls_cert) != bool(options.tls_key):
        sys.exit("kafka-secure-proxy: --tls-cert and --tls-key go together")
    if options.tls_client_ca and not options.tls_cert:
        sys.exit("kafka-secure-proxy: --tls-client-ca needs --tls-cert")
    asyncio.run(serve(options))


if __name__ == "__main__":
    main()
