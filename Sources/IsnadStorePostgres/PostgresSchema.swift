/// The relay's PostgreSQL schema, as numbered migrations. Never edit a released migration: add one.
///
/// Times are integer milliseconds since 1970 (as in SQLite); IDs are `uuid`. No table has a
/// sender column or an address column, by design.
enum PostgresSchema {
    /// Each migration is a list of statements (the extended query protocol runs one at a time).
    static let migrations: [(version: Int, statements: [String])] = [
        (1, [
            """
            CREATE TABLE devices (
                id uuid PRIMARY KEY,
                identity_key bytea NOT NULL,
                public_key bytea NOT NULL UNIQUE,
                binding bytea NOT NULL,
                created_at bigint NOT NULL,
                last_cursor bigint NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX devices_by_identity ON devices (identity_key)",
            """
            CREATE TABLE challenges (
                digest bytea PRIMARY KEY,
                device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
                expires_at bigint NOT NULL
            )
            """,
            """
            CREATE TABLE tokens (
                digest bytea PRIMARY KEY,
                device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
                expires_at bigint NOT NULL
            )
            """,
            """
            CREATE TABLE key_packages (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
                digest bytea NOT NULL,
                bytes bytea NOT NULL,
                is_last_resort boolean NOT NULL,
                uploaded_at bigint NOT NULL,
                UNIQUE (device_id, digest)
            )
            """,
            "CREATE UNIQUE INDEX key_packages_one_last_resort ON key_packages (device_id) WHERE is_last_resort",
            """
            CREATE TABLE group_epochs (
                group_id bytea PRIMARY KEY,
                epoch bigint NOT NULL,
                updated_at bigint NOT NULL
            )
            """,
            """
            CREATE TABLE submissions (
                message_id uuid PRIMARY KEY,
                digest bytea NOT NULL,
                accepted_at bigint NOT NULL,
                recipient_count integer NOT NULL,
                epoch bigint,
                expires_at bigint NOT NULL
            )
            """,
            "CREATE INDEX submissions_by_expiry ON submissions (expires_at)",
            """
            CREATE TABLE messages (
                device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
                cursor bigint NOT NULL,
                message_id uuid NOT NULL,
                payload bytea NOT NULL,
                received_at bigint NOT NULL,
                expires_at bigint NOT NULL,
                PRIMARY KEY (device_id, cursor)
            )
            """,
            "CREATE INDEX messages_by_expiry ON messages (expires_at)",
        ]),
        (2, [
            // `uploader` is kept only while the upload is incomplete.
            """
            CREATE TABLE attachments (
                id bytea PRIMARY KEY,
                size bigint NOT NULL,
                received bigint NOT NULL DEFAULT 0,
                uploader uuid REFERENCES devices (id) ON DELETE CASCADE,
                expires_at bigint NOT NULL
            )
            """,
            "CREATE INDEX attachments_by_expiry ON attachments (expires_at)",
            "CREATE INDEX attachments_by_uploader ON attachments (uploader)",
            """
            CREATE TABLE attachment_chunks (
                attachment_id bytea NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
                start bigint NOT NULL,
                bytes bytea NOT NULL,
                PRIMARY KEY (attachment_id, start)
            )
            """,
        ]),
    ]
}
