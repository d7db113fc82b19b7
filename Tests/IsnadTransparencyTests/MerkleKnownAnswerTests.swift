import Testing
@testable import IsnadTransparency

// Known answers: the classic 8-leaf RFC 6962 test tree of the certificate-transparency project,
// as published in github.com/transparency-dev/merkle, testonly/constants.go and
// testonly/reference_test.go (commit 141d627e / 582a6ad1). Test data only.
enum CTTestTree {
    static let leaves: [[UInt8]] = [
        hex(""), hex("00"), hex("10"), hex("2021"), hex("3031"), hex("40414243"),
        hex("5051525354555657"), hex("606162636465666768696a6b6c6d6e6f"),
    ]
    /// Root hashes for tree sizes 0...8.
    static let roots: [[UInt8]] = [
        hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        hex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        hex("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
        hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        hex("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
        hex("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
        hex("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
        hex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
    ]
    /// Complete-subtree hashes by level.
    static let nodes: [[[UInt8]]] = [
        [
            hex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            hex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            hex("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
            hex("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
            hex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            hex("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
            hex("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            hex("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
        ],
        [
            hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
            hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            hex("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            hex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        ],
        [
            hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            hex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
        [hex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
    ]

    static func log() -> MerkleLog {
        var log = MerkleLog()
        for leaf in leaves { log.append(leaf) }
        return log
    }
}

@Suite("RFC 6962/9162 known answers")
struct MerkleKnownAnswerTests {
    @Test("MTH of every prefix of the 8-leaf tree, including the empty tree")
    func roots() throws {
        let log = CTTestTree.log()
        for size in 0...8 {
            #expect(try log.rootHash(treeSize: UInt64(size)) == CTTestTree.roots[size], "size \(size)")
            #expect(MerkleTreeHash.rootHash(entries: Array(CTTestTree.leaves[0..<size])) == CTTestTree.roots[size])
        }
        #expect(log.rootHash() == CTTestTree.roots[8])
        #expect(MerkleLog().rootHash() == CTTestTree.roots[0])
    }

    @Test("stored complete-subtree hashes equal the published node hashes")
    func nodeHashes() {
        let log = CTTestTree.log()
        for (level, hashes) in CTTestTree.nodes.enumerated() {
            #expect(log.hashCount(level: level) == UInt64(hashes.count))
            for (index, hash) in hashes.enumerated() {
                #expect(log.hash(level: level, index: UInt64(index)) == hash, "level \(level) index \(index)")
            }
        }
        #expect(log.hash(level: 3, index: 1) == nil)
    }

    static let inclusionVectors: [(index: UInt64, size: UInt64, proof: [String])] = [
        (0, 1, []),
        (0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
        (1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (1, 5, [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ]),
        (0, 8, [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]),
        (5, 8, [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
    ]

    @Test("inclusion proofs match the published vectors and verify")
    func inclusion() throws {
        let log = CTTestTree.log()
        for vector in Self.inclusionVectors {
            let proof = try log.inclusionProof(leafIndex: vector.index, treeSize: vector.size)
            #expect(proof == vector.proof.map(hex), "\(vector.index) in \(vector.size)")
            try MerkleProofVerifier.verifyInclusion(
                leafHash: MerkleTreeHash.leafHash(CTTestTree.leaves[Int(vector.index)]),
                leafIndex: vector.index, treeSize: vector.size, proof: vector.proof.map(hex),
                rootHash: CTTestTree.roots[Int(vector.size)])
        }
    }

    static let consistencyVectors: [(first: UInt64, second: UInt64, proof: [String])] = [
        (1, 1, []),
        (1, 8, [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]),
        (2, 5, [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ]),
        (6, 8, [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
    ]

    @Test("consistency proofs match the published vectors and verify")
    func consistency() throws {
        let log = CTTestTree.log()
        for vector in Self.consistencyVectors {
            let proof = try log.consistencyProof(from: vector.first, to: vector.second)
            #expect(proof == vector.proof.map(hex), "\(vector.first) → \(vector.second)")
            try MerkleProofVerifier.verifyConsistency(
                firstSize: vector.first, secondSize: vector.second,
                firstRoot: CTTestTree.roots[Int(vector.first)], secondRoot: CTTestTree.roots[Int(vector.second)],
                proof: vector.proof.map(hex))
        }
    }
}
