import Foundation
import Hummingbird
import HummingbirdTesting
import IsnadRelay
import IsnadStore
import IsnadStoreSQLite
import Logging

/// Runs `body` against a relay on a fresh SQLite store, through HummingbirdTesting's router client.
func withRelay(
    _ setup: TestingSetup = .router,
    configure: (inout RelayConfiguration) -> Void = { _ in },
    logger: Logger = Logger(label: "isnad.relay"),
    _ body: @Sendable (RelayClient) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("isnad-relay-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try await withRelay(setup, store: try SQLiteRelayStore(directory: folder), configure: configure, logger: logger, body)
}

/// Runs `body` against a relay on the given store.
func withRelay(
    _ setup: TestingSetup = .router,
    store: any RelayStore,
    configure: (inout RelayConfiguration) -> Void = { _ in },
    logger: Logger = Logger(label: "isnad.relay"),
    _ body: @Sendable (RelayClient) async throws -> Void
) async throws {
    let clock = TestClock()
    var configuration = RelayConfiguration()
    configuration.port = 0
    // Rate limits off unless a test turns them on: the clock is frozen, so buckets never refill.
    configuration.addressRateLimit = nil
    configuration.deviceRateLimit = nil
    configuration.identityRateLimit = nil
    configure(&configuration)
    let app = try Relay.makeApplication(configuration: configuration, store: store, now: { clock.now }, logger: logger)
    try await app.test(setup) { client in
        try await body(RelayClient(client: client, clock: clock))
    }
}
