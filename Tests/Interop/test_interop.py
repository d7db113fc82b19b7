"""Interop tests: real peer processes of real MLS implementations, driven by harness.py.

Each scenario test replays the scenarios before it (they build on one another), so a failure
names the first step that broke. Peer kinds: `mls-rs` (always) and `isnad` (when the binary
exists: $ISNAD_BIN or <repo>/.build/debug/isnad; otherwise the case is skipped, with the reason).
"""

from __future__ import annotations

import pytest

import harness
from harness import Peer, peer_command, peer_unavailable

# (A, B): A creates the group and adds B. Every pair of kinds, both ways round.
PAIRS = [("mls-rs", "mls-rs"), ("isnad", "mls-rs"), ("mls-rs", "isnad")]
# (A, B, C): C, added and removed by A, is of either kind.
TRIOS = sorted({(a, b, c) for a, b in PAIRS for c in (a, b)})
TREE = [pytest.param(True, id="tree-in-welcome"), pytest.param(False, id="tree-separate")]


@pytest.fixture
def spawn():
    """spawn(*kinds) starts one peer per kind (roles A, B, C); skips the test if that kind is not available here."""
    peers: list[Peer] = []

    def start_all(*kinds: str) -> list[Peer]:
        for kind in kinds:  # skip before starting anything
            reason = peer_unavailable(kind)
            if reason:
                pytest.skip(f"{kind} binary not built: {reason}")
        for kind, role in zip(kinds, "ABC"):
            peers.append(Peer(peer_command(kind), f"{role}:{kind}"))
        return peers[-len(kinds):]

    yield start_all
    for peer in peers:
        peer.kill()


def quit_all(peers: list[Peer]) -> None:
    for peer in peers:
        assert peer.quit() == 0, f"{peer.name} did not exit with status 0 after quit"


def pair_id(p) -> str:
    return "-".join(p)


@pytest.mark.parametrize("tree_in_welcome", TREE)
@pytest.mark.parametrize("kinds", PAIRS, ids=pair_id)
def test_a_create_and_add(spawn, kinds, tree_in_welcome):
    a, b = spawn(*kinds)
    harness.create_and_add(a, b, tree_in_welcome)
    quit_all([a, b])


@pytest.mark.parametrize("tree_in_welcome", TREE)
@pytest.mark.parametrize("kinds", PAIRS, ids=pair_id)
def test_b_messages_both_ways(spawn, kinds, tree_in_welcome):
    a, b = spawn(*kinds)
    harness.exchange(harness.create_and_add(a, b, tree_in_welcome), rounds=3)
    quit_all([a, b])


@pytest.mark.parametrize("tree_in_welcome", TREE)
@pytest.mark.parametrize("kinds", PAIRS, ids=pair_id)
def test_c_commits_both_ways(spawn, kinds, tree_in_welcome):
    a, b = spawn(*kinds)
    g = harness.create_and_add(a, b, tree_in_welcome)
    harness.exchange(g)
    harness.updates(g)
    quit_all([a, b])


@pytest.mark.parametrize("tree_in_welcome", TREE)
@pytest.mark.parametrize("kinds", TRIOS, ids=pair_id)
def test_d_add_third_member(spawn, kinds, tree_in_welcome):
    a, b, c = spawn(*kinds)
    g = harness.create_and_add(a, b, tree_in_welcome)
    harness.exchange(g)
    harness.updates(g)
    harness.add_third(g, c)
    quit_all([a, b, c])


@pytest.mark.parametrize("tree_in_welcome", TREE)
@pytest.mark.parametrize("kinds", TRIOS, ids=pair_id)
def test_e_remove_third_member(spawn, kinds, tree_in_welcome):
    a, b, c = spawn(*kinds)
    harness.run_all(a, b, c, tree_in_welcome)
    quit_all([a, b, c])


# The harness must be able to fail: these drive real peers into real disagreement.

@pytest.mark.parametrize("kind", ["mls-rs", "isnad"])
def test_check_catches_a_member_left_behind(spawn, kind):
    a, b = spawn(kind, "mls-rs")
    g = harness.create_and_add(a, b, True)
    ma = g.members["A"]
    ma.peer.commit(ma.group, update=True)  # B never sees this commit
    g.epoch += 1
    with pytest.raises(AssertionError, match="epoch"):
        harness.check_agreement(g, "B left behind")


@pytest.mark.parametrize("kind", ["mls-rs", "isnad"])
def test_foreign_group_message_is_refused(spawn, kind):
    a, b = spawn(kind, "mls-rs")
    g = harness.create_and_add(a, b, True)
    # A message from a group B never joined must not be readable by B.
    other = a.create_group(b"another group", "alice again")
    message = a.encrypt(other, b"not for B")
    answer = b.raw("process", group=g.members["B"].group, message=harness.b64e(message))
    assert answer["ok"] is False, f"B processed a message of a foreign group: {answer}"


@pytest.mark.parametrize("kind", ["mls-rs", "isnad"])
def test_errors_are_answers(spawn, kind):
    (p,) = spawn(kind)
    for op, fields in [("no_such_op", {}), ("state", {"group": "no such group"}),
                       ("process", {"group": "no such group", "message": "AAAA"})]:
        answer = p.raw(op, **fields)
        assert answer["ok"] is False and answer["error"], f"{op}: {answer}"
    quit_all([p])
