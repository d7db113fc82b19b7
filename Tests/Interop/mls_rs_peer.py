#!/usr/bin/env python3
"""An interop peer backed by AWS mls-rs (through the `mls_rs_uniffi` Python bindings).

It speaks the JSON-lines protocol of docs/interop.md on stdin/stdout: one request object per
line in, one answer object per line out, in order. Cipher suite 0x0001, basic credentials.

The bindings expose less than the protocol asks for; see NOTES.md. Two answers are therefore
derived from real mls-rs output rather than from a direct API call, and both are checked:

* `state.members` / `state.my_leaf` come from parsing the RFC 9420 ratchet tree that mls-rs
  exports (`Group.export_tree`), matching our own signature key for `my_leaf`.
* `state.epoch` / `state.epoch_authenticator` come from the group snapshot that mls-rs writes
  to its GroupStateStorage (`Group.write_to_storage`). The epoch is read from the GroupContext
  at the start of the snapshot; the epoch authenticator from the KeySchedule near its end. The
  KeySchedule's position is confirmed by recomputing MLS-Exporter from the exporter secret
  found next to it and comparing with mls-rs's own `export_secret`; any mismatch is an error.

`remove_members` takes leaf indices in the protocol but basic-credential identities in the
bindings (mls-rs looks the member up by identity). The peer reads each leaf's identity from the
exported tree, refuses if that identity is not unique in the group, and checks after the commit
that exactly the requested leaves were blanked.

Anything the bindings cannot do answers `"ok": false` with a reason; nothing is faked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import traceback
from dataclasses import dataclass, field

import mls_rs_uniffi as mls

SUITE = mls.CipherSuite.CURVE25519_AES128  # MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519
HASH_LEN = 32  # SHA-256


# --------------------------------------------------------------------------------------------
# TLS presentation language (RFC 9420 §2.1.2) reading


class Reader:
    """Reads RFC 9420 wire encodings: fixed-width integers and varint-prefixed vectors."""

    def __init__(self, data: bytes, pos: int = 0):
        self.data = data
        self.pos = pos

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ValueError("truncated encoding")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def uint(self, width: int) -> int:
        return int.from_bytes(self.take(width), "big")

    def varint(self) -> int:
        first = self.uint(1)
        prefix = first >> 6
        if prefix == 3:
            raise ValueError("invalid varint prefix")
        length = 1 << prefix
        value = first & 0x3F
        for _ in range(length - 1):
            value = (value << 8) | self.uint(1)
        return value

    def vector(self) -> bytes:
        return self.take(self.varint())

    def done(self) -> bool:
        return self.pos == len(self.data)


def encode_varint(n: int) -> bytes:
    if n < 1 << 6:
        return n.to_bytes(1, "big")
    if n < 1 << 14:
        return (n | 0x4000).to_bytes(2, "big")
    if n < 1 << 30:
        return (n | 0x80000000).to_bytes(4, "big")
    raise ValueError("varint too large")


def encode_vector(b: bytes) -> bytes:
    return encode_varint(len(b)) + b


# --------------------------------------------------------------------------------------------
# Ratchet tree (RFC 9420 §12.4.3.3: optional<Node> ratchet_tree<V>)


@dataclass
class Leaf:
    signature_key: bytes
    credential_type: int
    identity: bytes | None  # basic credentials only


def parse_leaf_node(r: Reader) -> Leaf:
    r.vector()  # encryption_key
    signature_key = r.vector()
    credential_type = r.uint(2)
    identity = None
    if credential_type == 1:  # basic
        identity = r.vector()
    elif credential_type == 2:  # x509: Certificate certificates<V>
        r.vector()
    else:
        raise ValueError(f"unknown credential type {credential_type}")
    for _ in range(5):  # capabilities: versions, cipher_suites, extensions, proposals, credentials
        r.vector()
    source = r.uint(1)
    if source == 1:  # key_package: Lifetime
        r.take(16)
    elif source == 3:  # commit: parent_hash
        r.vector()
    elif source != 2:
        raise ValueError(f"unknown leaf node source {source}")
    r.vector()  # extensions
    r.vector()  # signature
    return Leaf(signature_key, credential_type, identity)


def parse_ratchet_tree(data: bytes) -> list[Leaf | None]:
    """Returns the leaves of a serialized ratchet tree, None for blank leaves."""
    outer = Reader(data)
    r = Reader(outer.vector())
    if not outer.done():
        raise ValueError("trailing bytes after ratchet tree")
    nodes: list = []
    while not r.done():
        present = r.uint(1)
        if present == 0:
            nodes.append(None)
            continue
        if present != 1:
            raise ValueError("bad optional flag in ratchet tree")
        node_type = r.uint(1)
        if node_type == 1:
            nodes.append(parse_leaf_node(r))
        elif node_type == 2:
            r.vector()  # encryption_key
            r.vector()  # parent_hash
            r.vector()  # unmerged_leaves
            nodes.append("parent")
        else:
            raise ValueError(f"unknown node type {node_type}")
    return [nodes[i] for i in range(0, len(nodes), 2)]


# --------------------------------------------------------------------------------------------
# Key schedule helpers (RFC 9420 §8), SHA-256 only


def expand_with_label(secret: bytes, label: bytes, context: bytes, length: int) -> bytes:
    info = length.to_bytes(2, "big") + encode_vector(b"MLS 1.0 " + label) + encode_vector(context)
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def mls_exporter(exporter_secret: bytes, label: bytes, context: bytes, length: int) -> bytes:
    derived = expand_with_label(exporter_secret, label, b"", HASH_LEN)
    return expand_with_label(derived, b"exported", hashlib.sha256(context).digest(), length)


# --------------------------------------------------------------------------------------------
# Group state storage: keeps mls-rs's snapshots in memory so `state` can read them


class MemoryStorage(mls.GroupStateStorage):
    def __init__(self):
        self.states: dict[bytes, bytes] = {}
        self.epochs: dict[tuple[bytes, int], bytes] = {}

    def state(self, group_id):
        return self.states.get(bytes(group_id))

    def epoch(self, group_id, epoch_id):
        return self.epochs.get((bytes(group_id), epoch_id))

    def write(self, group_id, group_state, epoch_inserts, epoch_updates):
        gid = bytes(group_id)
        self.states[gid] = bytes(group_state)
        for record in list(epoch_inserts) + list(epoch_updates):
            self.epochs[(gid, record.id)] = bytes(record.data)

    def max_epoch_id(self, group_id):
        ids = [e for (g, e) in self.epochs if g == bytes(group_id)]
        return max(ids) if ids else None


# --------------------------------------------------------------------------------------------
# One MLS member: a signing key, two mls-rs clients sharing it and one storage


@dataclass
class Member:
    identity: bytes
    keypair: mls.SignatureKeypair
    storage: MemoryStorage
    # mls-rs fixes "ratchet tree in Welcome" per client; one client per setting, same key.
    clients: dict[bool, mls.Client] = field(default_factory=dict)
    group: mls.Group | None = None
    group_tree_ext: bool = True  # which client `group` was created or loaded through
    group_id: bytes | None = None

    @classmethod
    def new(cls, identity: bytes) -> "Member":
        keypair = mls.generate_signature_keypair(SUITE)
        storage = MemoryStorage()
        member = cls(identity, keypair, storage)
        for ext in (True, False):
            config = mls.ClientConfig(group_state_storage=storage, use_ratchet_tree_extension=ext)
            member.clients[ext] = mls.Client(identity, keypair, config)
        return member

    def require_group(self) -> mls.Group:
        if self.group is None:
            raise PeerError("this handle has no group yet")
        return self.group

    def snapshot(self) -> bytes:
        """Writes the group to storage and returns mls-rs's snapshot bytes."""
        self.require_group().write_to_storage()
        if self.group_id is None:
            if len(self.storage.states) != 1:
                raise PeerError("cannot tell this group's ID from storage")
            self.group_id = next(iter(self.storage.states))
        return self.storage.states[self.group_id]

    def use_client(self, tree_ext: bool) -> mls.Group:
        """Reloads the group through the client whose Welcomes do (or don't) carry the tree."""
        group = self.require_group()
        if self.group_tree_ext != tree_ext:
            self.snapshot()
            self.group = self.clients[tree_ext].load_group(self.group_id)
            self.group_tree_ext = tree_ext
        return self.group

    def leaves(self) -> list[Leaf | None]:
        return parse_ratchet_tree(self.require_group().export_tree().bytes)

    def apply_own_commit(self, output: mls.CommitOutput) -> None:
        """mls-rs keeps its own commit pending until the committer processes it."""
        received = self.require_group().process_incoming_message(output.commit_message)
        if not received.is_commit():
            raise PeerError("own commit did not process as a commit")


class PeerError(Exception):
    pass


def b64e(b: bytes) -> str:
    return base64.b64encode(bytes(b)).decode("ascii")


def b64d(s: str) -> bytes:
    return base64.b64decode(s, validate=True)


# --------------------------------------------------------------------------------------------
# The protocol


class Peer:
    def __init__(self):
        self.key_packages: dict[str, Member] = {}
        self.groups: dict[str, Member] = {}
        self.counter = 0

    def handle(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def group_of(self, req) -> Member:
        try:
            return self.groups[req["group"]]
        except KeyError:
            raise PeerError(f"unknown group handle {req.get('group')!r}") from None

    def op_create_key_package(self, req):
        member = Member.new(req["identity"].encode("utf-8"))
        kp = member.clients[True].generate_key_package_message()
        handle = self.handle("kp")
        self.key_packages[handle] = member
        return {"key_package": b64e(kp.to_bytes()), "key_package_id": handle}

    def op_create_group(self, req):
        member = Member.new(req["identity"].encode("utf-8"))
        group_id = b64d(req["group_id"])
        member.group = member.clients[True].create_group(group_id)
        member.group_id = group_id
        handle = self.handle("g")
        self.groups[handle] = member
        return {"group": handle}

    def op_add_members(self, req):
        member = self.group_of(req)
        tree_in_welcome = bool(req["ratchet_tree_in_welcome"])
        group = member.use_client(tree_in_welcome)
        kps = [mls.Message.from_bytes(b64d(k)) for k in req["key_packages"]]
        output = group.add_members(kps)
        if output.welcome_message is None:
            raise PeerError("mls-rs produced no Welcome")
        member.apply_own_commit(output)
        tree = group.export_tree().bytes  # the tree of the new epoch, as the joiners need it
        return {
            "commit": b64e(output.commit_message.to_bytes()),
            "welcome": b64e(output.welcome_message.to_bytes()),
            "ratchet_tree": b64e(tree),
        }

    def op_join(self, req):
        try:
            member = self.key_packages.pop(req["key_package_id"])
        except KeyError:
            raise PeerError(f"unknown key package {req.get('key_package_id')!r}") from None
        welcome = mls.Message.from_bytes(b64d(req["welcome"]))
        tree = req.get("ratchet_tree")
        tree = mls.RatchetTree(bytes=b64d(tree)) if tree is not None else None
        info = member.clients[True].join_group(tree, welcome)
        member.group = info.group
        member.group_tree_ext = True
        handle = self.handle("g")
        self.groups[handle] = member
        return {"group": handle}

    def op_commit(self, req):
        member = self.group_of(req)
        # The bindings offer only Group.commit(): an empty commit, which in mls-rs always
        # carries an UpdatePath (RFC 9420 §12.4: a path is required for an empty commit).
        # `update` true or false therefore gives the same kind of commit.
        output = member.require_group().commit()
        member.apply_own_commit(output)
        return {"commit": b64e(output.commit_message.to_bytes())}

    def op_remove_members(self, req):
        member = self.group_of(req)
        group = member.require_group()
        leaves = member.leaves()
        wanted = [int(i) for i in req["leaves"]]
        identities = []
        for index in wanted:
            if not 0 <= index < len(leaves) or leaves[index] is None:
                raise PeerError(f"leaf {index} is not a member")
            leaf = leaves[index]
            if leaf.identity is None:
                raise PeerError(f"leaf {index} has no basic credential")
            same = [i for i, l in enumerate(leaves) if l is not None and l.identity == leaf.identity]
            if same != [index]:
                raise PeerError(
                    f"mls-rs bindings remove by identity and leaves {same} share leaf {index}'s")
            identities.append(leaf.identity)
        # SigningIdentity has no constructor; a throwaway client yields one with that identity.
        signing_identities = [
            mls.Client(ident, mls.generate_signature_keypair(SUITE),
                       mls.client_config_default()).signing_identity()
            for ident in identities
        ]
        output = group.remove_members(signing_identities)
        member.apply_own_commit(output)
        after = member.leaves()
        for index in wanted:
            if index < len(after) and after[index] is not None:
                raise PeerError(f"leaf {index} is still occupied after the commit")
        return {"commit": b64e(output.commit_message.to_bytes())}

    def op_process(self, req):
        member = self.group_of(req)
        message = mls.Message.from_bytes(b64d(req["message"]))
        received = member.require_group().process_incoming_message(message)
        if received.is_application_message():
            return {"kind": "application", "data": b64e(received.data)}
        if received.is_commit():
            if received.effect.is_re_init():
                raise PeerError("ReInit commits are not supported by this peer")
            return {"kind": "commit", "removed_me": received.effect.is_removed()}
        if received.is_received_proposal():
            return {"kind": "proposal"}
        raise PeerError(f"unexpected message kind {type(received).__name__}")

    def op_encrypt(self, req):
        member = self.group_of(req)
        message = member.require_group().encrypt_application_message(b64d(req["data"]))
        return {"message": b64e(message.to_bytes())}

    def op_export_secret(self, req):
        member = self.group_of(req)
        secret = member.require_group().export_secret(
            req["label"].encode("utf-8"), b64d(req["context"]), int(req["length"]))
        return {"secret": b64e(secret)}

    def op_state(self, req):
        member = self.group_of(req)
        group = member.require_group()
        snap = member.snapshot()

        # Snapshot { u16 version; RawGroupState { GroupContext context; ... } ... }
        r = Reader(snap)
        r.uint(2)  # snapshot version
        if r.uint(2) != 1 or r.uint(2) != 0x0001:
            raise PeerError("snapshot does not start with an MLS 1.0 suite-1 GroupContext")
        group_id = r.vector()
        if group_id != member.group_id:
            raise PeerError("snapshot group ID does not match")
        epoch = r.uint(8)

        # ... KeySchedule (5 secrets) || pending_updates (empty map) || pending_commit (None)
        #     || signer (our signature secret key)
        tail = b"\x00\x00" + encode_vector(bytes(member.keypair.secret_key.bytes))
        if not snap.endswith(tail):
            raise PeerError("snapshot layout not recognised (pending updates or commit?)")
        ks = Reader(snap, len(snap) - len(tail) - 5 * (1 + HASH_LEN))
        secrets = [ks.vector() for _ in range(5)]
        if ks.pos != len(snap) - len(tail) or any(len(s) != HASH_LEN for s in secrets):
            raise PeerError("snapshot key schedule not recognised")
        exporter_secret, authentication_secret = secrets[0], secrets[1]
        probe = (b"isnad interop layout check", b"\x01\x02", 32)
        if mls_exporter(exporter_secret, *probe) != group.export_secret(*probe):
            raise PeerError("snapshot key schedule does not match mls-rs's exporter")

        leaves = member.leaves()
        members = [i for i, leaf in enumerate(leaves) if leaf is not None]
        own_key = bytes(member.keypair.public_key.bytes)
        mine = [i for i in members if leaves[i].signature_key == own_key]
        if len(mine) != 1:
            raise PeerError("own leaf not found exactly once in the exported tree")
        return {
            "epoch": epoch,
            "epoch_authenticator": b64e(authentication_secret),
            "members": members,
            "my_leaf": mine[0],
        }

    def op_quit(self, req):
        return {}

    def answer(self, line: str) -> tuple[dict, bool]:
        req_id = None
        try:
            req = json.loads(line)
            if not isinstance(req, dict):
                raise PeerError("request is not a JSON object")
            req_id = req.get("id")
            op = req.get("op")
            method = getattr(self, f"op_{op}", None) if isinstance(op, str) else None
            if method is None:
                raise PeerError(f"unknown op {op!r}")
            result = method(req)
            return {"id": req_id, "ok": True, **result}, op == "quit"
        except Exception as exc:  # every failure becomes an answer, never a crash
            traceback.print_exc(file=sys.stderr)
            reason = str(exc).strip().replace("\n", " ") or type(exc).__name__
            return {"id": req_id, "ok": False, "error": f"{type(exc).__name__}: {reason}"}, False


def main() -> int:
    peer = Peer()
    for line in sys.stdin:
        if not line.strip():
            continue
        answer, stop = peer.answer(line)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        if stop:
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
