import ArgumentParser
import Foundation
import IsnadKit
import IsnadTransparency
import IsnadWire

/// `isnad verify RECEIPT`: checks an observatory's receipt against its log as it is now.
///
/// ```
/// 1. receipt: observatory signature, checkpoint signature, inclusion proof          (offline)
/// 2. --report: the receipt's commitment opens to the reporter's own signed report    (offline)
/// 3. current checkpoint (--checkpoint FILE or GET /log/checkpoint): signature, origin
/// 4. consistency proof from the receipt's checkpoint to the current one
/// 5. inclusion proof of the receipt's entry in the current checkpoint
/// 6. --submission: the report as the observatory stores it now still opens the commitment
/// ```
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify an observatory's receipt: its signature and inclusion proof, and that the log's current checkpoint still contains it.")

    @Argument(help: "The receipt file: its bytes, or their base64.")
    var receipt: String

    @Option(help: "The observatory's base URL, e.g. http://127.0.0.1:7420 (for the current checkpoint and proofs).")
    var observatory: String?

    @Option(help: ArgumentHelp("The log's verifier key (signed-note format). Without it, the key is fetched from --observatory, which trusts that answer.", valueName: "vkey"))
    var logKey: String?

    @Option(help: ArgumentHelp("The current checkpoint as a file, instead of fetching /log/checkpoint.", valueName: "path"))
    var checkpoint: String?

    @Option(help: ArgumentHelp("The submission ID: also check the report the observatory stores now against the logged entry.", valueName: "uuid"))
    var submission: String?

    @Option(help: ArgumentHelp("The signed report the receipt is for (its bytes): check the commitment opens to it.", valueName: "path"))
    var report: String?

    func validate() throws {
        if observatory == nil, logKey == nil { throw ValidationError("Give --observatory URL or --log-key VKEY: the receipt is checked with the log's key.") }
        if submission != nil, observatory == nil { throw ValidationError("--submission needs --observatory URL.") }
        if let submission, UUID(uuidString: submission) == nil { throw ValidationError("--submission takes a UUID.") }
    }

    func run() async throws {
        let client = try observatory.map { text -> ObservatoryClient in
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--observatory must be an http or https URL.")
            }
            return ObservatoryClient(baseURL: url)
        }
        do {
            try await verify(client: client)
        } catch let error as ReportingError {
            throw CommandFailure(error.message)
        } catch let error as WireError {
            throw CommandFailure(error.message)
        }
    }

    func verify(client: ObservatoryClient?) async throws {
        let receiptBytes = try Self.readBytes(receipt, what: "receipt")
        let verifier: NoteVerifier
        if let logKey {
            do { verifier = try NoteVerifier(verifierKey: logKey) } catch { throw CommandFailure("--log-key is not a signed-note verifier key.") }
        } else if let client {
            verifier = try await client.keys().logVerifier
            print("note: the log key was fetched from the observatory itself; pass --log-key to check against a key you obtained independently")
        } else {
            throw ValidationError("Give --observatory URL or --log-key VKEY.")
        }
        let receiptVerifier = ReceiptVerifier(logVerifier: verifier)
        let signedReport = try report.map { try SignedReport(encoded: Self.readBytes($0, what: "signed report")) }
        let verified = try receiptVerifier.verify(try Receipt(encoded: receiptBytes), signedReport: signedReport)
        let entry = verified.receipt
        print("receipt: signature, checkpoint and inclusion proof verify (log index \(entry.logIndex), tree size \(verified.checkpoint.treeSize))")
        if signedReport != nil { print("report: the receipt's commitment opens to the given signed report") }

        let currentBytes: [UInt8]
        if let checkpoint {
            currentBytes = try Self.readBytes(checkpoint, what: "checkpoint", base64: false)
        } else if let client {
            currentBytes = try await client.checkpoint()
        } else {
            return
        }
        let current: Checkpoint
        do {
            current = try Checkpoint.open(currentBytes, origin: verifier.name, verifiers: [verifier]).checkpoint
        } catch {
            throw ReportingError(.verificationFailed, "The current checkpoint does not verify with the log key (\(error.code)).")
        }
        if current.treeSize == verified.checkpoint.treeSize {
            guard current.rootHash == verified.checkpoint.rootHash else {
                throw ReportingError(.verificationFailed, "The current checkpoint has the receipt's tree size but another root: the log forked. Keep both as evidence.")
            }
        } else {
            guard let client else {
                throw ReportingError(.verificationFailed, "The checkpoint sizes differ; give --observatory to fetch the consistency proof.")
            }
            let proof = try await client.consistencyProof(from: verified.checkpoint.treeSize, to: current.treeSize)
            _ = try receiptVerifier.verifyConsistency(of: verified, withCheckpoint: currentBytes, proof: proof)
        }
        print("log: the current checkpoint (tree size \(current.treeSize)) is consistent with the receipt's (tree size \(verified.checkpoint.treeSize))")
        if let client {
            let path = try await client.inclusionProof(index: entry.logIndex, treeSize: current.treeSize)
            do {
                try MerkleProofVerifier.verifyInclusion(
                    leafHash: entry.commitment.leafHash, leafIndex: entry.logIndex, treeSize: current.treeSize, proof: path, rootHash: current.rootHash)
            } catch {
                throw ReportingError(.verificationFailed, "The log's current checkpoint does not include the receipt's entry (\(error.code)).")
            }
            print("log: entry \(entry.logIndex) is included in the current checkpoint")
        }
        if let submission, let client, let id = UUID(uuidString: submission) {
            let status = try await client.status(id: id)
            let expected = entry.commitment.bytes.map { String(format: "%02x", $0) }.joined()
            guard let stored = status.storedReportCommitment else {
                throw ReportingError(.verificationFailed, "The observatory no longer holds a report for this submission.")
            }
            guard stored == expected else {
                throw ReportingError(
                    .verificationFailed,
                    "The report the observatory stores now does not match its logged commitment: it was altered after it was logged.")
            }
            print("observatory: the report it stores now still matches the logged commitment")
        }
        print("verified")
    }

    /// A file's bytes; text that is entirely base64 is decoded.
    static func readBytes(_ path: String, what: String, base64: Bool = true) throws -> [UInt8] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("The \(what) file \(path) could not be read.")
        }
        if base64, let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
           !text.isEmpty, let decoded = Data(base64Encoded: text) {
            return Array(decoded)
        }
        return Array(data)
    }
}
