#!/usr/bin/env python3
"""Drives MLS peers that speak the interop-peer protocol (docs/interop.md).

`Peer` runs one peer process (any argv: `isnad interop-peer`, `python mls_rs_peer.py`, ...)
and exchanges JSON lines with it, with a timeout on every answer. The scenario functions put
two or three peers in one MLS group and relay the bytes each one produces to the others, as a
delivery service would; after every step `check_agreement` asks every current member for its
`state` and an exported secret and requires them to agree.

The scenarios are cumulative; each takes and returns a `Group`:

    create_and_add   (a) A creates the group and adds B (ratchet tree in the Welcome or apart)
    exchange         (b) application messages from every member to every other
    updates          (c) A commits with an update, B processes; B commits, A processes; ...
    add_third        (d) A adds C, B processes the commit, C joins
    remove_third     (e) A removes C, B and C process; C learns it is out and cannot read on

Run by hand:  python harness.py [--tree-separate] KIND_A KIND_B [KIND_C]
with KIND one of `mls-rs`, `isnad` (see `peer_command`).
"""

from __future__ import annotations

import base64
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_TIMEOUT = float(os.environ.get("INTEROP_TIMEOUT", "30"))

EXPORT_LABEL = "isnad interop"
EXPORT_LENGTH = 32


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


# --------------------------------------------------------------------------------------------
# Peer commands


def isnad_binary() -> Path:
    """The Isnad executable: $ISNAD_BIN, else <repo>/.build/debug/isnad."""
    return Path(os.environ.get("ISNAD_BIN") or REPO / ".build" / "debug" / "isnad")


def peer_command(kind: str) -> list[str]:
    if kind == "mls-rs":
        return [sys.executable, str(HERE / "mls_rs_peer.py")]
    if kind == "isnad":
        return [str(isnad_binary()), "interop-peer"]
    raise ValueError(f"unknown peer kind {kind!r}")


def peer_unavailable(kind: str) -> str | None:
    """Why a kind of peer cannot run here, or None when it can."""
    if kind == "isnad":
        path = isnad_binary()
        if not (path.is_file() and os.access(path, os.X_OK)):
            return f"{path} does not exist (run `swift build` or set ISNAD_BIN)"
    return None


# --------------------------------------------------------------------------------------------
# One peer process


class PeerError(RuntimeError):
    """The peer answered `"ok": false`."""


class PeerFailure(RuntimeError):
    """The peer broke the protocol: it died, timed out, or answered something malformed."""


class Peer:
    """A running peer process. `request` sends one op and returns the answer's fields."""

    def __init__(self, argv: list[str], name: str, timeout: float = DEFAULT_TIMEOUT):
        self.name = name
        self.argv = list(argv)
        self.timeout = timeout
        self.next_id = 0
        self.stderr = tempfile.TemporaryFile(mode="w+b")
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
            text=True, encoding="utf-8", bufsize=1)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read_stdout, daemon=True).start()

    def _read_stdout(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def stderr_tail(self, limit: int = 2000) -> str:
        self.stderr.flush()
        self.stderr.seek(0)
        text = self.stderr.read().decode("utf-8", "replace")
        return text[-limit:]

    def _fail(self, what: str) -> PeerFailure:
        return PeerFailure(f"{self.name} ({' '.join(self.argv)}): {what}\n"
                           f"--- stderr tail ---\n{self.stderr_tail()}")

    def raw(self, op: str, **fields) -> dict:
        """Sends a request, returns the whole answer (ok or not); protocol breaks raise."""
        self.next_id += 1
        req_id = self.next_id
        line = json.dumps({"op": op, "id": req_id, **fields})
        try:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise self._fail(f"cannot send {op}: {exc}") from None
        try:
            answer_line = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            raise self._fail(f"no answer to {op} within {self.timeout} s") from None
        if answer_line is None:
            raise self._fail(f"exited (status {self.proc.poll()}) before answering {op}")
        try:
            answer = json.loads(answer_line)
        except json.JSONDecodeError:
            raise self._fail(f"answered {op} with a line that is not JSON: {answer_line!r}") from None
        if not isinstance(answer, dict) or answer.get("id") != req_id:
            raise self._fail(f"answer to {op} (id {req_id}) has the wrong id: {answer_line!r}")
        if answer.get("ok") is True:
            return answer
        if answer.get("ok") is False and isinstance(answer.get("error"), str):
            return answer
        raise self._fail(f"malformed answer to {op}: {answer_line!r}")

    def request(self, op: str, **fields) -> dict:
        """Sends a request that must succeed; `"ok": false` raises PeerError."""
        answer = self.raw(op, **fields)
        if not answer["ok"]:
            raise PeerError(f"{self.name}: {op} failed: {answer['error']}\n"
                            f"--- stderr tail ---\n{self.stderr_tail(800)}")
        return answer

    def field(self, answer: dict, key: str, kind: type):
        """answer[key], which must be of type `kind` (a bool is not accepted as an int)."""
        value = answer.get(key)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self._fail(f"answer lacks a {kind.__name__} {key!r}: {answer!r}")
        return answer[key]

    def bytes_field(self, answer: dict, key: str) -> bytes:
        text = self.field(answer, key, str)
        try:
            return b64d(text)
        except ValueError:
            raise self._fail(f"{key!r} is not base64: {text[:40]!r}") from None

    def quit(self) -> int:
        """Asks the peer to quit; returns its exit status (it must answer and exit)."""
        self.request("quit")
        try:
            return self.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise self._fail("did not exit after quit") from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    # Typed operations --------------------------------------------------------------------

    def create_key_package(self, identity: str) -> tuple[bytes, object]:
        a = self.request("create_key_package", identity=identity)
        return self.bytes_field(a, "key_package"), a["key_package_id"]

    def create_group(self, group_id: bytes, identity: str) -> object:
        return self.request("create_group", group_id=b64e(group_id), identity=identity)["group"]

    def add_members(self, group, key_packages: list[bytes], tree_in_welcome: bool):
        a = self.request("add_members", group=group, key_packages=[b64e(k) for k in key_packages],
                         ratchet_tree_in_welcome=tree_in_welcome)
        return (self.bytes_field(a, "commit"), self.bytes_field(a, "welcome"),
                self.bytes_field(a, "ratchet_tree"))

    def join(self, key_package_id, welcome: bytes, ratchet_tree: bytes | None) -> object:
        return self.request("join", key_package_id=key_package_id, welcome=b64e(welcome),
                            ratchet_tree=None if ratchet_tree is None else b64e(ratchet_tree))["group"]

    def commit(self, group, update: bool) -> bytes:
        return self.bytes_field(self.request("commit", group=group, update=update), "commit")

    def remove_members(self, group, leaves: list[int]) -> bytes:
        return self.bytes_field(self.request("remove_members", group=group, leaves=leaves), "commit")

    def encrypt(self, group, data: bytes) -> bytes:
        return self.bytes_field(self.request("encrypt", group=group, data=b64e(data)), "message")

    def process(self, group, message: bytes) -> dict:
        """Processes a message; returns the answer (`kind`, `data` as bytes, `removed_me`)."""
        a = self.request("process", group=group, message=b64e(message))
        kind = self.field(a, "kind", str)
        if kind == "application":
            a["data"] = self.bytes_field(a, "data")
        elif kind == "commit":
            self.field(a, "removed_me", bool)
        elif kind != "proposal":
            raise self._fail(f"unknown message kind {kind!r}")
        return a

    def export_secret(self, group, label: str, context: bytes, length: int) -> bytes:
        a = self.request("export_secret", group=group, label=label, context=b64e(context),
                         length=length)
        return self.bytes_field(a, "secret")

    def state(self, group) -> "State":
        a = self.request("state", group=group)
        members = self.field(a, "members", list)
        if not all(isinstance(m, int) and not isinstance(m, bool) for m in members):
            raise self._fail(f"members are not leaf indices: {members!r}")
        return State(self.field(a, "epoch", int), self.bytes_field(a, "epoch_authenticator"),
                     sorted(members), self.field(a, "my_leaf", int))


@dataclass
class State:
    epoch: int
    epoch_authenticator: bytes
    members: list[int]
    my_leaf: int


# --------------------------------------------------------------------------------------------
# A group spread over peers


@dataclass
class Member:
    name: str
    peer: Peer
    group: object  # the peer's group handle


@dataclass
class Group:
    """The harness's view of one MLS group: who is in it and which epoch it must be at."""
    group_id: bytes
    tree_in_welcome: bool
    members: dict[str, Member] = field(default_factory=dict)
    epoch: int = 0
    # epoch -> (epoch authenticator, secret exported with a fixed context), as first seen
    by_epoch: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)

    def deliver(self, message: bytes, sender: str, skip: tuple[str, ...] = ()) -> dict[str, dict]:
        """Gives a handshake or application message to every member but its sender."""
        return {name: m.peer.process(m.group, message)
                for name, m in self.members.items() if name != sender and name not in skip}


def check_agreement(g: Group, step: str) -> None:
    """(f) Every current member is at g.epoch with the same authenticator, roster, secret."""
    states = {name: m.peer.state(m.group) for name, m in g.members.items()}
    context = step.encode("utf-8")
    secrets = {name: m.peer.export_secret(m.group, EXPORT_LABEL, context, EXPORT_LENGTH)
               for name, m in g.members.items()}
    report = "; ".join(
        f"{n}: epoch {s.epoch}, auth {s.epoch_authenticator.hex()[:16]}, members {s.members}, "
        f"leaf {s.my_leaf}, secret {secrets[n].hex()[:16]}" for n, s in states.items())
    where = f"after {step}: {report}"

    for name, s in states.items():
        assert s.epoch == g.epoch, f"{name} is at epoch {s.epoch}, expected {g.epoch} {where}"
        assert s.epoch_authenticator, f"{name} has an empty epoch authenticator {where}"
        assert len(secrets[name]) == EXPORT_LENGTH, f"{name} exported {len(secrets[name])} bytes {where}"
        assert s.my_leaf in s.members, f"{name}'s own leaf is not in its roster {where}"
    first = next(iter(states.values()))
    assert all(s.epoch_authenticator == first.epoch_authenticator for s in states.values()), \
        f"epoch authenticators differ {where}"
    assert all(s.members == first.members for s in states.values()), f"rosters differ {where}"
    assert len(first.members) == len(g.members), \
        f"roster has {len(first.members)} leaves for {len(g.members)} members {where}"
    assert len({s.my_leaf for s in states.values()}) == len(states), f"two members claim one leaf {where}"
    assert len(set(secrets.values())) == 1, f"exported secrets differ {where}"

    # The same epoch must keep its secrets; a new epoch must bring new ones.
    any_member = next(iter(g.members.values()))
    epoch_secret = any_member.peer.export_secret(any_member.group, EXPORT_LABEL, b"per-epoch",
                                                 EXPORT_LENGTH)
    known = g.by_epoch.get(g.epoch)
    if known is not None:
        assert known == (first.epoch_authenticator, epoch_secret), \
            f"epoch {g.epoch}'s authenticator or secret changed without a commit {where}"
    else:
        for earlier, (auth, sec) in g.by_epoch.items():
            assert auth != first.epoch_authenticator and sec != epoch_secret, \
                f"epoch {g.epoch} repeats the secrets of epoch {earlier} {where}"
        g.by_epoch[g.epoch] = (first.epoch_authenticator, epoch_secret)


# --------------------------------------------------------------------------------------------
# Scenarios


def create_and_add(a: Peer, b: Peer, tree_in_welcome: bool) -> Group:
    """(a) A creates a group and adds B; B joins from the Welcome (tree inside or apart)."""
    g = Group(group_id=os.urandom(16), tree_in_welcome=tree_in_welcome)
    ga = a.create_group(g.group_id, "alice")
    g.members["A"] = Member("A", a, ga)
    check_agreement(g, "create")
    s = a.state(ga)
    assert s.members == [0] and s.my_leaf == 0, f"a new group should hold only leaf 0: {s}"

    kp, kp_id = b.create_key_package("bob")
    commit, welcome, tree = a.add_members(ga, [kp], tree_in_welcome)
    assert commit and welcome and tree, "add_members returned an empty commit, welcome or tree"
    gb = b.join(kp_id, welcome, None if tree_in_welcome else tree)
    g.members["B"] = Member("B", b, gb)
    g.epoch += 1
    check_agreement(g, "add B")
    return g


def exchange(g: Group, rounds: int = 2, step: str = "messages") -> Group:
    """(b) Every member sends `rounds` messages; every other member must read each one."""
    for r in range(rounds):
        for sender, m in list(g.members.items()):
            data = f"{step} #{r} from {sender} at epoch {g.epoch}".encode()
            message = m.peer.encrypt(m.group, data)
            for receiver, got in g.deliver(message, sender).items():
                assert got["kind"] == "application", f"{receiver} read {got['kind']} for {data!r}"
                assert got["data"] == data, f"{receiver} read {got['data']!r}, sent {data!r}"
    check_agreement(g, step)
    return g


def commit_and_deliver(g: Group, committer: str, update: bool) -> None:
    m = g.members[committer]
    commit = m.peer.commit(m.group, update)
    for receiver, got in g.deliver(commit, committer).items():
        assert got["kind"] == "commit", f"{receiver} read {got['kind']} for {committer}'s commit"
        assert got["removed_me"] is False, f"{receiver} thinks {committer}'s commit removed it"
    g.epoch += 1
    check_agreement(g, f"commit by {committer} (update={update})")


def updates(g: Group) -> Group:
    """(c) A commits with an update, B processes; B commits, A processes; A commits without."""
    commit_and_deliver(g, "A", update=True)
    commit_and_deliver(g, "B", update=True)
    commit_and_deliver(g, "A", update=False)
    return exchange(g, rounds=1, step="messages after updates")


def add_third(g: Group, c: Peer) -> Group:
    """(d) A adds C; B processes the commit; C joins from the Welcome."""
    a = g.members["A"]
    kp, kp_id = c.create_key_package("carol")
    commit, welcome, tree = a.peer.add_members(a.group, [kp], g.tree_in_welcome)
    for receiver, got in g.deliver(commit, "A").items():
        assert got["kind"] == "commit" and got["removed_me"] is False, f"{receiver}: {got}"
    gc = c.join(kp_id, welcome, None if g.tree_in_welcome else tree)
    g.members["C"] = Member("C", c, gc)
    g.epoch += 1
    check_agreement(g, "add C")
    commit_and_deliver(g, "C", update=True)  # the newcomer commits too
    return exchange(g, rounds=1, step="messages with C")


def remove_third(g: Group) -> Group:
    """(e) A removes C; C learns it; what is sent afterwards C cannot read."""
    a, c = g.members["A"], g.members["C"]
    c_leaf = c.peer.state(c.group).my_leaf
    commit = a.peer.remove_members(a.group, [c_leaf])
    got = g.deliver(commit, "A")
    assert got["B"]["kind"] == "commit" and got["B"]["removed_me"] is False, f"B: {got['B']}"
    assert got["C"]["kind"] == "commit" and got["C"]["removed_me"] is True, \
        f"C was not told it was removed: {got['C']}"
    del g.members["C"]
    g.epoch += 1
    check_agreement(g, "remove C")
    s = a.peer.state(a.group)
    assert c_leaf not in s.members, f"C's leaf {c_leaf} is still in the roster {s.members}"

    for sender in ("A", "B"):
        m = g.members[sender]
        data = f"after removal from {sender}".encode()
        message = m.peer.encrypt(m.group, data)
        for receiver, read in g.deliver(message, sender).items():
            assert read["kind"] == "application" and read["data"] == data, f"{receiver}: {read}"
        answer = c.peer.raw("process", group=c.group, message=b64e(message))
        assert answer["ok"] is False, f"removed C could still process {sender}'s message: {answer}"
    commit_and_deliver(g, "B", update=True)
    return exchange(g, rounds=1, step="messages after removal")


def run_all(a: Peer, b: Peer, c: Peer, tree_in_welcome: bool) -> Group:
    g = create_and_add(a, b, tree_in_welcome)
    exchange(g)
    updates(g)
    add_third(g, c)
    return remove_third(g)


def main(argv: list[str]) -> int:
    tree_in_welcome = "--tree-separate" not in argv
    kinds = [k for k in argv if not k.startswith("--")]
    if len(kinds) not in (2, 3):
        print(__doc__)
        return 2
    kinds = kinds + [kinds[0]] if len(kinds) == 2 else kinds
    peers = [Peer(peer_command(k), f"{role}:{k}") for role, k in zip("ABC", kinds)]
    try:
        g = run_all(*peers, tree_in_welcome=tree_in_welcome)
        for p in peers:
            assert p.quit() == 0, f"{p.name} did not exit 0"
        print(f"all scenarios passed; final epoch {g.epoch}")
        return 0
    finally:
        for p in peers:
            p.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
