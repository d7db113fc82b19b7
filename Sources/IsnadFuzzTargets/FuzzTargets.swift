import Crypto
import Foundation
import IsnadMLS
import IsnadTransparency
import IsnadWire

/// The bodies of the libFuzzer harnesses in `Fuzz/`, kept in the main package so the unit
/// tests replay every saved input through exactly the same code (docs/fuzzing.md).
///
/// Each body must return normally for any input: decoders may only throw `MLSError`. Any
/// other error is a bug, reported by trapping so that libFuzzer saves the input.
public enum FuzzTargets {
    /// The harnesses by name (the name is also the corpus folder under `Fuzz/Corpus`).
    public static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "mls-message": { bytes in check { _ = try MLSMessage(decoding: bytes) } },
        "key-package": { bytes in check { _ = try KeyPackage(decoding: bytes) } },
        "welcome": { bytes in check { _ = try Welcome(decoding: bytes) } },
        "group-info": { bytes in check { _ = try GroupInfo(decoding: bytes) } },
        "ratchet-tree": { bytes in check { _ = try RatchetTree(try RatchetTreeNodes(decoding: bytes)) } },
        "live-group": { LiveGroup.feed($0) },
        "report": { bytes in checkWire { _ = try Report(canonicalBytes: bytes).validate() } },
        "sealed-report": { bytes in checkWire { _ = try SealedReport.open(bytes, with: ReportingFuzz.sealingKey, now: ReportingFuzz.now) } },
        "evidence": { bytes in checkWire { _ = try EvidenceEnvelope.open(Data(bytes), with: ReportingFuzz.sealingKey) } },
        "receipt": { bytes in
            checkWire { _ = try ReportingFuzz.receiptVerifier.verify(try Receipt(encoded: bytes)) }
        },
        "flat-json": { FlatJSONFuzz.check($0) },
        "checkpoint": { bytes in
            checkWire {
                do {
                    _ = try Checkpoint.open(bytes, origin: ReportingFuzz.origin, verifiers: [ReportingFuzz.logVerifier])
                } catch is TransparencyError {}
                do {
                    _ = try Checkpoint(parsing: String(decoding: bytes, as: UTF8.self))
                } catch is TransparencyError {}
            }
        },
    ]

    /// Like ``check(_:)`` for the reporting decoders, which may only throw `WireError`
    /// (or `TransparencyError` where a harness catches it itself).
    static func checkWire(_ body: () throws -> Void) {
        do {
            try body()
        } catch is WireError {
            // Expected for malformed input.
        } catch {
            preconditionFailure("a reporting decoder threw an unexpected error: \(type(of: error))")
        }
    }

    static func check(_ body: () throws -> Void) {
        do {
            try body()
        } catch is MLSError {
            // Expected for malformed input.
        } catch {
            preconditionFailure("a decoder threw a non-MLSError: \(type(of: error))")
        }
    }
}

/// A fixed two-member group that fuzz inputs are fed to as incoming messages.
enum LiveGroup {
    /// Built once from a seeded generator, so runs are reproducible.
    static let member: Group = {
        var generator = SeededGenerator(seed: 0x1234_5678)
        do {
            let provider = try CipherSuiteProvider(.x25519AES128GCMSHA256Ed25519)
            let a = try KeyPackageBundle.make(provider, credential: .basic(identity: [1]), now: 1_790_000_000, using: &generator)
            let b = try KeyPackageBundle.make(provider, credential: .basic(identity: [2]), now: 1_790_000_000, using: &generator)
            let alice = try Group(creating: [0x66, 0x75, 0x7a, 0x7a], creator: a, using: &generator)
            let added = try alice.commit([.add(b.keyPackage)], using: &generator)
            guard let welcome = added.welcome else { preconditionFailure("no Welcome") }
            return try Group(welcome: welcome, keyPackage: b)
        } catch {
            preconditionFailure("the fuzzing group could not be built: \(error)")
        }
    }()

    /// Processes `bytes` as an MLSMessage, and, when it decodes, also as the group's own
    /// epoch and ID spliced in, so mutations reach the decryption and verification stages.
    static func feed(_ bytes: [UInt8]) {
        var group = member
        FuzzTargets.check {
            _ = try group.process(try MLSMessage(decoding: bytes))
        }
        guard bytes.count > 12 else { return }
        var privateMessage = PrivateMessage(groupID: member.groupID, epoch: member.epoch, contentType: [.application, .proposal, .commit][Int(bytes[0] % 3)],
                                            authenticatedData: [], encryptedSenderData: Array(bytes[1..<12]), ciphertext: Array(bytes[12...]))
        FuzzTargets.check { _ = try group.process(.privateMessage(privateMessage)) }
        privateMessage.encryptedSenderData = Array(bytes.prefix(28))
        FuzzTargets.check { _ = try group.process(.privateMessage(privateMessage)) }
    }
}

/// A deterministic generator (SplitMix64) for fixtures, tests and fuzzing; never for real keys.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Fixed keys for the reporting harnesses (constant bytes: reproducible, never real keys).
public enum ReportingFuzz {
    /// The observatory's HPKE key the sealed-report harness opens with.
    public static let sealingKey: Curve25519.KeyAgreement.PrivateKey = {
        guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32)) else {
            preconditionFailure("a 32-byte X25519 key was rejected")
        }
        return key
    }()
    /// The log key the receipt and checkpoint harnesses verify with.
    public static let logKey: Curve25519.Signing.PrivateKey = {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 9, count: 32)) else {
            preconditionFailure("a 32-byte Ed25519 seed was rejected")
        }
        return key
    }()
    /// The log's origin.
    public static let origin = "fuzz.isnad/log"
    /// The log key as a note verifier.
    public static let logVerifier: NoteVerifier = {
        guard let verifier = try? NoteVerifier(name: origin, publicKey: logKey.publicKey) else { preconditionFailure("bad fuzz origin") }
        return verifier
    }()
    static let receiptVerifier = ReceiptVerifier(logVerifier: logVerifier)
    /// The clock of the harnesses.
    public static let now = Date(timeIntervalSince1970: 1_800_000_000)
}

/// The `flat-json` harness: ``FlatJSON`` against `JSONDecoder` on the same bytes. Whenever the
/// quick reader answers, `JSONDecoder` must read the same fields; a difference traps.
enum FlatJSONFuzz {
    static func check(_ bytes: [UInt8]) {
        guard let quick = bytes.withUnsafeBytes(FlatJSON.object) else { return }
        let decoded = try? JSONDecoder().decode([String: FlatJSON.Value].self, from: Data(bytes))
        precondition(decoded == quick, "FlatJSON read a body differently from JSONDecoder")
    }
}
