import Testing
@testable import IsnadTransparency

@Suite("tlog-checkpoint")
struct CheckpointTests {
    // golang.org/x/mod sumdb/tlog/note_test.go (commit 774e7788), TestFormatTree: a tree head for
    // 123456789012 entries whose root is the RFC 6962 leaf hash of "hello world". Test data only.
    static let goGolden = "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"

    @Test("encodes and parses the Go tree-head known answer")
    func goKnownAnswer() throws {
        let root = MerkleTreeHash.leafHash(Array("hello world".utf8))
        let checkpoint = try Checkpoint(origin: "go.sum database tree", treeSize: 123_456_789_012, rootHash: root)
        #expect(checkpoint.text == Self.goGolden)
        #expect(try Checkpoint(parsing: Self.goGolden) == checkpoint)
        let withExtension = try Checkpoint(parsing: Self.goGolden + "JOE\n")
        #expect(withExtension.extensions == ["JOE"])
        #expect(withExtension.text == Self.goGolden + "JOE\n")
    }

    @Test("parses the C2SP example checkpoint body")
    func c2spExample() throws {
        // c2sp.org/tlog-checkpoint, the example at the top of the document.
        let text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
        let checkpoint = try Checkpoint(parsing: text)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.treeSize == 20_852_163)
        #expect(checkpoint.rootHash.count == 32)
        #expect(checkpoint.text == text)
    }

    @Test("rejects malformed checkpoint text")
    func malformed() {
        let root = "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0="
        let bad = [
            "go.sum database tree\n0xabcdef\n\(root)\n",
            "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n",
            "go.sum database tree\n123456789012\n\(root)\nJOE",
            "go.sum database tree\n123456789012\n\(root)",
            "go.sum database tree\n0123\n\(root)\n",
            "go.sum database tree\n-1\n\(root)\n",
            "go.sum database tree\n18446744073709551616\n\(root)\n",
            "\n5\n\(root)\n",
            "origin\n5\n\n",
            "origin\n5\n\(root)\n\nextension after empty line\n",
            "origin\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb1=\n",  // non-canonical padding bits
            "origin\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0\n",  // missing padding
            "origin\n5\n",
            "origin\r\n5\n\(root)\n",
        ]
        for text in bad { expectCode(.malformedCheckpoint) { _ = try Checkpoint(parsing: text) } }
        #expect(throws: Never.self) { try Checkpoint(parsing: "origin\n0\n\(root)\n") }
        #expect(throws: Never.self) { try Checkpoint(parsing: "origin\n18446744073709551615\n\(root)\n") }
    }

    @Test("a log signs a checkpoint of its tree, a client opens and checks it")
    func signAndOpen() throws {
        var log = MerkleLog()
        for i in 0..<1000 { log.append(Array("report \(i)".utf8)) }
        let signer = try NoteSigner.generate(name: "isnad.example/log")
        let checkpoint = try Checkpoint(origin: "isnad.example/log", treeSize: log.size, rootHash: log.rootHash())
        let served = Array(try checkpoint.sign(with: [signer]).encoded.utf8)

        let opened = try Checkpoint.open(served, origin: "isnad.example/log", verifiers: [signer.verifier])
        #expect(opened.checkpoint == checkpoint)
        let proof = try log.inclusionProof(leafIndex: 417, treeSize: log.size)
        try MerkleProofVerifier.verifyInclusion(
            leafHash: MerkleTreeHash.leafHash(Array("report 417".utf8)), leafIndex: 417,
            treeSize: opened.checkpoint.treeSize, proof: proof, rootHash: opened.checkpoint.rootHash)

        expectCode(.unexpectedOrigin) { _ = try Checkpoint.open(served, origin: "other.example/log", verifiers: [signer.verifier]) }
        let stranger = try NoteSigner.generate(name: "isnad.example/log")
        expectCode(.noVerifiedSignature) { _ = try Checkpoint.open(served, origin: "isnad.example/log", verifiers: [stranger.verifier]) }
        // Change the tree size digit: the signature no longer verifies.
        let text = String(decoding: served, as: UTF8.self)
        let tampered = text.replacingOccurrences(of: "\n1000\n", with: "\n1001\n")
        #expect(tampered != text)
        expectCode(.invalidSignature) {
            _ = try Checkpoint.open(Array(tampered.utf8), origin: "isnad.example/log", verifiers: [signer.verifier])
        }
    }
}
