// Benchmarks for IsnadMLS: each MLS operation is timed beside the raw swift-crypto calls it
// makes, in the same run, interleaved, so the printed ratio shows the MLS layer's overhead
// independently of how fast or busy this machine is.
//
// Run: swift run -c release IsnadBenchmarks [micro] [--quick]   (the default mode; see main.swift)
import Crypto
import Foundation
import IsnadMLS

/// The micro-benchmarks: each MLS operation against the raw swift-crypto calls it makes.
enum MicroBenchmarks {
    /// Instruction-count mode (scripts/bench-instructions.sh): `ISNAD_BENCH_COUNT` set to
    /// `name|subject-or-baseline|iterations|stream` runs only that one side of that one
    /// comparison `iterations` times after the same setup, so two runs under callgrind with
    /// different iteration counts give its instructions per call by difference.
    struct CountSpec {
        let name: String, side: String, iterations: Int, stream: Int
        init?(_ text: String?) {
            guard let parts = text?.split(separator: "|").map(String.init), parts.count == 4,
                  let iterations = Int(parts[2]), let stream = Int(parts[3]) else { return nil }
            (name, side, self.iterations, self.stream) = (parts[0], parts[1], iterations, stream)
        }
    }

    static func run(quick: Bool) throws {
        let countSpec = CountSpec(ProcessInfo.processInfo.environment["ISNAD_BENCH_COUNT"])
        let rounds = quick ? 5 : 31
        var rows: [(String, Double, Double, Double)] = []

        /// Times `body` (`iterations` calls) and returns nanoseconds per call.
        func time(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations { try body() }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations)
        }

        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }

        /// Interleaves subject and baseline for `rounds` rounds and keeps the median of each.
        func compare(_ name: String, iterations: Int, subject: () throws -> Void, baseline: () throws -> Void) rethrows {
            if let countSpec {
                guard countSpec.name == name else { return }
                if countSpec.side == "subject" {
                    for _ in 0..<countSpec.iterations { try subject() }
                } else {
                    for _ in 0..<countSpec.iterations { try baseline() }
                }
                return
            }
            _ = try time(iterations / 4 + 1, subject)
            _ = try time(iterations / 4 + 1, baseline)
            var s: [Double] = [], b: [Double] = []
            for _ in 0..<rounds {
                s.append(try time(iterations, subject))
                b.append(try time(iterations, baseline))
            }
            // Other processes only ever add time, so the fastest round is the least disturbed one:
            // the ratio of minimums is the figure judged against the target; medians are shown too.
            let ms = s.sorted()[s.count / 2], mb = b.sorted()[b.count / 2]
            let fs = s.min() ?? ms, fb = b.min() ?? mb
            rows.append((name, fs, fb, fs / fb))
            print(pad(name, 44) + String(format: " %9.0f ns %9.0f ns %7.3f×   (medians %.0f / %.0f ns, %.3f×)", fs, fb, fs / fb, ms, mb, ms / mb))
        }

        if countSpec == nil { print("IsnadMLS benchmark, suite 0x0001 (X25519, AES-128-GCM, SHA-256, Ed25519); median of \(rounds) interleaved rounds")
        print(pad("operation", 44) + "        Isnad   raw crypto    ratio") }

        let provider = try CipherSuiteProvider(.x25519AES128GCMSHA256Ed25519)
        var generator = SystemRandomNumberGenerator()
        let secret = randomBytes(32, using: &generator)
        let context32 = randomBytes(32, using: &generator)

        // 1. ExpandWithLabel vs one HKDF-Expand over the same, precomputed KDFLabel.
        do {
            var info = [UInt8]([0, 16, UInt8(8 + 3)]) + Array("MLS 1.0 key".utf8)
            info += [32] + context32
            compare("ExpandWithLabel (16 B out, 32 B context)", iterations: 20_000, subject: {
                _ = provider.expandWithLabel(secret: secret, label: "key", context: context32, length: 16)
            }, baseline: {
                _ = HKDF<SHA256>.expand(pseudoRandomKey: secret, info: info, outputByteCount: 16)
            })
        }

        // 2. One secret-tree ratchet step (key, nonce, next secret) vs three HKDF-Expands.
        do {
            var tree = SecretTree(provider, encryptionSecret: SecretBytes(secret), leafCount: 2,
                                  configuration: .init(maximumForwardDistance: 1 << 30, maximumRetainedKeys: 0))
            _ = try tree.nextKey(for: LeafIndex(0), .application)
            func label(_ text: String, _ length: Int) -> [UInt8] {
                let full = Array("MLS 1.0 \(text)".utf8)
                return [0, UInt8(length), UInt8(full.count)] + full + [4, 0, 0, 0, 7]
            }
            let nonceInfo = label("nonce", 12), keyInfo = label("key", 16), secretInfo = label("secret", 32)
            try compare("secret tree: next key (1 ratchet step)", iterations: 20_000, subject: {
                _ = try tree.nextKey(for: LeafIndex(0), .application)
            }, baseline: {
                _ = HKDF<SHA256>.expand(pseudoRandomKey: secret, info: nonceInfo, outputByteCount: 12)
                _ = HKDF<SHA256>.expand(pseudoRandomKey: secret, info: keyInfo, outputByteCount: 16)
                _ = HKDF<SHA256>.expand(pseudoRandomKey: secret, info: secretInfo, outputByteCount: 32)
            })
        }

        // 3. PrivateMessage protect and unprotect of application data vs the primitive calls they make:
        //    Ed25519 sign/verify, 3 + 2 HKDF-Expands, two AES-GCM seals/opens of the same sizes.
        let signer = provider.generateSignatureKey(using: &generator)
        let rawSigner = try Curve25519.Signing.PrivateKey(rawRepresentation: Array(repeating: 1, count: 32))
        let groupContext = GroupContext(cipherSuite: provider.suite, groupID: randomBytes(16, using: &generator), epoch: 3,
                                        treeHash: randomBytes(32, using: &generator), confirmedTranscriptHash: randomBytes(32, using: &generator))
        let senderDataSecret = SecretBytes(randomBytes(32, using: &generator))
        for size in [100, 1024] {
            let payload = randomBytes(size, using: &generator)
            let content = FramedContent(groupID: groupContext.groupID, epoch: groupContext.epoch, sender: .member(LeafIndex(0)),
                                        authenticatedData: [], content: .application(payload))
            var senderTree = SecretTree(provider, encryptionSecret: SecretBytes(secret), leafCount: 2,
                                        configuration: .init(maximumForwardDistance: 1 << 30, maximumRetainedKeys: 0))
            // What Ed25519 actually signs: SignContent { "MLS 1.0 FramedContentTBS"; FramedContentTBS }.
            var signContent = TLSEncoder()
            signContent.writeOpaque(Array("MLS 1.0 FramedContentTBS".utf8))
            signContent.writeOpaque(AuthenticatedContent.toBeSigned(wireFormat: .privateMessage, content: content, context: groupContext))
            let tbs = signContent.bytes
            let aesKeyBytes = randomBytes(16, using: &generator)
            let nonceBytes = randomBytes(12, using: &generator)
            let aesKey = SymmetricKey(data: aesKeyBytes)
            let nonce = try AES.GCM.Nonce(data: nonceBytes)
            let plaintext = randomBytes(size + 2 + 64 + 1, using: &generator)
            let senderPlain = randomBytes(12, using: &generator)
            let info = [UInt8](repeating: 3, count: 50)
            func rawProtect() throws {
                // The fresh 4-byte reuse guard (§6.3.1): one draw from the system generator.
                _ = generator.next()
                _ = try rawSigner.signature(for: tbs)
                for _ in 0..<5 { _ = HKDF<SHA256>.expand(pseudoRandomKey: secret, info: info, outputByteCount: 16) }
                // Keys and nonces arrive from the KDF as bytes, so each AEAD call imports them.
                _ = try AES.GCM.seal(plaintext, using: SymmetricKey(data: aesKeyBytes), nonce: AES.GCM.Nonce(data: nonceBytes))
                _ = try AES.GCM.seal(senderPlain, using: SymmetricKey(data: aesKeyBytes), nonce: AES.GCM.Nonce(data: nonceBytes))
            }
            try compare("PrivateMessage protect, \(size) B", iterations: 2_000, subject: {
                _ = try PrivateMessage.protect(provider, content: content, signer: signer, context: groupContext, secretTree: &senderTree,
                                               senderDataSecret: senderDataSecret, using: &generator)
            }, baseline: rawProtect)

            // Unprotect: pre-seal a stream of messages so each is opened once.
            let count = 2_000
            var messages: [PrivateMessage] = []
            var streamTree = SecretTree(provider, encryptionSecret: SecretBytes(secret), leafCount: 2,
                                        configuration: .init(maximumForwardDistance: 1 << 30, maximumRetainedKeys: 0))
            for _ in 0..<(countSpec?.stream ?? count * (rounds + 1)) {
                messages.append(try PrivateMessage.protect(provider, content: content, signer: signer, context: groupContext, secretTree: &streamTree,
                                                           senderDataSecret: senderDataSecret, using: &generator))
            }
            var receiverTree = SecretTree(provider, encryptionSecret: SecretBytes(secret), leafCount: 2,
                                          configuration: .init(maximumForwardDistance: 1 << 30, maximumRetainedKeys: 0))
            var next = 0
            let sealedContent = try AES.GCM.seal(plaintext, using: aesKey, nonce: nonce)
            let sealedSender = try AES.GCM.seal(senderPlain, using: aesKey, nonce: nonce)
            let rawSignature = try rawSigner.signature(for: tbs)
            let rawPublicBytes = Array(rawSigner.publicKey.rawRepresentation)
            // The warm-up inside `compare` also consumes messages; the stream holds enough for it.
            try compare("PrivateMessage unprotect, \(size) B", iterations: count / 2, subject: {
                _ = try messages[next].decrypt(provider, context: groupContext, secretTree: &receiverTree, senderDataSecret: senderDataSecret)
                    .verifySignature(provider, publicKey: signer.publicKey, context: groupContext)
                next += 1
            }, baseline: {
                for _ in 0..<5 { _ = HKDF<SHA256>.expand(pseudoRandomKey: secret, info: info, outputByteCount: 16) }
                _ = try AES.GCM.open(sealedSender, using: SymmetricKey(data: aesKeyBytes))
                _ = try AES.GCM.open(sealedContent, using: SymmetricKey(data: aesKeyBytes))
                // The sender's public key arrives as bytes from its leaf, so each verification imports it.
                _ = try Curve25519.Signing.PublicKey(rawRepresentation: rawPublicBytes).isValidSignature(rawSignature, for: tbs)
            })
        }

        guard countSpec == nil else { return }
        print("")
        print("Target: every ratio ≤ 1.10 (the MLS layer adds at most 10% over the primitives it calls).")
        let worst = rows.map(\.3).max() ?? 0
        print(String(format: "Worst ratio: %.3f×", worst))
    }
}
