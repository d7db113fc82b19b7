import GRDB

/// The relay's SQLite schema, as GRDB migrations. Never edit a registered migration: add one.
///
/// Times are integer milliseconds since 1970; IDs are 16-byte blobs. No table has a sender
/// column or an address column, by design.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator { migrator(progress: nil) }

    /// The migrations; those that rewrite rows one by one tell `progress` how far they got.
    static func migrator(progress: (@Sendable (MigrationProgress) -> Void)?) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE devices (
                    id BLOB PRIMARY KEY NOT NULL,
                    identity_key BLOB NOT NULL,
                    public_key BLOB NOT NULL UNIQUE,
                    binding BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_cursor INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX devices_by_identity ON devices(identity_key);

                CREATE TABLE challenges (
                    digest BLOB PRIMARY KEY NOT NULL,
                    device_id BLOB NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                    expires_at INTEGER NOT NULL
                );
                CREATE TABLE tokens (
                    digest BLOB PRIMARY KEY NOT NULL,
                    device_id BLOB NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                    expires_at INTEGER NOT NULL
                );

                CREATE TABLE key_packages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device_id BLOB NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                    digest BLOB NOT NULL,
                    bytes BLOB NOT NULL,
                    is_last_resort INTEGER NOT NULL,
                    uploaded_at INTEGER NOT NULL,
                    UNIQUE (device_id, digest)
                );
                CREATE UNIQUE INDEX key_packages_one_last_resort ON key_packages(device_id) WHERE is_last_resort;

                CREATE TABLE group_epochs (
                    group_id BLOB PRIMARY KEY NOT NULL,
                    epoch INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );

                CREATE TABLE submissions (
                    message_id BLOB PRIMARY KEY NOT NULL,
                    digest BLOB NOT NULL,
                    accepted_at INTEGER NOT NULL,
                    recipient_count INTEGER NOT NULL,
                    epoch INTEGER,
                    expires_at INTEGER NOT NULL
                );
                CREATE INDEX submissions_by_expiry ON submissions(expires_at);

                CREATE TABLE messages (
                    device_id BLOB NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                    cursor INTEGER NOT NULL,
                    message_id BLOB NOT NULL,
                    payload BLOB NOT NULL,
                    received_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (device_id, cursor)
                ) WITHOUT ROWID;
                CREATE INDEX messages_by_expiry ON messages(expires_at);
                """)
        }
        migrator.registerMigration("v2 attachments") { db in
            // `uploader` is kept only while the upload is incomplete. Chunks live in a rowid
            // table: SQLite advises against large rows in WITHOUT ROWID tables.
            try db.execute(sql: """
                CREATE TABLE attachments (
                    id BLOB PRIMARY KEY NOT NULL,
                    size INTEGER NOT NULL,
                    received INTEGER NOT NULL DEFAULT 0,
                    uploader BLOB REFERENCES devices(id) ON DELETE CASCADE,
                    expires_at INTEGER NOT NULL
                );
                CREATE INDEX attachments_by_expiry ON attachments(expires_at);
                CREATE INDEX attachments_by_uploader ON attachments(uploader);

                CREATE TABLE attachment_chunks (
                    attachment_id BLOB NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
                    start INTEGER NOT NULL,
                    bytes BLOB NOT NULL,
                    PRIMARY KEY (attachment_id, start)
                );
                """)
        }
        migrator.registerMigration("v3 mailbox layout") { db in
            // Messages: a 1 KiB payload is larger than what a WITHOUT ROWID table keeps in its
            // b-tree page (about 1,000 bytes with 4 KiB pages), so each message had spilled to an
            // overflow page of its own: a 4 KiB write for a few hundred bytes. A rowid table keeps
            // rows of up to about 4,000 bytes in the page, several messages to a page.
            //
            // Submissions: small rows looked up by their random message ID; one b-tree keyed by
            // that ID (WITHOUT ROWID) rather than a rowid table plus an index on the ID, so storing
            // one writes one b-tree, not two.
            try db.execute(sql: """
                CREATE TABLE mailbox (
                    id INTEGER PRIMARY KEY,
                    device_id BLOB NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                    cursor INTEGER NOT NULL,
                    message_id BLOB NOT NULL,
                    payload BLOB NOT NULL,
                    received_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    UNIQUE (device_id, cursor)
                );
                INSERT INTO mailbox (device_id, cursor, message_id, payload, received_at, expires_at)
                    SELECT device_id, cursor, message_id, payload, received_at, expires_at FROM messages ORDER BY received_at, device_id, cursor;
                DROP TABLE messages;
                ALTER TABLE mailbox RENAME TO messages;
                CREATE INDEX messages_by_expiry ON messages(expires_at);

                CREATE TABLE submissions_by_id (
                    message_id BLOB PRIMARY KEY NOT NULL,
                    digest BLOB NOT NULL,
                    accepted_at INTEGER NOT NULL,
                    recipient_count INTEGER NOT NULL,
                    epoch INTEGER,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO submissions_by_id SELECT message_id, digest, accepted_at, recipient_count, epoch, expires_at FROM submissions;
                DROP TABLE submissions;
                ALTER TABLE submissions_by_id RENAME TO submissions;
                CREATE INDEX submissions_by_expiry ON submissions(expires_at);
                """)
        }
        migrator.registerMigration("v4 submissions in commit order") { db in
            // Submissions: the v3 table keyed by the random message ID took each new submission
            // into a leaf of its own, a page written per message. A rowid table takes them in
            // commit order, several to a page; the duplicate check finds a row by message ID
            // through an index held in memory and rebuilt from this table (SubmissionIndex).
            try db.execute(sql: """
                CREATE TABLE submissions_in_order (
                    id INTEGER PRIMARY KEY,
                    message_id BLOB NOT NULL,
                    digest BLOB NOT NULL,
                    accepted_at INTEGER NOT NULL,
                    recipient_count INTEGER NOT NULL,
                    epoch INTEGER,
                    expires_at INTEGER NOT NULL
                );
                INSERT INTO submissions_in_order (message_id, digest, accepted_at, recipient_count, epoch, expires_at)
                    SELECT message_id, digest, accepted_at, recipient_count, epoch, expires_at FROM submissions ORDER BY accepted_at;
                DROP TABLE submissions;
                ALTER TABLE submissions_in_order RENAME TO submissions;
                CREATE INDEX submissions_by_expiry ON submissions(expires_at);
                """)
        }
        migrator.registerMigration("v5 rows keyed by expiry") { db in
            // Messages and submissions: each row's key now sorts it by expiry (ExpiryKeys), so
            // expiry deletes a range of the table and the two expiry indexes, an entry written
            // per message each, go. Existing rows get their keys here, in expiry order: about a
            // minute per million messages, so it tells how far it got.
            let tables: [ExpiryKeys.Table] = [.messages, .submissions]
            var rows: Int64 = 0
            for table in tables { rows += try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table.rawValue)") ?? 0 }
            var meter = MigrationProgress.Meter(step: "v5 rows keyed by expiry", total: 2 * rows, report: progress)
            for table in tables { try ExpiryKeys.rekey(db, table) { meter.advance(by: $0) } }
            try db.execute(sql: """
                DROP INDEX messages_by_expiry;
                DROP INDEX submissions_by_expiry;
                """)
        }
        return migrator
    }
}
