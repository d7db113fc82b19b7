import Crypto
import Foundation
import IsnadTransparency
import IsnadWire

/// An observatory's secret keys: the X25519 key reports are sealed to (HPKE, RFC 9180) and the
/// Ed25519 log key that signs checkpoints (c2sp.org/tlog-checkpoint) and receipts.
///
/// Generated on first start and kept in the data folder as `observatory-keys.json`, readable by
/// the owner only (0600). Never logged, never printed: ``description`` hides them.
public struct ObservatoryKeys: Sendable, CustomStringConvertible {
    /// The key file's name inside the data folder.
    public static let fileName = "observatory-keys.json"

    /// The HPKE private key reports are sealed to.
    public let sealingKey: Curve25519.KeyAgreement.PrivateKey
    /// The log key as a note signer; its name is the log's origin.
    public let logSigner: NoteSigner
    /// The Ed25519 log private key (the same key as ``logSigner``), for receipts.
    public let logKey: Curve25519.Signing.PrivateKey

    /// Creates keys from their parts.
    /// - Throws: ``ObservatoryError`` if `origin` is not a valid note key name.
    public init(sealingKey: Curve25519.KeyAgreement.PrivateKey, logKey: Curve25519.Signing.PrivateKey, origin: String) throws {
        self.sealingKey = sealingKey
        self.logKey = logKey
        do {
            logSigner = try NoteSigner(name: origin, privateKey: logKey)
        } catch {
            throw ObservatoryError(.invalidConfiguration, "The log origin must be a non-empty name without spaces or '+'.", underlying: error)
        }
    }

    /// Fresh keys from the system's secure random source.
    /// - Parameter origin: the log's origin; by default `isnad.local/observatory/<8 hex digits of the log key>`.
    public static func generate(origin: String? = nil) throws -> ObservatoryKeys {
        let logKey = Curve25519.Signing.PrivateKey()
        let name = origin ?? "isnad.local/observatory/" + Array(SHA256.hash(data: logKey.publicKey.rawRepresentation).prefix(4)).hexString
        return try ObservatoryKeys(sealingKey: Curve25519.KeyAgreement.PrivateKey(), logKey: logKey, origin: name)
    }

    /// The log's origin: the first line of its checkpoints and the log key's name.
    public var origin: String { logSigner.name }

    /// What reporters need: the HPKE public key and the log public key.
    public var publicKeys: ObservatoryPublicKeys {
        ObservatoryPublicKeys(sealingKey: sealingKey.publicKey, logKey: logKey.publicKey)
    }

    /// The log's verifier key in signed-note form, `<origin>+<key ID>+<base64>`.
    public var logVerifier: NoteVerifier { logSigner.verifier }

    /// The RFC 9162 log ID carried in inclusion proofs: SHA-256 of the log public key (docs/observatory.md).
    public var logID: [UInt8] { Array(SHA256.hash(data: logKey.publicKey.rawRepresentation)) }

    /// Never shows the keys.
    public var description: String { "ObservatoryKeys(origin: \(origin), <secret>)" }
}

extension ObservatoryKeys {
    struct File: Codable {
        var version: Int
        var logSignerKey: String
        var sealingPrivateKey: String

        enum CodingKeys: String, CodingKey {
            case version
            case logSignerKey = "log_signer_key"
            case sealingPrivateKey = "sealing_private_key"
        }
    }

    /// Loads the keys from `folder`, or generates and saves them (0600) if there are none yet.
    /// - Parameters:
    ///   - folder: the data folder.
    ///   - origin: the origin for new keys; ignored when keys exist.
    /// - Throws: ``ObservatoryError`` if the file cannot be read, parsed or written.
    public static func loadOrCreate(in folder: URL, origin: String? = nil) throws -> ObservatoryKeys {
        let url = folder.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: url.path) { return try load(from: url) }
        let keys = try generate(origin: origin)
        try keys.save(to: url)
        return keys
    }

    /// Reads a key file.
    public static func load(from url: URL) throws -> ObservatoryKeys {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        } catch {
            throw ObservatoryError(.invalidConfiguration, "The observatory key file \(url.lastPathComponent) cannot be read.", underlying: error)
        }
        guard file.version == 1, let sealing = Data(base64Encoded: file.sealingPrivateKey),
              let sealingKey = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: sealing),
              let signer = try? NoteSigner(signerKey: file.logSignerKey),
              let material = Data(base64Encoded: String(file.logSignerKey.split(separator: "+", maxSplits: 4).last ?? "")),
              material.count == 33, let logKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: material.dropFirst())
        else {
            throw ObservatoryError(.invalidConfiguration, "The observatory key file \(url.lastPathComponent) is not a version-1 key file.")
        }
        return try ObservatoryKeys(sealingKey: sealingKey, logKey: logKey, origin: signer.name)
    }

    /// Writes the keys to `url`, readable and writable by the owner only, atomically.
    public func save(to url: URL) throws {
        let file = File(version: 1, logSignerKey: logSigner.signerKey, sealingPrivateKey: sealingKey.rawRepresentation.base64EncodedString())
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        do {
            let data = try JSONEncoder().encode(file)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: url.path) {
                _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: url)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ObservatoryError(.invalidConfiguration, "The observatory key file could not be written to the data folder.", underlying: error)
        }
    }
}
