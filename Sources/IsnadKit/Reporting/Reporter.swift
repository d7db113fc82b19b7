import Crypto
import Foundation
import IsnadTransparency
import IsnadWire

/// The reporter's side of an identity's home folder: drafts, evidence, the outbox and the pinned
/// observatory keys, all in the encrypted local store (docs/reports.md, "Reporting from the command line").
///
/// ```
/// new ─▶ draft ─attach─▶ draft ─send─▶ outbox (waiting) ─deliver/sync─▶ delivered (receipt) | rejected (reason)
/// ```
/// The reporter's master seed is created on first use; each observatory sees a different key derived from it.
public final class Reporter: Sendable {
    let store: LocalStore
    let transport: any HTTPTransport
    let now: @Sendable () -> Date

    init(store: LocalStore, transport: any HTTPTransport, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.transport = transport
        self.now = now
    }

    /// Opens the reporter of the identity in `home`.
    public static func open(home: Home, passphrase: String, transport: any HTTPTransport = URLSessionTransport(),
                            now: @escaping @Sendable () -> Date = { Date() }) throws -> Reporter {
        Reporter(store: try LocalStore.open(home: home, passphrase: passphrase), transport: transport, now: now)
    }

    /// The persistent outbox.
    public var outbox: StoredReportOutbox { StoredReportOutbox(store: store) }

    var sender: ReportSender { ReportSender(outbox: outbox, transport: transport, now: now) }

    /// The reporter identity; its master seed is created and stored on first use.
    func identity() throws -> ReporterIdentity {
        let record = try store.write { tx -> ReporterRecord in
            if let existing = try tx.reporter() { return existing }
            var generator = SystemRandomNumberGenerator()
            let fresh = ReporterRecord(masterSeed: Data(ReporterIdentity.generate(using: &generator).masterSeed), createdAt: now())
            try tx.save(fresh)
            return fresh
        }
        do {
            return try ReporterIdentity(masterSeed: Array(record.masterSeed))
        } catch {
            throw ClientError(.storeDamaged, "The stored reporter key is unreadable; the store is damaged.")
        }
    }

    // MARK: Drafts

    /// Saves a new draft after checking it against the schema.
    /// - Returns: the draft's local ID (random; never sent anywhere).
    public func create(_ report: Report) throws -> String {
        try validate(report)
        let id = Self.newLocalID()
        let record = ReportDraftRecord(id: id, reportJSON: Data(try report.json()), evidenceFiles: [], createdAt: now(), submissions: [])
        try store.write { tx in try tx.put(record, table: .reportDrafts, id: id) }
        return id
    }

    /// Adds an evidence item for `file` to a draft that was not sent yet.
    /// - Parameters:
    ///   - captureTime: when the file was captured; by default its modification time, marked approximate.
    ///   - note: a note on the capturing device.
    public func attach(_ id: String, file: URL, captureTime: ReportTime? = nil, note: String? = nil) throws -> EvidenceItem {
        var draft = try draftRecord(id)
        guard draft.submissions.isEmpty else {
            throw ClientError(.invalidRequest, "Report \(id) was already sent; a sent report cannot change (write a new one).")
        }
        let (digest, size, modified) = try Self.digest(file)
        let item = EvidenceItem(
            sha256: digest, mediaType: Self.mediaType(file), size: size,
            captureTime: captureTime ?? ReportTime(precision: .approximate, secondsSinceEpoch: Int64(modified.timeIntervalSince1970)),
            captureDevice: note)
        var report = try Self.decode(draft)
        report.evidence.append(item)
        try validate(report)
        draft.reportJSON = Data(try report.json())
        draft.evidenceFiles.append(file.standardizedFileURL.path)
        try store.write { tx in try tx.put(draft, table: .reportDrafts, id: id) }
        return item
    }

    /// Every report, oldest first, with where it is.
    public func summaries() async throws -> [ReportSummary] {
        let (drafts, items) = try store.read { tx in
            (try tx.all(ReportDraftRecord.self, table: .reportDrafts), try tx.all(ReportOutboxRecord.self, table: .reportOutbox))
        }
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        return try drafts.map { draft in
            let report = try Self.decode(draft)
            return ReportSummary(draft: draft, report: report, submission: draft.submissions.last.flatMap { byID[$0] })
        }
    }

    /// The verified receipt of a delivered report.
    public func receipt(_ id: String) throws -> [UInt8] {
        let draft = try draftRecord(id)
        let items = try store.read { tx in try draft.submissions.compactMap { try tx.one(ReportOutboxRecord.self, table: .reportOutbox, id: $0.uuidString) } }
        guard let delivered = items.last(where: { $0.state == .delivered }), let receipt = delivered.receipt else {
            throw ClientError(.invalidRequest, "Report \(id) has no receipt yet: see `isnad report status`, or run `isnad report sync`.")
        }
        return Array(receipt)
    }

    // MARK: Sending

    /// Signs the draft with this reporter's key for the observatory, seals it to the observatory's
    /// key (fetched, and pinned on first use) and puts it in the outbox, waiting.
    /// - Parameter acceptNewKey: accept and pin a key that differs from the pinned one.
    /// - Throws: ``ClientError/Code/identityChanged`` when the observatory's key changed.
    public func send(_ id: String, to observatory: URL, acceptNewKey: Bool = false) async throws -> OutboxItem {
        let draft = try draftRecord(id)
        let report = try Self.decode(draft)
        let url = Self.normalized(observatory)
        let pending = try store.read { tx in
            try draft.submissions.compactMap { try tx.one(ReportOutboxRecord.self, table: .reportOutbox, id: $0.uuidString) }
        }
        if pending.contains(where: { $0.observatory == url.absoluteString && $0.state != .rejected }) {
            throw ClientError(.invalidRequest, "Report \(id) was already sent to \(url.absoluteString); `isnad report sync` finishes its delivery.")
        }
        let (keys, verifierKey) = try await observatoryKeys(url, acceptNewKey: acceptNewKey)
        let temporary = InMemoryReportOutbox()
        let item = try await ReportSender(outbox: temporary, transport: transport, now: now)
            .prepare(report, identity: try identity(), observatory: url, keys: keys, logVerifierKey: verifierKey)
        try store.write { tx in
            var updated = draft
            updated.submissions.append(item.id)
            try tx.put(ReportOutboxRecord(item, reportID: id), table: .reportOutbox, id: item.id.uuidString)
            try tx.put(updated, table: .reportDrafts, id: id)
        }
        return item
    }

    /// Tries to move one submission to a verified receipt within `timeout` seconds.
    /// - Returns: the item; still waiting when the observatory cannot be reached.
    public func deliver(_ submission: UUID, timeout: TimeInterval) async throws -> OutboxItem {
        let sender = self.sender
        do {
            let first = try await sender.step(submission)
            switch first.state {
            case .delivered, .rejected: return first
            case .waiting, .submitted: return try await sender.deliver(submission, until: now() + timeout)
            }
        } catch let error as ReportingError where error.code == .unreachable {
            guard let item = try await outbox.item(submission) else { throw error }
            return item
        }
    }

    /// Retries every submission still waiting for its receipt.
    /// - Returns: each item as it ended, oldest first.
    /// - Throws: the first failure other than an unreachable observatory, after trying every item.
    public func sync(timeout: TimeInterval) async throws -> [OutboxItem] {
        var results: [OutboxItem] = []
        var failure: (any Error)?
        for item in try await outbox.items() {
            switch item.state {
            case .delivered, .rejected: continue
            case .waiting, .submitted:
                // One failing item (e.g. a receipt that does not verify) does not hold up the others.
                do { results.append(try await deliver(item.id, timeout: timeout)) } catch { failure = failure ?? error }
            }
        }
        if let failure { throw failure }
        return results
    }

    /// Moves every waiting submission one step (submit, or ask for its receipt), without waiting;
    /// an unreachable observatory, or any other failure, leaves the item where it was (`sync` reports failures).
    public func nudge() async throws {
        let sender = self.sender
        for item in try await outbox.items() {
            switch item.state {
            case .delivered, .rejected: continue
            case .waiting, .submitted:
                do { _ = try await sender.step(item.id) } catch is ReportingError { continue }
            }
        }
    }

    /// The observatory's keys: fetched and compared with the pin (pinned on first use); when the
    /// observatory cannot be reached, the pinned keys.
    func observatoryKeys(_ url: URL, acceptNewKey: Bool) async throws -> (ObservatoryPublicKeys, String) {
        let pins = try store.read { tx in try tx.all(ObservatoryPinRecord.self, table: .observatoryPins) }
        let pin = pins.first { $0.url == url.absoluteString }
        let fetched: (keys: ObservatoryPublicKeys, logVerifier: String)
        do {
            let answer = try await ObservatoryClient(baseURL: url, transport: transport).keys()
            fetched = (answer.keys, answer.logVerifier.verifierKey)
        } catch let error as ReportingError where error.code == .unreachable {
            guard let pin, let pinned = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: pin.sealingKey),
                  let verifier = try? NoteVerifier(verifierKey: pin.logVerifierKey)
            else {
                throw ClientError(.relayUnavailable, "The observatory at \(url.absoluteString) could not be reached to fetch its key; nothing was sent.")
            }
            return (ObservatoryPublicKeys(sealingKey: pinned, logKey: verifier.publicKey), pin.logVerifierKey)
        }
        let sealingKey = fetched.keys.sealingKey.rawRepresentation
        if let pin {
            // Public keys: no constant-time comparison needed.
            let same = pin.sealingKey == sealingKey && pin.logVerifierKey == fetched.logVerifier
            if !same && !acceptNewKey {
                throw ClientError(.identityChanged, "The observatory at \(url.absoluteString) now publishes a different key than the one pinned "
                    + "when it was first used; nothing was sent. If the observatory announced a key change, send again with --accept-new-key.")
            }
            if same { return (fetched.keys, fetched.logVerifier) }
        }
        let record = ObservatoryPinRecord(id: pin?.id ?? Self.newLocalID(), url: url.absoluteString, sealingKey: sealingKey,
                                          logVerifierKey: fetched.logVerifier, pinnedAt: now())
        try store.write { tx in try tx.put(record, table: .observatoryPins, id: record.id) }
        return (fetched.keys, fetched.logVerifier)
    }

    // MARK: Helpers

    func draftRecord(_ id: String) throws -> ReportDraftRecord {
        guard let draft = try store.read({ tx in try tx.one(ReportDraftRecord.self, table: .reportDrafts, id: id) }) else {
            throw ClientError(.unknownName, "There is no report \(id) in this home folder: `isnad report status` lists them.")
        }
        return draft
    }

    static func decode(_ draft: ReportDraftRecord) throws -> Report {
        do {
            return try Report(json: Array(draft.reportJSON))
        } catch {
            throw ClientError(.storeDamaged, "Report \(draft.id) in the store is unreadable; the store is damaged.")
        }
    }

    func validate(_ report: Report) throws {
        do {
            try report.validate(now: now())
        } catch {
            throw ClientError(.invalidRequest, "The report is not valid: \(error.field.map { "\($0): " } ?? "")\(error.message)")
        }
    }

    /// 16 lowercase hex digits from the system's random generator.
    static func newLocalID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%016llx", generator.next() as UInt64)
    }

    /// The URL without a trailing slash, so one observatory has one pin.
    static func normalized(_ url: URL) -> URL {
        var text = url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return URL(string: text) ?? url
    }

    /// SHA-256, size and modification time of a file, read in 1 MiB pieces.
    static func digest(_ file: URL) throws -> ([UInt8], UInt64, Date) {
        guard let handle = try? FileHandle(forReadingFrom: file),
              let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        else { throw ClientError(.fileAccess, "The file \(file.path) could not be read.") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: UInt64 = 0
        while true {
            let piece: Data?
            do { piece = try handle.read(upToCount: 1 << 20) } catch {
                throw ClientError(.fileAccess, "The file \(file.path) could not be read.")
            }
            guard let piece, !piece.isEmpty else { break }
            hasher.update(data: piece)
            size += UInt64(piece.count)
        }
        return (Array(hasher.finalize()), size, attributes[.modificationDate] as? Date ?? Date())
    }

    /// The media type of a file, from its extension (`application/octet-stream` when unknown).
    static func mediaType(_ file: URL) -> String {
        let types = [
            "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
            "heic": "image/heic", "tif": "image/tiff", "tiff": "image/tiff",
            "mp4": "video/mp4", "m4v": "video/mp4", "mov": "video/quicktime", "3gp": "video/3gpp", "webm": "video/webm", "mkv": "video/x-matroska",
            "m4a": "audio/mp4", "mp3": "audio/mpeg", "ogg": "audio/ogg", "opus": "audio/opus", "wav": "audio/wav", "aac": "audio/aac", "amr": "audio/amr",
            "pdf": "application/pdf", "txt": "text/plain", "json": "application/json", "csv": "text/csv", "zip": "application/zip",
        ]
        return types[file.pathExtension.lowercased()] ?? "application/octet-stream"
    }
}

/// One report as `isnad report status` lists it.
public struct ReportSummary: Sendable, Encodable {
    /// `draft`, `waiting`, `delivered` or `rejected`.
    public var state: String
    /// The local ID.
    public var id: String
    public var incidentType: String
    public var evidence: Int
    public var createdAt: Date
    public var observatory: String?
    public var submission: String?
    public var logIndex: UInt64?
    public var reason: String?
    public var message: String?
    public var attempts: Int?
    /// Once delivered (and unless `--offline`): each attached file's upload to the observatory.
    public var evidenceFiles: [EvidenceUpload]?

    enum CodingKeys: String, CodingKey {
        case state, id, evidence, observatory, submission, reason, message, attempts
        case incidentType = "incident_type", createdAt = "created_at", logIndex = "log_index", evidenceFiles = "evidence_files"
    }

    init(draft: ReportDraftRecord, report: Report, submission: ReportOutboxRecord?) {
        id = draft.id
        incidentType = report.incidentType.rawValue
        evidence = report.evidence.count
        createdAt = draft.createdAt
        observatory = submission?.observatory
        self.submission = submission?.id.uuidString.lowercased()
        logIndex = submission?.logIndex
        reason = submission?.reason
        message = submission?.message
        attempts = submission?.attempts
        switch submission?.state {
        case nil: state = "draft"
        case .waiting?, .submitted?: state = "waiting"
        case .delivered?: state = "delivered"
        case .rejected?: state = "rejected"
        }
    }
}
