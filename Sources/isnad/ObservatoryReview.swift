import ArgumentParser
import Foundation
import IsnadObservatory
import IsnadStore
import IsnadStorePostgres
import IsnadStoreSQLite
import IsnadWire

extension ObservatoryDataOptions {
    /// Runs `body` on the observatory's store (SQLite in the data folder, or PostgreSQL), which must exist.
    func withStore<T: Sendable>(_ body: @escaping @Sendable (any ObservatoryStore) async throws -> T) async throws -> T {
        if let url = postgresURL {
            let store: PostgresObservatoryStore
            do {
                store = try PostgresObservatoryStore(url: url)
            } catch {
                throw ValidationError("The PostgreSQL URL could not be used: \(error)")
            }
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await store.run(); return nil }
                defer { group.cancelAll() }
                try await store.migrate()
                return try await body(store)
            }
        }
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(SQLiteObservatoryStore.fileName).path) else {
            throw ValidationError("There is no observatory database in \(folder.path).")
        }
        let store = try SQLiteObservatoryStore(directory: folder)
        defer { try? store.close() }
        return try await body(store)
    }
}

/// Turns the observatory's errors into one sentence on stderr and exit status 1.
func reportingObservatoryErrors<T>(_ command: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ObservatoryError {
        FileHandle.standardError.write(Data("isnad observatory \(command): \(error.message)\n".utf8))
        throw ExitCode(1)
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("isnad observatory \(command): \(error.message)\n".utf8))
        throw ExitCode(1)
    }
}

/// Prints a JSON value with sorted keys.
func printJSON(_ value: Any) throws {
    print(String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
}

/// `isnad observatory staff`: named staff accounts.
struct ObservatoryStaff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Manage the observatory's staff accounts.", subcommands: [Add.self])

    /// `isnad observatory staff add NAME`: creates an account; the passphrase comes from ISNAD_STAFF_PASSPHRASE or stdin.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account. The passphrase (10+ characters) is read from ISNAD_STAFF_PASSPHRASE, or else from standard input.")

        @OptionGroup var data: ObservatoryDataOptions
        @Argument(help: "The account's name: letters, digits, dots, dashes, underscores.") var name: String

        func run() async throws {
            let passphrase: String
            if let fromEnvironment = ProcessInfo.processInfo.environment["ISNAD_STAFF_PASSPHRASE"] {
                passphrase = fromEnvironment
            } else {
                if isatty(0) != 0 { FileHandle.standardError.write(Data("passphrase for \(name): ".utf8)) }
                passphrase = readLine(strippingNewline: true) ?? ""
            }
            _ = try data.keys(create: true)
            try FileManager.default.createDirectory(at: data.folder, withIntermediateDirectories: true)
            if data.postgresURL == nil { try SQLiteObservatoryStore(directory: data.folder).close() }
            let name = self.name
            try await reportingObservatoryErrors("staff add") {
                try await data.withStore { store in try await StaffAccounts(store: store).add(name, passphrase: passphrase, now: Date()) }
            }
            print("staff account \(name) created")
        }
    }
}

/// Options of every review decision: who decides, and a note.
struct ReviewerOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("The staff account deciding.", valueName: "name")) var staff: String
    @Option(help: "A note kept with the decision.") var note: String = ""
}

/// `isnad observatory review`: the staff's review workflow on the command line.
struct ObservatoryReview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review accepted reports and victim records; every decision is appended with who and when, never rewritten.",
        subcommands: [
            Queue.self, Claim.self, Verify.self, Reject.self, EvidenceSeen.self, Victims.self, Same.self, Different.self,
        ])

    /// `queue`: every accepted report and where its review stands.
    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List accepted reports with their review state.",
            discussion: """
                --json prints an array of {id, commitment, state (open|verified|rejected), claimed_by?, verdict?: {action, by, at, note}, \
                evidence_seen, incident_type, occurred, governorate?, victims} in acceptance order; `at` is ISO 8601.
                """)

        @OptionGroup var data: ObservatoryDataOptions
        @Flag(help: "Print JSON (schema above).") var json = false

        func run() async throws {
            let queue = try await reportingObservatoryErrors("review queue") { try await data.withStore { try await ReviewDesk(store: $0).queue() } }
            if json {
                try printJSON(queue.map(Self.json))
                return
            }
            for item in queue {
                let claim = item.claim.map { " claimed by \($0.staff)" } ?? ""
                let evidence = item.evidence == nil ? "" : " evidence seen"
                print("\(item.submissionID)  \(item.state)\(claim)\(evidence)  \(item.reviewed.report.incidentType)  \(item.reviewed.report.victims.count) victim(s)")
            }
            if queue.isEmpty { print("no accepted reports") }
        }

        static func json(_ item: ReportReview) -> [String: Any] {
            var entry: [String: Any] = [
                "id": item.submissionID.description, "commitment": CommitmentText.hex(item.reviewed.commitment), "state": item.state,
                "evidence_seen": item.evidence != nil, "incident_type": "\(item.reviewed.report.incidentType)",
                "occurred": "\(item.reviewed.report.occurred)", "victims": item.reviewed.report.victims.count,
            ]
            if let claim = item.claim { entry["claimed_by"] = claim.staff }
            if let verdict = item.verdict {
                entry["verdict"] = verdict.summary
            }
            if let governorate = item.reviewed.report.place.governorate { entry["governorate"] = governorate }
            return entry
        }
    }

    struct Claim: ReportDecisionCommand {
        static let configuration = CommandConfiguration(abstract: "Claim a report: it is being reviewed by you.")
        static let action = ReviewDecision.Action.claim
        @OptionGroup var decision: ReportDecisionOptions
    }

    struct Verify: ReportDecisionCommand {
        static let configuration = CommandConfiguration(abstract: "Verify a report: it counts in the next tally.")
        static let action = ReviewDecision.Action.verify
        @OptionGroup var decision: ReportDecisionOptions
    }

    struct Reject: ReportDecisionCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a report: it does not count (a later verify corrects this).")
        static let action = ReviewDecision.Action.reject
        @OptionGroup var decision: ReportDecisionOptions
    }

    struct EvidenceSeen: ReportDecisionCommand {
        static let configuration = CommandConfiguration(
            commandName: "evidence-seen", abstract: "Record that you examined the report's evidence files and they support it.")
        static let action = ReviewDecision.Action.evidenceSeen
        @OptionGroup var decision: ReportDecisionOptions
    }

    /// `victims`: the uncertain victim pairs of verified reports.
    struct Victims: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List pairs of victim records a person must decide (same or different), with the reasons.",
            discussion: """
                --json prints an array, highest score first, of {first, second (record IDs), score, reason (uncertain|conflict), \
                reasons: [text], names: [first's name, second's name]}.
                """)

        @OptionGroup var data: ObservatoryDataOptions
        @Flag(help: "Print JSON (schema above).") var json = false

        func run() async throws {
            let pairs = try await reportingObservatoryErrors("review victims") { try await data.withStore { try await ReviewDesk(store: $0).victimPairs() } }
            if json {
                try printJSON(pairs.map { pair -> [String: Any] in
                    [
                        "first": VictimPairSubject.text(pair.first.id), "second": VictimPairSubject.text(pair.second.id),
                        "score": pair.item.pair.score, "reason": pair.item.reason.rawValue, "reasons": pair.reasons,
                        "names": [Self.name(pair.first), Self.name(pair.second)],
                    ]
                })
                return
            }
            for pair in pairs {
                print("\(VictimPairSubject.text(pair.first.id)) \(VictimPairSubject.text(pair.second.id))")
                print("    \(Self.name(pair.first))  /  \(Self.name(pair.second))  — \(pair.item.reason.rawValue): \(pair.reasons.joined(separator: ", "))")
            }
            if pairs.isEmpty { print("no victim pairs to decide") }
        }

        static func name(_ record: VictimRecord) -> String { record.victim.displayName }
    }

    struct Same: VictimDecisionCommand {
        static let configuration = CommandConfiguration(abstract: "Decide that two victim records are the same person (merge).")
        static let isSame = true
        @OptionGroup var decision: VictimDecisionOptions
    }

    struct Different: VictimDecisionCommand {
        static let configuration = CommandConfiguration(abstract: "Decide that two victim records are different people (split).")
        static let isSame = false
        @OptionGroup var decision: VictimDecisionOptions
    }
}

/// The arguments of a decision on a report.
struct ReportDecisionOptions: ParsableArguments {
    @OptionGroup var data: ObservatoryDataOptions
    @Argument(help: "The report's submission ID (from `review queue`).") var id: String
    @OptionGroup var reviewer: ReviewerOptions
}

/// `claim` / `verify` / `reject` / `evidence-seen ID --as NAME [--note TEXT]`.
protocol ReportDecisionCommand: AsyncParsableCommand {
    static var action: ReviewDecision.Action { get }
    var decision: ReportDecisionOptions { get }
}

extension ReportDecisionCommand {
    func run() async throws {
        guard let submission = SubmissionID(decision.id) else { throw ValidationError("A report is named by its submission ID, a UUID.") }
        let (reviewer, action) = (decision.reviewer, Self.action)
        let recorded = try await reportingObservatoryErrors("review \(action.rawValue)") {
            try await decision.data.withStore { store in
                try await ReviewDesk(store: store).decide(action, report: submission, by: reviewer.staff, note: reviewer.note, at: Date())
            }
        }
        print("\(recorded.action.rawValue) \(submission) by \(recorded.staff) (decision \(recorded.sequence))")
    }
}

/// The arguments of a decision on two victim records.
struct VictimDecisionOptions: ParsableArguments {
    @OptionGroup var data: ObservatoryDataOptions
    @Argument(help: "A victim record ID, as `review victims` prints it.") var first: String
    @Argument(help: "The other victim record ID.") var second: String
    @OptionGroup var reviewer: ReviewerOptions
}

/// `same` / `different FIRST SECOND --as NAME [--note TEXT]`.
protocol VictimDecisionCommand: AsyncParsableCommand {
    static var isSame: Bool { get }
    var decision: VictimDecisionOptions { get }
}

extension VictimDecisionCommand {
    func run() async throws {
        let (first, second, reviewer, same) = (decision.first, decision.second, decision.reviewer, Self.isSame)
        let recorded = try await reportingObservatoryErrors("review \(same ? "same" : "different")") {
            try await decision.data.withStore { store in
                try await ReviewDesk(store: store).decideVictims(first, second, same: same, by: reviewer.staff, note: reviewer.note, at: Date())
            }
        }
        print("\(recorded.action.rawValue) by \(recorded.staff) (decision \(recorded.sequence))")
    }
}

/// `isnad observatory publish`: freeze a tally snapshot and append its hash to the log.
struct ObservatoryPublish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Build the tally from verified reports and reviewers' decisions, freeze it as the next snapshot and append its hash to the log.",
        discussion: "--json prints {sequence, hash (hex), log_index, figures, previous_hash?}.")

    @OptionGroup var data: ObservatoryDataOptions
    @Option(name: .customLong("as"), help: ArgumentHelp("The staff account publishing.", valueName: "name")) var staff: String
    @Flag(help: "Print JSON (schema above).") var json = false

    func run() async throws {
        let keys = try data.keys(create: false)
        let staff = self.staff
        let (snapshot, logIndex) = try await reportingObservatoryErrors("publish") {
            try await data.withStore { store -> (TallySnapshot, UInt64?) in
                guard try await StaffAccounts(store: store).exists(staff) else {
                    throw ObservatoryError(.notFound, "There is no staff account of that name.")
                }
                let snapshot = try await Publisher(desk: ReviewDesk(store: store)).publish(now: Date())
                // Log it now; a running server's sequencer would do the same on its next tick.
                let observatory = Observatory(store: store, keys: keys)
                for _ in 0..<3 {
                    if (try? await observatory.sequencer.appendBatch()) != nil { break }
                }
                let index = try await store.snapshots().first { $0.sequence == snapshot.sequence }?.logIndex
                return (snapshot, index)
            }
        }
        if json {
            var body: [String: Any] = ["sequence": snapshot.sequence, "hash": snapshot.hashHex, "figures": snapshot.figures.count]
            if let logIndex { body["log_index"] = logIndex }
            if let previous = snapshot.previousHash { body["previous_hash"] = CommitmentText.hex(previous) }
            try printJSON(body)
        } else {
            print("snapshot \(snapshot.sequence): \(snapshot.figures.count) figure(s), hash \(snapshot.hashHex)"
                + (logIndex.map { ", log entry \($0)" } ?? "; its log entry will be appended by the running observatory"))
        }
    }
}
