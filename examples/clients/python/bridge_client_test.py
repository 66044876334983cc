"""Exercises vertx-cachex through the TCP bridge as a Python program would (stdlib unittest).

Run: CACHEX_BRIDGE_PORT=7000 python3 bridge_client_test.py
"""
import os
import socket
import struct
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cachex_bridge import CachexBridge, CachexError, box  # noqa: E402

PORT = int(os.environ.get("CACHEX_BRIDGE_PORT", "7000"))
ADDRESS = os.environ.get("CACHEX_ADDRESS", "cachex")
TOKEN = os.environ.get("CACHEX_BRIDGE_TOKEN")


class BridgeClientTest(unittest.TestCase):
    def setUp(self):
        self.cache = CachexBridge("127.0.0.1", PORT, ADDRESS, token=TOKEN)
        self.k = "py-" + uuid.uuid4().hex[:8] + ":"

    def tearDown(self):
        self.cache.close()

    def test_core_values_keep_their_types(self):
        c = self.cache
        for name, value in [("int", 42), ("str", "42"), ("bool", True), ("float", 1.5),
                            ("obj", {"a": [1, "two", None]}), ("null", None)]:
            self.assertIsNone(c.call("set", key=self.k + name, value=box(value)))
            self.assertEqual(c.call("get", key=self.k + name), value, name)
        self.assertIsNone(c.call("get", key=self.k + "missing"))
        self.assertEqual(c.call("getMany", keys=[self.k + "int", self.k + "missing"]), {self.k + "int": 42})
        self.assertTrue(c.call("add", key=self.k + "added", value=box("x"), options={"timeout": 60}))
        self.assertFalse(c.call("add", key=self.k + "added", value=box("y")))
        self.assertTrue(c.call("delete", key=self.k + "added"))

    def test_counters(self):
        c = self.cache
        self.assertEqual(c.call("incr", key=self.k + "n", delta=5), 5)
        self.assertEqual(c.call("decr", key=self.k + "n"), 4)

    def test_hashes_and_lists(self):
        c = self.cache
        self.assertEqual(c.call("hset", key=self.k + "user", field="name", value=box("Ada")), 1)
        self.assertEqual(c.call("hget", key=self.k + "user", field="name"), "Ada")
        self.assertEqual(c.call("rpush", key=self.k + "jobs", values=[1, {"id": 2}]), 2)
        self.assertEqual(c.call("lrange", key=self.k + "jobs", start=0, stop=-1), [1, {"id": 2}])

    def test_lock_cycle(self):
        c = self.cache
        lease = c.call("acquireLock", name=self.k + "lock", options={"timeout": 5})
        self.assertEqual(lease["name"], self.k + "lock")
        self.assertIsInstance(lease["fencingToken"], int)
        self.assertIsNone(c.call("acquireLock", name=self.k + "lock", options={"blocking": False}), "held")
        self.assertIsNone(c.call("releaseLock", lease=lease))
        with self.assertRaises(CachexError) as e:
            c.call("releaseLock", lease=lease)
        self.assertEqual(e.exception.code, "LOCK_NOT_OWNED")

    def test_pipeline(self):
        k = self.k
        slots = self.cache.call("pipeline", operations=[
            {"action": "set", "args": {"key": k + "p", "value": [1]}},
            {"action": "incr", "args": {"key": k + "p", "delta": 5}},
            {"action": "get", "args": {"key": k + "p"}},
            {"action": "get", "args": {}},
        ])
        self.assertEqual(slots[:3], [{"ok": None}, {"ok": 6}, {"ok": 6}])
        self.assertEqual(slots[3]["error"]["code"], "INVALID_ARGUMENT")

    def test_errors_are_coded_and_name_the_field(self):
        with self.assertRaises(CachexError) as e:
            self.cache.call("get", key=17)
        self.assertEqual(e.exception.code, "INVALID_ARGUMENT")
        self.assertEqual(e.exception.failure_code, 400)
        self.assertIn("'key'", e.exception.message)
        with self.assertRaises(CachexError) as e:
            self.cache.call("noSuchAction", key="k")
        self.assertIn("unknown action", e.exception.message)
        self.cache.call("set", key=self.k + "s", value=box("text"))
        with self.assertRaises(CachexError) as e:
            self.cache.call("incr", key=self.k + "s")
        self.assertEqual(e.exception.code, "WRONG_TYPE")

    def test_string_timeout_header_gets_an_error_reply_not_silence(self):
        with self.assertRaises(CachexError) as e:
            self.cache.call("get", headers={"timeout": "200"}, key="k")
        self.assertEqual(e.exception.code, "INVALID_ARGUMENT")
        self.assertIn("timeout", e.exception.message)

    def test_dangerous_actions_are_refused_by_default(self):
        with self.assertRaises(CachexError) as e:
            self.cache.call("clear")
        self.assertEqual(e.exception.code, "FORBIDDEN")
        self.assertIn("clear", e.exception.message)

    def test_other_addresses_are_refused_by_the_bridge(self):
        self.cache.send_frame({"type": "send", "address": "not.the.service", "headers": {"action": "get"},
                               "body": {"key": "k"}, "replyAddress": "py.x"})
        frame = self.cache.recv_frame()
        self.assertEqual(frame.get("type"), "err")
        self.assertEqual(frame.get("address"), "py.x")
        self.assertEqual(frame.get("failureCode"), 403)
        self.assertTrue(frame.get("message").startswith("FORBIDDEN frame:"), frame)

    def test_malformed_json_does_not_take_the_service_down(self):
        raw = socket.create_connection(("127.0.0.1", PORT), timeout=5)
        garbage = b"{not json"
        raw.sendall(struct.pack(">I", len(garbage)) + garbage)
        raw.close()
        self.assertEqual(self.cache.call("incr", key=self.k + "alive"), 1)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    total = result.testsRun
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (total - failed, failed))
    sys.exit(1 if failed else 0)
