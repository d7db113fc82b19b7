// Group-scale benchmark of IsnadMLS (issue 3, "Performance"), suite 0x0001.
//
// For each size n, from a fresh group each repetition:
//
//   creator ──commit(add × n-1)──▶ Welcome ──▶ joiner            (1) add      (2) join
//   creator' ──commit(empty, with path)──▶ joiner processes it   (3) commit   (4) process
//   creator'' ──encrypt 100 B──▶ joiner decrypts                 (5) app message
//
// KeyPackages are made beforehand and not timed. Then the full tree: members join one by one,
// each committing once (adding the next member) right after it joins, so every member has
// committed and no parent node on any path is blank; in that tree one member commits (3) and
// another processes it (4). That commit is set against its cryptographic floor measured in
// the same run with raw swift-crypto: (HPKE encryptions on the path) × one HPKE seal plus one
// Ed25519 signature. The application message is set against one Ed25519 sign + verify plus
// two AES-GCM operations.
//
// Each figure is the fastest of its repetitions: other processes only ever add time. Floors
// are timed interleaved with what they are set against, so a busy machine moves both alike.
import Crypto
import Foundation
import IsnadMLS
import Synchronization

struct GroupScaleBenchmark {
    var sizes = [10, 100, 1000]
    var repetitions = 3
    var applicationMessages = 200
    /// Full trees are built one join at a time (quadratic in n), so only up to this size.
    var fullTreeLimit = 1000
    /// Skip the five figures of the one-big-add group (for profiling the full tree alone).
    var isFullTreeOnly = false
    var jsonPath: String?

    struct Record {
        var figure: String
        var n: Int
        var ms: Double
    }

    init(arguments: [String]) throws {
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw BenchmarkError(text: "\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--quick":
                repetitions = 1
                applicationMessages = 50
            case "--sizes":
                sizes = try value().split(separator: ",").map {
                    guard let n = Int($0), n >= 2 else { throw BenchmarkError(text: "sizes are integers ≥ 2") }
                    return n
                }
            case "--repetitions":
                guard let r = Int(try value()), r >= 1 else { throw BenchmarkError(text: "--repetitions takes an integer ≥ 1") }
                repetitions = r
            case "--full-tree-max":
                guard let m = Int(try value()) else { throw BenchmarkError(text: "--full-tree-max takes an integer") }
                fullTreeLimit = m
            case "--full-tree-only":
                isFullTreeOnly = true
            case "--json":
                jsonPath = try value()
            default:
                throw BenchmarkError(text: "unknown option \(arguments[index])")
            }
            index += 1
        }
    }

    /// A bad option, or a group that did not behave (the benchmark stops rather than time it).
    struct BenchmarkError: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }

    func run() throws {
        let provider = try CipherSuiteProvider(.x25519AES128GCMSHA256Ed25519)
        print("IsnadMLS group benchmark, suite 0x0001, fastest of \(repetitions) repetition(s) per figure")
        var records: [Record] = []
        func record(_ figure: String, _ n: Int, _ ms: Double, _ note: String = "") {
            records.append(Record(figure: figure, n: n, ms: ms))
            let value = figure.hasSuffix("encryptions") ? String(format: "%11.0f   ", ms) : String(format: "%11.3f ms", ms)
            print(pad(figure, 22) + pad(String(n), 7) + value + (note.isEmpty ? "" : "   " + note))
        }

        let floors = try Floors()
        for n in sizes where !isFullTreeOnly {
            for (figure, ms) in try blankTree(provider, n: n, floors: floors) { record(figure, n, ms) }
            if let app = records.last(where: { $0.figure == "app" }), let floor = records.last(where: { $0.figure == "app_floor" }) {
                print(String(format: "  application message at n=%d: %.2f× its floor (Ed25519 sign + verify, AES-GCM seal + open)", n, app.ms / floor.ms))
            }
        }

        var fullSizes = Set(sizes.filter { $0 <= fullTreeLimit })
        for n in sizes where 8 * n <= fullTreeLimit { fullSizes.insert(8 * n) }
        for n in fullSizes.sorted() {
            let result = try fullTree(provider, n: n, floors: floors)
            record("full_commit", n, result.commit)
            record("full_process", n, result.process)
            record("full_encryptions", n, Double(result.encryptions), "HPKE encryptions on the path (a count)")
            record("full_commit_floor", n, result.floor)
            print(String(format: "  full-tree commit at n=%d: %.2f× its floor", n, result.commit / result.floor))
        }
        for n in sizes where fullSizes.contains(8 * n) && fullSizes.contains(n) {
            let time = { (size: Int) in records.first { $0.figure == "full_commit" && $0.n == size }?.ms ?? .nan }
            print(String(format: "  full-tree commit, time at %d / time at %d: %.2f×", 8 * n, n, time(8 * n) / time(n)))
        }

        if let jsonPath {
            let rows = records.map { ["figure": $0.figure, "n": $0.n, "ms": $0.ms] as [String: Any] }
            let object: [String: Any] = ["implementation": "isnad", "repetitions": repetitions, "records": rows]
            try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                .write(to: URL(fileURLWithPath: jsonPath))
        }
    }

    // MARK: The five figures in a group just made by one big add

    private func blankTree(_ provider: CipherSuiteProvider, n: Int, floors: Floors) throws -> [(String, Double)] {
        var generator = SystemRandomNumberGenerator()
        let now = UInt64(Date().timeIntervalSince1970)
        let others = try (0..<(n - 2)).map { i in
            try KeyPackageBundle.make(provider, credential: .basic(identity: Array("member \(i)".utf8)), now: now, using: &generator)
        }
        let payload = randomBytes(100, using: &generator)
        var best: [String: Double] = [:]
        func keep(_ figure: String, _ ms: Double) { best[figure] = min(best[figure] ?? .infinity, ms) }

        for _ in 0..<repetitions {
            let creatorBundle = try KeyPackageBundle.make(provider, credential: .basic(identity: Array("creator".utf8)), now: now, using: &generator)
            let joinerBundle = try KeyPackageBundle.make(provider, credential: .basic(identity: Array("joiner".utf8)), now: now, using: &generator)
            let creator = try Group(creating: randomBytes(16, using: &generator), creator: creatorBundle, using: &generator)
            let proposals = (others + [joinerBundle]).map { Proposal.add($0.keyPackage) }

            let (addTime, added) = try milliseconds { try creator.commit(proposals, using: &generator) }
            keep("add", addTime)
            guard let welcome = added.welcome else { throw BenchmarkError(text: "the add commit made no Welcome") }
            let (joinTime, joiner) = try milliseconds { try Group(welcome: welcome, keyPackage: joinerBundle) }
            keep("join", joinTime)
            let (joinFloorTime, _) = try milliseconds { try floors.join(leaves: n) }
            keep("join_floor", joinFloorTime)

            let (commitTime, commit) = try milliseconds { try added.group.commit(using: &generator) }
            keep("commit", commitTime)
            let (processTime, receiver) = try milliseconds {
                var copy = joiner
                _ = try copy.process(commit.message)
                return copy
            }
            keep("process", processTime)
            guard receiver.epochAuthenticator == commit.group.epochAuthenticator else {
                throw BenchmarkError(text: "the joiner and the committer disagree after the commit")
            }

            // Application messages in short batches, each followed by as many floors.
            var sender = commit.group, recipient = receiver
            let batch = 20
            for _ in 0..<max(1, applicationMessages / batch) {
                let (appTime, _) = try milliseconds {
                    for _ in 0..<batch {
                        let message = try sender.encrypt(payload, using: &generator)
                        guard case .application(let data, _, _, _) = try recipient.process(message), data == payload else {
                            throw BenchmarkError(text: "the application message did not come back")
                        }
                    }
                }
                keep("app", appTime / Double(batch))
                let (floorTime, _) = try milliseconds { for _ in 0..<batch { try floors.applicationMessage() } }
                keep("app_floor", floorTime / Double(batch))
            }
        }
        return ["add", "join", "join_floor", "commit", "process", "app", "app_floor"].map { ($0, best[$0] ?? .nan) }
    }

    // MARK: A full tree: every member has committed once

    private func fullTree(_ provider: CipherSuiteProvider, n: Int, floors: Floors)
        throws -> (commit: Double, process: Double, encryptions: Int, floor: Double) {
        var generator = SystemRandomNumberGenerator()
        let now = UInt64(Date().timeIntervalSince1970)
        func bundle(_ i: Int) throws -> KeyPackageBundle {
            try KeyPackageBundle.make(provider, credential: .basic(identity: Array("member \(i)".utf8)), now: now, using: &generator)
        }
        let started = Date()
        // Each member, right after joining, commits the add of the next one (with a path). Only
        // two states are kept current: the newest member's, and the creator's (leaf 0), which
        // processes every commit; building costs n commits, n joins and n processes.
        var creator = try Group(creating: randomBytes(16, using: &generator), creator: bundle(0), using: &generator)
        var newest = creator
        for i in 1..<n {
            let next = try bundle(i)
            let pending = try newest.commit([.add(next.keyPackage)], using: &generator)
            guard let welcome = pending.welcome else { throw BenchmarkError(text: "an add commit made no Welcome") }
            if i == 1 { creator = pending.group } else { _ = try creator.process(pending.message) }
            newest = try Group(welcome: welcome, keyPackage: next)
        }
        // The newest member commits too, so every member has.
        let last = try newest.commit(using: &generator)
        _ = try creator.process(last.message)
        // Leaf 0 commits: every node of its copath is non-blank, so it encrypts to ⌈log2 n⌉ nodes.
        let committer = creator
        let processor = last.group
        FileHandle.standardError.write(Data(String(format: "  (full tree of %d built in %.1f s)\n", n, Date().timeIntervalSince(started)).utf8))

        // HPKE encryptions an empty commit from `committer` makes: the resolution of each copath child.
        let tree = committer.tree
        let encryptions = tree.filteredDirectPath(committer.myLeaf).reduce(0) { $0 + tree.resolution($1.copathChild).count }

        var bestCommit = Double.infinity, bestProcess = Double.infinity, bestFloor = Double.infinity
        // These take about a millisecond: more repetitions than the big figures.
        for _ in 0..<max(repetitions, 3) * 5 {
            let (commitTime, commit) = try milliseconds { try committer.commit(using: &generator) }
            bestCommit = min(bestCommit, commitTime)
            let signed = commit.message.encoded.count
            let (floorTime, _) = try milliseconds { try floors.commit(encryptions: encryptions, signedLength: signed) }
            bestFloor = min(bestFloor, floorTime)
            let (processTime, _) = try milliseconds {
                var copy = processor
                _ = try copy.process(commit.message)
            }
            bestProcess = min(bestProcess, processTime)
        }
        return (bestCommit, bestProcess, encryptions, bestFloor)
    }
}

// MARK: Cryptographic floors, raw swift-crypto

/// The raw primitives an MLS operation cannot avoid, called straight on swift-crypto.
struct Floors {
    private let recipient = Curve25519.KeyAgreement.PrivateKey().publicKey
    private let suite = HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)
    /// The size of an UpdatePathNode's EncryptContext: label and an encoded GroupContext.
    private let info = Data(repeating: 7, count: 150)
    private let pathSecret = Data(repeating: 1, count: 32)
    private let signer = Curve25519.Signing.PrivateKey()
    private let publicBytes: Data
    /// What an application message's sender signs: 100 B of payload plus framing.
    private let applicationSigned = Data(repeating: 2, count: 100 + 120)
    private let payload = Data(repeating: 3, count: 100)
    private let keyBytes = Data(repeating: 4, count: 16), nonceBytes = Data(repeating: 5, count: 12)

    /// What a leaf's signature covers: a LeafNodeTBS of a basic credential is about 200 bytes.
    private let leafSigned = Data(repeating: 6, count: 200)
    private let leafSignature: Data

    init() throws {
        publicBytes = signer.publicKey.rawRepresentation
        leafSignature = try signer.signature(for: leafSigned)
    }

    /// A commit's floor: `encryptions` HPKE SealBase (X25519, HKDF-SHA256, AES-128-GCM) of a
    /// 32-byte path secret, and one Ed25519 signature over `signedLength` bytes.
    func commit(encryptions: Int, signedLength: Int) throws {
        for _ in 0..<encryptions {
            var sender = try HPKE.Sender(recipientKey: recipient, ciphersuite: suite, info: info)
            _ = try sender.seal(pathSecret)
            _ = sender.encapsulatedKey
        }
        _ = try signer.signature(for: Data(repeating: 9, count: signedLength))
    }

    /// A join's floor: RFC 9420 §12.4.3.1 has the joiner validate every leaf of the tree, one
    /// Ed25519 verification each (§7.3), here of a leaf-sized message, spread over every core
    /// as the joiner spreads them. The rest of a join (decrypting the Welcome, tree and parent
    /// hashes, decoding) is not counted.
    func join(leaves: Int) throws {
        // Chunked as the joiner's ParallelWork chunks it: several chunks per core, so a core
        // slowed by another process does not hold the others up.
        let chunks = max(1, min(leaves / 4, ProcessInfo.processInfo.activeProcessorCount * 8))
        let failures = Mutex(0)
        let (publicBytes, signed, signature) = (self.publicBytes, leafSigned, leafSignature)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var failed = 0
            for _ in (leaves * chunk / chunks)..<(leaves * (chunk + 1) / chunks) {
                // Keys arrive as bytes in the tree, so each check imports its key.
                let valid = (try? Curve25519.Signing.PublicKey(rawRepresentation: publicBytes))?
                    .isValidSignature(signature, for: signed) ?? false
                if !valid { failed += 1 }
            }
            failures.withLock { $0 += failed }
        }
        guard failures.withLock({ $0 }) == 0 else { throw GroupScaleBenchmark.BenchmarkError(text: "a floor signature did not verify") }
    }

    /// An application message's floor: Ed25519 sign + verify, AES-GCM seal + open of 100 B.
    func applicationMessage() throws {
        let signature = try signer.signature(for: applicationSigned)
        // Keys arrive as bytes (from the key schedule, from a leaf), so each use imports them.
        let box = try AES.GCM.seal(payload, using: SymmetricKey(data: keyBytes), nonce: AES.GCM.Nonce(data: nonceBytes))
        _ = try AES.GCM.open(box, using: SymmetricKey(data: keyBytes))
        _ = try Curve25519.Signing.PublicKey(rawRepresentation: publicBytes).isValidSignature(signature, for: applicationSigned)
    }
}

/// Runs `body` once and returns its wall-clock time in milliseconds with its result.
func milliseconds<T>(_ body: () throws -> T) rethrows -> (Double, T) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, result)
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
