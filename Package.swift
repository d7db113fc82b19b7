// swift-tools-version: 6.1
// Isnad: secure communication and verifiable reporting under surveillance and blackout.
// Targets and their one-way dependencies follow ../shared/design/ARCHITECTURE.md.
import PackageDescription

let package = Package(
    name: "Isnad",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "isnad", targets: ["isnad"]),
        .library(name: "IsnadMLS", targets: ["IsnadMLS"]),
        .library(name: "IsnadTransparency", targets: ["IsnadTransparency"]),
        .library(name: "IsnadFuzzTargets", targets: ["IsnadFuzzTargets"]),
        .library(name: "IsnadWire", targets: ["IsnadWire"]),
        .library(name: "IsnadStore", targets: ["IsnadStore"]),
        .library(name: "IsnadStoreSQLite", targets: ["IsnadStoreSQLite"]),
        .library(name: "IsnadStorePostgres", targets: ["IsnadStorePostgres"]),
        .library(name: "IsnadRelay", targets: ["IsnadRelay"]),
        .library(name: "IsnadObservatory", targets: ["IsnadObservatory"]),
        .library(name: "IsnadKit", targets: ["IsnadKit"]),
    ],
    dependencies: [
        // Every primitive (hashes, HKDF, AEAD, HPKE, Ed25519, ECDSA): no home-made cryptography.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // The `isnad` command line.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // SQLite, the embedded default store: DatabasePool, WAL, migrations, async access.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // PostgreSQL, the engine when several relay processes share one database.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // The relay's HTTP server, its ServiceGroup lifecycle and its testing library.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // WebSocket push of new mailbox messages to connected devices.
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        // Long-lived parts (the PostgreSQL client, the expiry sweeper) run as Services in a ServiceGroup.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // ByteBuffer and NIO's errors and time amounts, which the relay's HTTP layer handles directly.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // HTTP field names and statuses (Hummingbird's request and response types).
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Structured logs (counts and hashed IDs only; never identifiers or addresses).
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // The relay's /metrics in Prometheus text format (counters and gauges without identifiers).
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // TLS certificates and keys from PEM files, for the relay's optional HTTPS (through HummingbirdTLS).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // HTTP client with a keep-alive pool: the client's requests to relays (IsnadKit) and the relay benchmark's load.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Server-rendered HTML for the staff pages and the public dashboard (logic-less templates, HTML-escaped by default).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // RFC 9420 core: swift-crypto only; no I/O, no clock, no logging.
        .target(
            name: "IsnadMLS",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // RFC 9162 Merkle log, C2SP signed notes, checkpoints and tiles: swift-crypto only;
        // no I/O, no clock, no logging.
        .target(
            name: "IsnadTransparency",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // Everything that crosses a process boundary: reports, sealed reports, commitments, receipts.
        .target(
            name: "IsnadWire",
            dependencies: ["IsnadMLS", "IsnadTransparency", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Runs the official MLS test vectors (JSON) against IsnadMLS; used by `isnad conformance` and the tests.
        .target(
            name: "IsnadMLSConformance",
            dependencies: ["IsnadMLS"]
        ),
        // Storage protocols for the relay, the in-memory engine and the contract checks every engine must pass.
        .target(
            name: "IsnadStore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The embedded engine: SQLite through GRDB (DatabasePool, WAL, migrations).
        .target(
            name: "IsnadStoreSQLite",
            // GRDBSQLite: SQLite's C API, for the writer's per-message statements (MailboxStatements.swift).
            dependencies: ["IsnadStore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        // The shared engine: PostgreSQL through postgres-nio's PostgresClient.
        .target(
            name: "IsnadStorePostgres",
            dependencies: [
                "IsnadStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The relay: Hummingbird routes, auth, mailboxes, handshake sequencing. Sees ciphertext only
        // (IsnadMLS only to read the plaintext header of a commit: group ID, epoch, content type).
        .target(
            name: "IsnadRelay",
            dependencies: [
                "IsnadMLS",
                "IsnadStore",
                // The relay API's bodies that clients share (attachments, devices, Base64URL).
                "IsnadWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                // WebSocket frames for the relay's own liveness pings (WebSocketLiveness), already built for Hummingbird.
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The observatory: intake of sealed reports, the transparency log of their commitments, its HTTP API;
        // review, victim de-duplication, incident corroboration, tallies, snapshots and their exports.
        .target(
            name: "IsnadObservatory",
            dependencies: [
                "IsnadWire",
                "IsnadTransparency",
                "IsnadMLS",
                "IsnadStore",
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt (KDF.Scrypt) for staff passphrases.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                // The staff pages' and the public dashboard's templates.
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The bodies of the libFuzzer harnesses in Fuzz/, replayed by the unit tests.
        .target(
            name: "IsnadFuzzTargets",
            dependencies: ["IsnadMLS", "IsnadWire", "IsnadTransparency", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The client: identity, contacts, conversations over MLS through relays, the encrypted
        // local store (SQLite through GRDB; scrypt from _CryptoExtras wraps its data key); Reporting/:
        // seal, submit, retry until a verified receipt, through an outbox.
        .target(
            name: "IsnadKit",
            dependencies: [
                "IsnadMLS",
                "IsnadWire",
                "IsnadTransparency",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "isnad",
            dependencies: [
                "IsnadKit",
                "IsnadMLS",
                "IsnadMLSConformance",
                "IsnadRelay",
                "IsnadObservatory",
                "IsnadWire",
                "IsnadTransparency",
                "IsnadStore",
                "IsnadStoreSQLite",
                "IsnadStorePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "IsnadBenchmarks",
            dependencies: [
                "IsnadMLS",
                "IsnadObservatory",
                "IsnadWire",
                "IsnadTransparency",
                "IsnadStore",
                "IsnadStoreSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
                // `relay` mode: the relay and a hello-world baseline as child processes, driven over loopback.
                "IsnadRelay",
                "IsnadStorePostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The loads themselves: a lean HTTP/1.1 client and push receiver on NIO's channels (RawLoad.swift).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // `checkpoint` mode: a writer and a checkpointer on one SQLite file, directly.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/IsnadBenchmarks"
        ),
        .testTarget(
            name: "IsnadMLSTests",
            dependencies: ["IsnadMLS", "IsnadMLSConformance", "IsnadFuzzTargets", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Fixtures"],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "IsnadKitTests",
            dependencies: ["IsnadKit", "IsnadMLS", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // What more than one test target needs (running the `isnad` binary as a child process).
        .target(
            name: "IsnadTestSupport",
            path: "Tests/TestSupport"
        ),
        // Whole-system runs: a real `isnad relay` process and three identities driven through the `isnad` binary.
        .testTarget(
            name: "ScenarioTests",
            dependencies: ["IsnadKit", "IsnadMLS", "IsnadTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "IsnadTransparencyTests",
            dependencies: ["IsnadTransparency"]
        ),
        .testTarget(
            name: "IsnadWireTests",
            dependencies: ["IsnadWire"]
        ),
        .testTarget(
            name: "IsnadStoreTests",
            dependencies: [
                "IsnadStore",
                "IsnadStoreSQLite",
                "IsnadStorePostgres",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "IsnadObservatoryTests",
            dependencies: [
                "IsnadObservatory",
                "IsnadTestSupport",
                "IsnadKit",
                "IsnadFuzzTargets",
                "IsnadWire",
                "IsnadMLS",
                "IsnadTransparency",
                "IsnadStore",
                "IsnadStoreSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "IsnadRelayTests",
            dependencies: [
                "IsnadRelay",
                "IsnadObservatory",
                "IsnadMLS",
                "IsnadFuzzTargets",
                "IsnadStore",
                "IsnadStoreSQLite",
                "IsnadStorePostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                // A TLS client that stops reading after its handshake (the write-timeout test).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ]
)
