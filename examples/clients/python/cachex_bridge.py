"""A minimal vertx-cachex client for the TCP event-bus bridge, standard library only.

Frames are a 4-byte big-endian length followed by UTF-8 JSON (see docs/PROTOCOL.md).

    with CachexBridge("127.0.0.1", 7000) as cache:
        cache.call("set", key="greeting", value=["hello"], options={"timeout": 60})
        print(cache.call("get", key="greeting"))      # -> "hello"

From a shell, one action per run (fields as NAME=VALUE, VALUE read as JSON when it is JSON):

    python3 cachex_bridge.py incr key=visits                       # -> 1
    python3 cachex_bridge.py set key=greeting 'value=["hello"]'    # -> null
    python3 cachex_bridge.py get key=greeting                      # -> "hello"
"""
import argparse
import itertools
import json
import socket
import struct
import sys


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


def parse_field(text):
    """NAME=VALUE -> (name, value): VALUE is JSON when it parses as JSON, else the plain string."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError("fields are NAME=VALUE, not %r" % text)
    try:
        return name, json.loads(raw)
    except ValueError:
        return name, raw


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Run one vertx-cachex action through the TCP bridge and print its result as JSON.",
        epilog="example: %(prog)s set key=greeting 'value=[\"hello\"]'   (a single value travels boxed in a"
               " one-element array; docs/PROTOCOL.md lists every action and its fields)")
    parser.add_argument("--host", default="127.0.0.1", help="bridge host (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7000, help="bridge port, bridges.tcp.port (default 7000)")
    parser.add_argument("--address", default="cachex", help="service address (default cachex)")
    parser.add_argument("--token", help="the bridge's shared secret, when bridges.token is set")
    parser.add_argument("action", help="action name, e.g. get, set, incr, getMany")
    parser.add_argument("fields", nargs="*", type=parse_field, metavar="NAME=VALUE", help="the action's fields")
    args = parser.parse_args(argv)
    try:
        with CachexBridge(args.host, args.port, args.address, token=args.token) as cache:
            result = cache.call(args.action, **dict(args.fields))
    except CachexError as e:
        print(e.message, file=sys.stderr)
        return 1
    except OSError as e:
        print("cannot reach the TCP bridge at %s:%d (%s): is the service running with bridges.tcp.port = %d?"
              % (args.host, args.port, e.strerror or e, args.port), file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
