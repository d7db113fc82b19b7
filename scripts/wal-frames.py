#!/usr/bin/env python3
"""How many WAL frames (4 KiB pages) the relay's SQLite store writes per commit, and whose pages.

A deterministic measure of the relay's write volume, unlike the loopback benchmark's timings,
which move with the machine's neighbours. It replays the mailbox writer's statements (per
message: INSERT INTO messages, the overflow DELETE when asked, INSERT INTO submissions, each row
keyed by its expiry as the relay keys it; the device's next cursor read, not written, per commit)
with Python's sqlite3 against the schema of a real
relay database, in WAL mode with synchronous = FULL, and reads the page number of every frame the
commits appended to the log; SQLite's dbstat table names the b-tree each page belongs to.

    swift run isnad relay --data /tmp/isnad-schema      # start it once, then Ctrl-C
    python3 scripts/wal-frames.py /tmp/isnad-schema/relay.sqlite

Options: --batches 1,8,64 (messages a commit)  --commits 20  --payload 1024 (bytes).
"Overflow" rows delete the oldest message of a full mailbox with every message, as in issue 4's
benchmark, where one device receives everything; the other rows do not.
Results and their reading: docs/performance.md, the relay's ninth-session section.
"""
import argparse
import collections
import os
import sqlite3
import struct
import tempfile
import uuid

FRAME_HEADER = 24
WAL_HEADER = 32


def schema(source):
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as database:
        rows = database.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN ('devices', 'messages', 'submissions') AND sql IS NOT NULL")
        return ";\n".join(row[0] for row in rows) + ";"


def measure(ddl, batch, overflow, commits, payload, folder):
    path = os.path.join(folder, f"replay-{batch}-{int(overflow)}.sqlite")
    database = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "wal_autocheckpoint = 0", "foreign_keys = ON"):
        database.execute(f"PRAGMA {pragma}")
    database.executescript(ddl)
    device = uuid.uuid4().bytes
    database.execute("INSERT INTO devices (id, identity_key, public_key, binding, created_at) VALUES (?, ?, ?, ?, 0)",
                     (device, os.urandom(32), os.urandom(32), os.urandom(64)))
    page_size = database.execute("PRAGMA page_size").fetchone()[0]
    capacity = 2000
    clock = [0]

    def commit(count, delete_oldest):
        database.execute("BEGIN IMMEDIATE")
        cursor = database.execute("SELECT max(last_cursor, coalesce((SELECT max(cursor) FROM messages WHERE device_id = devices.id), 0)) "
                                  "FROM devices WHERE id = ?", (device,)).fetchone()[0]
        for _ in range(count):
            cursor += 1
            clock[0] += 1
            now = 1_800_000_000_000 + clock[0]
            message_id = uuid.uuid4().bytes
            expires = now + 2_592_000_000
            key = expires << 20  # the row's key sorts it by expiry (ExpiryKeys.swift); one message a millisecond here
            database.execute("INSERT INTO messages (id, device_id, cursor, message_id, payload, received_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (key, device, cursor, message_id, os.urandom(payload), now, expires))
            if delete_oldest and cursor > capacity:
                database.execute("DELETE FROM messages WHERE device_id = ? AND cursor <= ?", (device, cursor - capacity))
            database.execute("INSERT INTO submissions (id, message_id, digest, accepted_at, recipient_count, epoch, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (key, message_id, os.urandom(32), now, 1, None, expires))
        database.execute("COMMIT")

    # A full mailbox first (the overflow rows delete from its start), then a log started over.
    while clock[0] < capacity + 256:
        commit(64, True)
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for _ in range(commits):
        commit(batch, overflow)
    owner = {page: name for page, name in database.execute("SELECT pageno, name FROM dbstat")}
    with open(path + "-wal", "rb") as log:
        frames = log.read()
    database.close()
    pages = collections.Counter()
    for offset in range(WAL_HEADER, len(frames), page_size + FRAME_HEADER):
        page = struct.unpack(">I", frames[offset:offset + 4])[0]
        pages["page 1 (header)" if page == 1 else owner.get(page, "free list")] += 1
    return sum(pages.values()), pages, page_size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="a relay.sqlite made by this checkout's `isnad relay`")
    parser.add_argument("--batches", default="1,8,64")
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--payload", type=int, default=1024)
    arguments = parser.parse_args()
    ddl = schema(arguments.database)
    print(f"SQLite {sqlite3.sqlite_version}; {arguments.payload}-byte payloads; {arguments.commits} commits each")
    with tempfile.TemporaryDirectory() as folder:
        for batch in (int(text) for text in arguments.batches.split(",")):
            for overflow in (False, True):
                total, pages, page_size = measure(ddl, batch, overflow, arguments.commits, arguments.payload, folder)
                per_commit = total / arguments.commits
                per_message = total * page_size / (arguments.commits * batch) / 1024
                detail = ", ".join(f"{name} {count / arguments.commits:.1f}" for name, count in pages.most_common())
                print(f"{batch:4d} a commit, {'overflow' if overflow else 'no overflow':11s}: {per_commit:5.1f} frames a commit, "
                      f"{per_message:5.1f} KiB of log a message ({detail})")


if __name__ == "__main__":
    main()
