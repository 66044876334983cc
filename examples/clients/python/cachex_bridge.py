"""A minimal vertx-cachex client for the TCP event-bus bridge, standard library only.

Frames are a 4-byte big-endian length followed by UTF-8 JSON (see docs/PROTOCOL.md).

    with CachexBridge("127.0.0.1", 7000) as cache:
        cache.call("set", key="greeting", value=["hello"], options={"timeout": 60})
        print(cache.call("get", key="greeting"))      # -> "hello"
"""
import itertools
import json
import socket
import struct


class CachexError(Exception):
    """A failure reply: `code` is the stable error code (e.g. "WRONG_TYPE"), `failure_code` its number."""

    def __init__(self, code, failure_code, message):
        super().__init__(message)
        self.code = code
        self.failure_code = failure_code
        self.message = message


class CachexBridge:
    def __init__(self, host, port, address="cachex", token=None, timeout_seconds=10.0):
        self.address = address
        self.token = token
        self.sock = socket.create_connection((host, port), timeout=timeout_seconds)
        self.ids = itertools.count(1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def send_frame(self, frame):
        data = json.dumps(frame).encode("utf-8")
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def recv_frame(self):
        (length,) = struct.unpack(">I", self._recv_exact(4))
        return json.loads(self._recv_exact(length).decode("utf-8"))

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("bridge closed the connection")
            buf += chunk
        return buf

    def call(self, action, headers=None, **body):
        """Runs one action and returns its result (None for an empty reply); raises CachexError on failure."""
        reply_address = "py.%d" % next(self.ids)
        h = {"action": action}
        if self.token is not None:
            h["token"] = self.token
        h.update(headers or {})
        self.send_frame({"type": "send", "address": self.address, "headers": h,
                         "body": body, "replyAddress": reply_address})
        while True:
            frame = self.recv_frame()
            if frame.get("type") == "pong":
                continue
            if frame.get("type") == "err":
                message = frame.get("message", "")
                code = message.split(" ", 1)[0] if message[:1].isupper() else message
                raise CachexError(code, frame.get("failureCode"), message)
            return frame.get("body")


def box(value):
    """The wire form of a single value: a one-element array."""
    return [value]
