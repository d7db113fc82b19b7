import Crypto
import Foundation
import IsnadMLS

/// A report's canonical bytes with its reporter's Ed25519 signature (docs/reports.md, "Signing").
///
/// ```
/// struct {
///     uint16 version;             // 1
///     opaque reporter_key<V>;     // 32-byte Ed25519 public key
///     opaque report<V>;           // canonical Report bytes
///     opaque signature<V>;        // 64 bytes over "isnad report v1" || observatory key ID || report
/// } SignedReport;
/// ```
/// Its encoding is what is sealed, what the commitment hashes, and what duplicates are detected by.
public struct SignedReport: Hashable, Sendable {
    /// The version this build writes and reads.
    public static let currentVersion: UInt16 = 1
    /// The signing label; the observatory key ID and report bytes follow it.
    public static let signingLabel = Array("isnad report v1".utf8)
    /// The largest encoding accepted.
    public static let maximumEncodedBytes = Report.Limits.encodedBytes + 256

    /// The reporter's Ed25519 public key, 32 bytes.
    public let reporterKey: [UInt8]
    /// The canonical report bytes, exactly as signed.
    public let reportBytes: [UInt8]
    /// The Ed25519 signature, 64 bytes.
    public let signature: [UInt8]

    init(reporterKey: [UInt8], reportBytes: [UInt8], signature: [UInt8]) {
        self.reporterKey = reporterKey
        self.reportBytes = reportBytes
        self.signature = signature
    }

    /// The bytes the reporter signs.
    static func signedMessage(observatory: ObservatoryKeyID, report: [UInt8]) -> [UInt8] {
        signingLabel + observatory.bytes + report
    }

    /// The encoding.
    public var encoded: [UInt8] {
        var encoder = TLSEncoder(capacity: reportBytes.count + 112)
        encoder.write(Self.currentVersion)
        encoder.writeOpaque(reporterKey)
        encoder.writeOpaque(reportBytes)
        encoder.writeOpaque(signature)
        return encoder.bytes
    }

    /// Decodes a signed report, strictly; does not verify it.
    /// - Throws: ``WireError/Code/tooLarge``, ``WireError/Code/unsupportedVersion`` or ``WireError/Code/malformed``.
    public init(encoded bytes: [UInt8]) throws(WireError) {
        guard bytes.count <= Self.maximumEncodedBytes else {
            throw WireError(
                .tooLarge, "a signed report is at most \(Self.maximumEncodedBytes) bytes", field: "SignedReport",
                specRule: "docs/reports.md §Limits")
        }
        self = try WireCodec.decodeAll(bytes, what: "SignedReport") { (decoder) throws(WireError) in
            let version = try WireCodec.run("SignedReport.version") { try decoder.readUInt16() }
            guard version == Self.currentVersion else {
                throw WireError(
                    .unsupportedVersion, kind: .unsupported, "signed report version \(version) is not supported",
                    field: "SignedReport.version", specRule: "docs/reports.md §Versions")
            }
            let key = try WireCodec.readFixedOpaque(&decoder, field: "SignedReport.reporter_key", count: 32)
            let report = try WireCodec.run("SignedReport.report") { try decoder.readOpaque() }
            let signature = try WireCodec.readFixedOpaque(&decoder, field: "SignedReport.signature", count: 64)
            return SignedReport(reporterKey: key, reportBytes: report, signature: signature)
        }
    }

    /// Verifies the signature for one observatory key, then decodes and checks the report.
    ///
    /// The signature is checked before the report is parsed, so unsigned bytes never reach the schema decoder.
    /// - Parameters:
    ///   - observatory: the key ID of the observatory verifying; a report signed for another fails.
    ///   - now: the current time; a report dated after it is refused.
    /// - Throws: ``WireError/Code/invalidKey`` for a reporter key that is not a curve point,
    ///   ``WireError/Code/invalidSignature``, then the errors of ``Report/init(canonicalBytes:)``
    ///   and ``Report/validate(now:)``.
    public func verify(for observatory: ObservatoryKeyID, now: Date) throws(WireError) -> VerifiedReport {
        guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: reporterKey) else {
            throw WireError(.invalidKey, "the reporter key is not an Ed25519 public key", field: "SignedReport.reporter_key")
        }
        guard publicKey.isValidSignature(signature, for: Self.signedMessage(observatory: observatory, report: reportBytes)) else {
            throw WireError(
                .invalidSignature,
                "the reporter's signature does not verify: the report was altered, forged, or signed for another observatory",
                field: "SignedReport.signature", specRule: "docs/reports.md §Signing")
        }
        let report = try Report(canonicalBytes: reportBytes)
        try report.validate(now: now)
        return VerifiedReport(report: report, reporterKey: publicKey, signedReport: self)
    }
}
