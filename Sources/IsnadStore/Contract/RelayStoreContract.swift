import Foundation

/// The rules every ``RelayStore`` engine must keep, as checks a test target runs on a fresh store.
///
/// ```swift
/// @Test(arguments: RelayStoreContract.checks)
/// func sqlite(_ check: RelayStoreContract.Check) async throws {
///     try await check.run(on: makeFreshStore())
/// }
/// ```
public enum RelayStoreContract {
    /// One named check; run it on an empty store.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check shows, as a short phrase.
        public let name: String
        let body: @Sendable (any RelayStore) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any RelayStore) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Runs the check.
        /// - Throws: ``ContractFailure`` when the store breaks the rule, or the store's own error.
        public func run(on store: any RelayStore) async throws {
            try await body(store)
        }

        public var description: String { name }
    }

    /// Every check, in a stable order.
    public static let checks: [Check] = accountChecks + authChecks + keyPackageChecks + groupChecks + mailboxChecks + attachmentChecks

    /// A fixed clock reading for the checks, so expiry is deterministic.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Registers a new account with random keys and returns its device.
    static func registerDevice(_ store: any RelayStore, createdAt: Date = now) async throws -> Device {
        try await store.registerAccount(Device(
            id: .random(), identityKey: randomBytes(32), publicKey: randomBytes(32),
            binding: randomBytes(64), createdAt: createdAt))
    }

    static func randomBytes(_ count: Int) -> Data {
        Data((0..<count).map { _ in UInt8.random(in: 0...255) })
    }
}
