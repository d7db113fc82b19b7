import Foundation
import IsnadStore
import Logging
import PostgresNIO
import ServiceLifecycle

/// The shared ``ObservatoryStore``: PostgreSQL through postgres-nio, for several observatory
/// processes on one database (they may share it with the relay: its tables are apart).
///
/// A `Service`: run it for as long as it is used, and call ``migrate()`` once before the first request.
public final class PostgresObservatoryStore: ObservatoryStore, Service {
    let base: PostgresRelayStore

    /// Creates a store from a `postgres://user[:password]@host[:port]/database` URL (no TLS).
    /// - Throws: ``StoreError/Code/invalidArgument`` if the URL is not of that form.
    public init(url: String, logger: Logger = Logger(label: "isnad.store.postgres")) throws {
        base = try PostgresRelayStore(url: url, logger: logger)
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down.
    public func run() async throws { try await base.run() }

    /// Brings the observatory's tables up to date, under an advisory lock (safe from several processes).
    public func migrate() async throws {
        try await base.migrate(Self.migrations, lock: 7420942002, table: "observatory_schema_migrations")
    }

    /// The observatory's tables, prefixed `obs_` so they sit beside the relay's in one database.
    static let migrations: [(version: Int, statements: [String])] = [
        (1, [
            """
            CREATE TABLE obs_submissions (
                id uuid PRIMARY KEY,
                seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                sealed bytea,
                sealed_digest bytea NOT NULL UNIQUE,
                received_at bigint NOT NULL,
                state text NOT NULL,
                reason text,
                message text,
                processed_at bigint,
                log_index bigint UNIQUE,
                receipt bytea
            )
            """,
            "CREATE INDEX obs_submissions_pending ON obs_submissions (seq) WHERE state = 'pending'",
            """
            CREATE TABLE obs_reports (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                submission_id uuid NOT NULL UNIQUE REFERENCES obs_submissions (id),
                digest bytea NOT NULL UNIQUE,
                signed_report bytea NOT NULL,
                salt bytea NOT NULL,
                commitment bytea NOT NULL,
                reporter_key bytea NOT NULL,
                accepted_at bigint NOT NULL,
                log_index bigint UNIQUE
            )
            """,
            "CREATE INDEX obs_reports_unlogged ON obs_reports (seq) WHERE log_index IS NULL",
            "CREATE TABLE obs_log_entries (log_index bigint PRIMARY KEY, submission_id uuid NOT NULL, entry bytea NOT NULL)",
            """
            CREATE TABLE obs_log_tiles (
                level integer NOT NULL, tile_index bigint NOT NULL, width integer NOT NULL, data bytea NOT NULL,
                PRIMARY KEY (level, tile_index)
            )
            """,
            "CREATE TABLE obs_checkpoints (tree_size bigint PRIMARY KEY, note bytea NOT NULL)",
        ]),
        (2, [
            "CREATE TABLE obs_staff (name text PRIMARY KEY, passphrase_hash bytea NOT NULL, created_at bigint NOT NULL)",
            """
            CREATE TABLE obs_review_decisions (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                action text NOT NULL, aspect text NOT NULL, subject text NOT NULL,
                staff text NOT NULL REFERENCES obs_staff (name), note text NOT NULL, decided_at bigint NOT NULL
            )
            """,
            "CREATE INDEX obs_review_decisions_subject ON obs_review_decisions (subject)",
            // Review decisions are append-only: the rules turn any change into nothing.
            "CREATE RULE obs_review_decisions_no_update AS ON UPDATE TO obs_review_decisions DO INSTEAD NOTHING",
            "CREATE RULE obs_review_decisions_no_delete AS ON DELETE TO obs_review_decisions DO INSTEAD NOTHING",
            """
            CREATE TABLE obs_snapshots (
                sequence bigint PRIMARY KEY, hash bytea NOT NULL UNIQUE, encoded bytea NOT NULL,
                published_at bigint NOT NULL, log_index bigint UNIQUE
            )
            """,
            // A published snapshot's log entry has no submission.
            "ALTER TABLE obs_log_entries ALTER COLUMN submission_id DROP NOT NULL",
        ]),
        (3, [
            // Evidence blobs (encrypted only) arrive in pieces; each piece is a row.
            "CREATE TABLE obs_evidence (sha256 bytea PRIMARY KEY, held_bytes bigint NOT NULL, received_at bigint)",
            """
            CREATE TABLE obs_evidence_pieces (
                sha256 bytea NOT NULL REFERENCES obs_evidence (sha256) ON DELETE CASCADE,
                piece_offset bigint NOT NULL, bytes bytea NOT NULL, PRIMARY KEY (sha256, piece_offset)
            )
            """,
        ]),
    ]
}
