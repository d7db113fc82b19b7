import Foundation
import IsnadWire
import IsnadMLS

/// The client: one identity in one home folder, its contacts and conversations, spoken through
/// relays. Everything a phone or desktop app needs, with no user interface in it.
///
/// Every step follows the same order: compute the new MLS state purely, store it in one
/// transaction with what it produced or consumed (history, outbox, seen IDs), then talk to the
/// relay. So a crash between steps never leaves group state and history disagreeing.
public final class Messenger: @unchecked Sendable {
    // @unchecked: one Messenger is driven by one task at a time (the command line, or an app's
    // single client actor); `relays` and `generator` are only touched from it.
    let store: LocalStore
    let keys: DeviceKeys
    let provider: CipherSuiteProvider
    var relays: [String: RelayClient] = [:]
    var generator = SystemRandomNumberGenerator()
    /// Sentences for the member about the last operations that succeeded anyway (a relay that
    /// could not be reached, a message that went by a fallback relay); the command line prints them to stderr.
    public internal(set) var notices: [String] = []
    let clock: @Sendable () -> Date

    /// How many KeyPackages each relay should hold for this device; refilled below `refillThreshold`.
    static let keyPackageBatch = 10
    static let refillThreshold = 4

    init(store: LocalStore, keys: DeviceKeys, clock: @escaping @Sendable () -> Date) throws {
        self.store = store
        self.keys = keys
        self.clock = clock
        self.provider = try CipherSuiteProvider(.x25519AES128GCMSHA256Ed25519)
    }

    /// Creates an identity in `home`: an identity key, a first device, registration on `relay`,
    /// and a first batch of KeyPackages. Nothing is written if the relay cannot be reached.
    public static func create(home: Home, passphrase: String, name: String, relay: String,
                              clock: @escaping @Sendable () -> Date = { Date() }) async throws -> Messenger {
        let name = try validatedName(name)
        guard !home.exists else {
            throw ClientError(.alreadyInitialized, "The home folder \(home.url.path) already holds an identity.")
        }
        let relayURL = try validatedRelay(relay)
        let record = IdentityRecord(name: name, identitySeed: randomData(32), deviceSeed: randomData(32), relays: [], createdAt: clock())
        let keys = try DeviceKeys(record)
        let client = RelayClient(url: relayURL)
        let deviceID = try await client.register(keys)
        let store = try LocalStore.create(home: home, passphrase: passphrase)
        var saved = record
        saved.relays = [RelayAccount(url: relayURL, deviceID: deviceID)]
        try store.write { try $0.save(saved) }
        let messenger = try Messenger(store: store, keys: keys, clock: clock)
        messenger.relays[relayURL] = client
        try await messenger.refillKeyPackages(relay: relayURL)
        return messenger
    }

    /// Opens the identity in `home`.
    public static func open(home: Home, passphrase: String, clock: @escaping @Sendable () -> Date = { Date() }) throws -> Messenger {
        let store = try LocalStore.open(home: home, passphrase: passphrase)
        let identity = try store.read { try $0.identity() }
        return try Messenger(store: store, keys: try DeviceKeys(identity), clock: clock)
    }

    /// The name this member gave themselves.
    public func ownName() throws -> String { try store.read { try $0.identity() }.name }

    /// This member's identity key.
    public var identityKey: Data { keys.identityKey }

    /// The relays this identity is registered on, primary first.
    public func relayURLs() throws -> [String] { try store.read { try $0.identity() }.relays.map(\.url) }

    // MARK: Relays

    /// A logged-in client for `url`, registering this device there first if it is new.
    func relay(_ url: String) async throws -> RelayClient {
        let client = relays[url] ?? RelayClient(url: url)
        relays[url] = client
        if !client.isLoggedIn {
            let account = try await account(on: url)
            try await client.logIn(keys, deviceID: account.deviceID)
        }
        return client
    }

    /// This device's account on `url`, created (and stocked with KeyPackages) when missing.
    func account(on url: String) async throws -> RelayAccount {
        if let account = try store.read({ try $0.identity() }).relays.first(where: { $0.url == url }) { return account }
        let client = relays[url] ?? RelayClient(url: url)
        relays[url] = client
        let deviceID = try await client.register(keys)
        let account = RelayAccount(url: url, deviceID: deviceID)
        try store.write { transaction in
            var identity = try transaction.identity()
            if !identity.relays.contains(where: { $0.url == url }) { identity.relays.append(account) }
            try transaction.save(identity)
        }
        try await client.logIn(keys, deviceID: deviceID)
        try await refillKeyPackages(relay: url)
        return account
    }

    /// Adds a relay to this identity (a fallback route: messages are deduplicated by ID).
    public func addRelay(_ url: String) async throws {
        _ = try await account(on: try Self.validatedRelay(url))
    }

    // MARK: KeyPackages

    /// Uploads fresh KeyPackages (and a last-resort one the first time) when the relay holds few.
    func refillKeyPackages(relay url: String) async throws {
        let client = try await relay(url)
        let count = try await client.keyPackageCount()
        guard count.available < Self.refillThreshold || !count.hasLastResort else { return }
        let account = try await account(on: url)
        let fresh = try (0..<Self.keyPackageBatch).map { _ in try makeKeyPackage(deviceID: account.deviceID, lastResort: false) }
        let lastResort = count.hasLastResort ? nil : try makeKeyPackage(deviceID: account.deviceID, lastResort: true)
        // Private keys are stored before the public halves leave this device.
        try store.write { transaction in
            for package in fresh + [lastResort].compactMap({ $0 }) {
                try transaction.putKeyPackage(package.record, ref: package.ref)
            }
        }
        _ = try await client.upload(keyPackages: fresh.map(\.record.keyPackage), lastResort: lastResort?.record.keyPackage)
    }

    func makeKeyPackage(deviceID: UUID, lastResort: Bool) throws -> (ref: String, record: KeyPackageRecord) {
        let bundle = try makeBundle(deviceID: deviceID)
        let encoded = Data(MLSMessage.keyPackage(bundle.keyPackage).encoded)
        let record = KeyPackageRecord(initPrivateKey: Data(bundle.initPrivateKey.secret.bytes),
                                      encryptionPrivateKey: Data(bundle.encryptionPrivateKey.secret.bytes),
                                      keyPackage: encoded, isLastResort: lastResort)
        return (Self.hex(provider.makeKeyPackageRef(bundle.keyPackage.encoded)), record)
    }

    func makeBundle(deviceID: UUID) throws -> KeyPackageBundle {
        let credential = try keys.credential(deviceID: deviceID).credential
        return try KeyPackageBundle.make(provider, credential: credential, signer: try keys.mlsSigner(provider),
                                         now: UInt64(clock().timeIntervalSince1970), using: &generator)
    }

    func bundle(from record: KeyPackageRecord) throws -> KeyPackageBundle {
        guard case .keyPackage(let keyPackage) = try MLSMessage(decoding: Array(record.keyPackage)) else {
            throw ClientError(.storeDamaged, "A stored KeyPackage is damaged.")
        }
        return KeyPackageBundle(keyPackage: keyPackage, initPrivateKey: HPKEPrivateKey(SecretBytes(Array(record.initPrivateKey))),
                                encryptionPrivateKey: HPKEPrivateKey(SecretBytes(Array(record.encryptionPrivateKey))),
                                signer: try keys.mlsSigner(provider))
    }

    // MARK: Helpers

    static func randomData(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        Hex.encode(Array(bytes))
    }

    static func validatedName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 64, !trimmed.contains(","), trimmed.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) }) else {
            throw ClientError(.invalidRequest, "A name must be 1 to 64 characters, without commas or control characters.")
        }
        return trimmed
    }

    static func validatedRelay(_ relay: String) throws -> String {
        guard let url = URL(string: relay), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ClientError(.invalidRequest, "The relay address must be an http:// or https:// URL.")
        }
        return relay.hasSuffix("/") ? String(relay.dropLast()) : relay
    }
}
