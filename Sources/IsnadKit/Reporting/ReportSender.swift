import Foundation
import IsnadTransparency
import IsnadWire

/// Signs, seals and delivers reports through an outbox, and verifies their receipts.
///
/// ```
/// prepare: sign (per-observatory key) ─▶ seal (HPKE to the published key) ─▶ outbox (waiting)
/// deliver: PUT same ID + same bytes until stored ─▶ poll status until logged ─▶ verify receipt ─▶ delivered
/// ```
/// A report leaves the waiting states only with a verified receipt or a refusal with a reason.
public struct ReportSender: Sendable {
    let outbox: any ReportOutbox
    let transport: any HTTPTransport
    let now: @Sendable () -> Date

    /// Creates a sender over an outbox.
    public init(outbox: any ReportOutbox, transport: any HTTPTransport = URLSessionTransport(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.outbox = outbox
        self.transport = transport
        self.now = now
    }

    /// Signs `report` with `identity`'s key for this observatory, seals it to its published key and
    /// puts it in the outbox.
    /// - Parameters:
    ///   - report: the report; it must satisfy the schema.
    ///   - identity: the reporter's identity (its per-observatory key is derived).
    ///   - observatory: the observatory's base URL; its keys are fetched from it.
    /// - Returns: the outbox item, waiting.
    public func prepare(_ report: Report, identity: ReporterIdentity, observatory: URL) async throws -> OutboxItem {
        let client = ObservatoryClient(baseURL: observatory, transport: transport)
        let (keys, verifier) = try await client.keys()
        return try await prepare(report, identity: identity, observatory: observatory, keys: keys, logVerifierKey: verifier.verifierKey)
    }

    /// Signs and seals `report` to keys the caller already holds (e.g. pinned ones) and puts it in the outbox.
    public func prepare(_ report: Report, identity: ReporterIdentity, observatory: URL, keys: ObservatoryPublicKeys,
                        logVerifierKey: String) async throws -> OutboxItem {
        let signed = try identity.key(for: keys).sign(report, for: keys.sealingKeyID, now: now())
        let sealed = try SealedReport.seal(signed, to: keys)
        let item = OutboxItem(id: UUID(), observatory: observatory, logVerifierKey: logVerifierKey, signedReport: signed.encoded, sealed: sealed.encoded)
        try await outbox.save(item)
        return item
    }

    /// Tries once to move an item forward: submit it if waiting, fetch and verify its receipt if submitted.
    /// - Returns: the item as saved.
    /// - Throws: ``ReportingError/Code/unreachable`` (the item stays and is retried), or
    ///   ``ReportingError/Code/verificationFailed`` if the receipt does not verify.
    public func step(_ id: UUID) async throws -> OutboxItem {
        guard var item = try await outbox.item(id) else { throw ReportingError(.unknownReport, "The outbox has no such report.") }
        let client = ObservatoryClient(baseURL: item.observatory, transport: transport)
        do {
            let status: ObservatoryAPI.SubmissionStatus
            switch item.state {
            case .waiting: status = try await client.submit(id: item.id, sealed: item.sealed)
            case .submitted: status = try await client.status(id: item.id)
            case .delivered, .rejected: return item
            }
            item.state = try Self.state(from: status, item: item)
        } catch let error as ReportingError where error.code == .refused {
            item.state = .rejected(reason: error.problemCode ?? "refused", message: error.message)
        } catch let error as ReportingError where error.code == .unreachable {
            item.attempts += 1
            try await outbox.save(item)
            throw error
        }
        try await outbox.save(item)
        return item
    }

    /// Steps an item until it is delivered or rejected, retrying with backoff up to `deadline`.
    public func deliver(_ id: UUID, until deadline: Date, pollInterval: TimeInterval = 0.25) async throws -> OutboxItem {
        var delay = pollInterval
        while true {
            do {
                let item = try await step(id)
                switch item.state {
                case .delivered, .rejected: return item
                case .waiting, .submitted: delay = pollInterval
                }
            } catch let error as ReportingError where error.code == .unreachable {
                delay = min(delay * 2, 30)
            }
            guard now() + delay < deadline else {
                throw ReportingError(.unreachable, "No receipt yet; the report stays in the outbox and is retried later.")
            }
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
    }

    /// The outbox state a status answer leads to; a receipt must verify first.
    static func state(from status: ObservatoryAPI.SubmissionStatus, item: OutboxItem) throws -> OutboxItem.State {
        switch status.state {
        case "logged":
            guard let text = status.receipt, let bytes = Data(base64Encoded: text) else {
                throw ReportingError(.badResponse, "The observatory said the report is logged but sent no receipt.")
            }
            let receipt = try verify(Array(bytes), item: item)
            return .delivered(receipt: Array(bytes), logIndex: receipt.receipt.logIndex)
        case "rejected":
            return .rejected(reason: status.reason ?? "rejected", message: status.message ?? "The observatory rejected the report.")
        default:
            return .submitted
        }
    }

    /// Verifies a receipt for an outbox item: the observatory's signature, the checkpoint, the
    /// inclusion proof, and that the commitment opens to the item's own signed report.
    public static func verify(_ receiptBytes: [UInt8], item: OutboxItem) throws -> VerifiedReceipt {
        do {
            let verifier = try NoteVerifier(verifierKey: item.logVerifierKey)
            return try ReceiptVerifier(logVerifier: verifier).verify(
                try Receipt(encoded: receiptBytes), signedReport: try SignedReport(encoded: item.signedReport))
        } catch let error as WireError {
            throw ReportingError(.verificationFailed, "The receipt does not verify: \(error.message)")
        } catch {
            throw ReportingError(.verificationFailed, "The receipt does not verify: the log key is malformed.")
        }
    }
}
