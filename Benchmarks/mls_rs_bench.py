#!/usr/bin/env python3
"""The five group-scale figures of issue 3 for mls-rs, through its Python bindings.

Same scenario as Isnad's `IsnadBenchmarks group` (Benchmarks/IsnadBenchmarks/GroupScale.swift),
suite 0x0001, at each size n, from a fresh group each repetition:

  (1) add:     the creator adds n-1 members in one commit (KeyPackages made beforehand)
  (2) join:    one new member joins from that Welcome (ratchet tree inside it)
  (3) commit:  the creator makes an empty commit (always with a path in these bindings)
  (4) process: the joiner processes that commit
  (5) app:     the creator encrypts a 100-byte application message, the joiner decrypts it

mls-rs leaves its own commit pending until the committer processes it; that step is not part
of (1) or (3) (Isnad's commit returns the next state directly) and is reported apart as
`add_apply` and `commit_apply`. Each figure is the fastest of its repetitions. Prints JSON.

Run in the venv of scripts/interop.sh (package agentvault-mls-rs-uniffi==0.1.1):
  .venv-interop/bin/python Benchmarks/mls_rs_bench.py [--sizes 10,100,1000] [--quick] [--repetitions R]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import mls_rs_uniffi as mls

SUITE = mls.CipherSuite.CURVE25519_AES128  # MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519


def client(identity: bytes) -> mls.Client:
    return mls.Client(identity, mls.generate_signature_keypair(SUITE), mls.client_config_default())


def timed(body):
    """Runs body once; returns (milliseconds, result)."""
    start = time.perf_counter_ns()
    result = body()
    return (time.perf_counter_ns() - start) / 1e6, result


def bench_size(n: int, repetitions: int, app_messages: int) -> dict[str, float]:
    others = [client(f"member {i}".encode()).generate_key_package_message() for i in range(n - 2)]
    payload = os.urandom(100)
    best: dict[str, float] = {}

    def keep(figure: str, ms: float) -> None:
        best[figure] = min(best.get(figure, float("inf")), ms)

    for _ in range(repetitions):
        creator = client(b"creator")
        joiner = client(b"joiner")
        joiner_key_package = joiner.generate_key_package_message()
        group = creator.create_group(os.urandom(16))
        key_packages = others + [joiner_key_package]

        ms, added = timed(lambda: group.add_members(key_packages))
        keep("add", ms)
        if added.welcome_message is None:
            raise RuntimeError("the add commit made no Welcome")
        ms, _ = timed(lambda: group.process_incoming_message(added.commit_message))
        keep("add_apply", ms)

        ms, info = timed(lambda: joiner.join_group(None, added.welcome_message))
        keep("join", ms)
        member = info.group

        ms, commit = timed(lambda: group.commit())
        keep("commit", ms)
        ms, _ = timed(lambda: group.process_incoming_message(commit.commit_message))
        keep("commit_apply", ms)
        ms, _ = timed(lambda: member.process_incoming_message(commit.commit_message))
        keep("process", ms)

        def exchange() -> None:
            for _ in range(app_messages):
                received = member.process_incoming_message(group.encrypt_application_message(payload))
                if not isinstance(received, mls.ReceivedMessage.APPLICATION_MESSAGE) or received.data != payload:
                    raise RuntimeError("the application message did not come back")

        ms, _ = timed(exchange)
        keep("app", ms / app_messages)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--quick", action="store_true", help="one repetition, 50 application messages")
    parser.add_argument("--repetitions", type=int)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if any(n < 2 for n in sizes):
        parser.error("sizes are integers >= 2")
    repetitions = args.repetitions or (1 if args.quick else 3)
    app_messages = 50 if args.quick else 200

    records = []
    for n in sizes:
        for figure, ms in bench_size(n, repetitions, app_messages).items():
            records.append({"figure": figure, "n": n, "ms": ms})
            print(f"mls-rs {figure:<13} n={n:<6} {ms:10.3f} ms", file=sys.stderr)
    json.dump({"implementation": "mls-rs", "repetitions": repetitions, "records": records}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
