import Foundation
import Synchronization

/// One report on its way to an observatory, from sealing until its receipt is verified.
///
/// The sealed bytes are kept so a retry sends exactly the same bytes under the same submission
/// ID: the observatory then recognises it as a retry, never as a replay.
public struct OutboxItem: Sendable, Equatable {
    /// Where the item is.
    public enum State: Sendable, Equatable {
        /// Not yet acknowledged by the observatory (never sent, or the answer was lost).
        case waiting
        /// Stored by the observatory; waiting for its receipt.
        case submitted
        /// The receipt arrived and verified.
        case delivered(receipt: [UInt8], logIndex: UInt64)
        /// The observatory refused it, with a reason code and a sentence.
        case rejected(reason: String, message: String)
    }

    /// The submission ID: random, and how the status is polled.
    public var id: UUID
    /// The observatory's base URL.
    public var observatory: URL
    /// The observatory's log verifier key (signed-note form) the receipt must verify with.
    public var logVerifierKey: String
    /// The signed report's encoding, to check the receipt's commitment.
    public var signedReport: [UInt8]
    /// The sealed report, sent as is on every retry.
    public var sealed: [UInt8]
    /// Where it is.
    public var state: State
    /// How many delivery attempts failed.
    public var attempts: Int

    /// Creates an item.
    public init(id: UUID, observatory: URL, logVerifierKey: String, signedReport: [UInt8], sealed: [UInt8], state: State = .waiting, attempts: Int = 0) {
        self.id = id
        self.observatory = observatory
        self.logVerifierKey = logVerifierKey
        self.signedReport = signedReport
        self.sealed = sealed
        self.state = state
        self.attempts = attempts
    }
}

/// Where reports wait until their receipt arrives. The client backs it with its encrypted local
/// store; ``InMemoryReportOutbox`` serves tests and one-shot commands.
public protocol ReportOutbox: Sendable {
    /// Adds or replaces an item (by ID).
    func save(_ item: OutboxItem) async throws
    /// Every item, oldest first.
    func items() async throws -> [OutboxItem]
    /// One item, or `nil`.
    func item(_ id: UUID) async throws -> OutboxItem?
}

/// A ``ReportOutbox`` in memory; nothing survives the process.
public final class InMemoryReportOutbox: ReportOutbox {
    private let state = Mutex<[OutboxItem]>([])

    /// Creates an empty outbox.
    public init() {}

    public func save(_ item: OutboxItem) async throws {
        state.withLock { items in
            if let index = items.firstIndex(where: { $0.id == item.id }) { items[index] = item } else { items.append(item) }
        }
    }

    public func items() async throws -> [OutboxItem] { state.withLock { $0 } }

    public func item(_ id: UUID) async throws -> OutboxItem? { state.withLock { $0.first { $0.id == id } } }
}
