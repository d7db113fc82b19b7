@testable import IsnadMLS
import Testing

/// The TLS presentation language of RFC 9420 §2.1, strictly.
struct CodecTests {
    @Test("varints: RFC 9420 §2.1.2 examples decode", arguments: [
        ([0x9d, 0x7f, 0x3e, 0x7d], 494_878_333), ([0x7b, 0xbd], 15293), ([0x25], 37),
    ])
    func varintExamples(_ bytes: [UInt8], _ value: Int) throws {
        var decoder = TLSDecoder(bytes)
        #expect(try decoder.readVarint() == value)
        #expect(decoder.isAtEnd)
    }

    @Test("varints: encoding is minimal at every boundary", arguments: [0, 63, 64, 16383, 16384, (1 << 30) - 1])
    func varintBoundaries(_ value: Int) throws {
        var bytes: [UInt8] = []
        TLSEncoder.appendVarint(UInt32(value), to: &bytes)
        #expect(bytes.count == (value < 64 ? 1 : value < 16384 ? 2 : 4))
        var decoder = TLSDecoder(bytes)
        #expect(try decoder.readVarint() == value)
    }

    @Test("varints: non-minimal encodings are rejected", arguments: [[0x40, 0x3f], [0x80, 0x00, 0x3f, 0xff], [0x40, 0x00]] as [[UInt8]])
    func nonMinimal(_ bytes: [UInt8]) {
        #expect(MLSError.has(.nonMinimalVarint) { var d = TLSDecoder(bytes); _ = try d.readVarint() })
    }

    @Test("varints: the 11 prefix is rejected")
    func invalidPrefix() {
        #expect(MLSError.has(.invalidVarintPrefix) { var d = TLSDecoder([0xc0, 0, 0, 0, 0, 0, 0, 1]); _ = try d.readVarint() })
    }

    @Test("a vector longer than the input is a truncation error naming the field")
    func truncatedVector() throws {
        var decoder = TLSDecoder([0x05, 1, 2])
        do {
            _ = try decoder.readOpaque("group_id")
            Issue.record("expected an error")
        } catch let error as MLSError {
            #expect(error.code == .truncated)
            #expect(error.kind == .badInput)
            #expect(error.message.contains("group_id"))
        }
    }

    @Test("trailing bytes after a whole structure are rejected")
    func trailingBytes() {
        let bytes = Extension(type: .applicationID, data: [1, 2]).encoded + [0]
        #expect(MLSError.has(.trailingBytes) { _ = try Extension(decoding: bytes) })
    }

    @Test("trailing bytes inside a vector are rejected")
    func trailingInsideVector() {
        // A capabilities `versions` vector of 3 bytes holds one uint16 and one stray byte.
        let bytes: [UInt8] = [3, 0, 1, 9, 0, 0, 0, 0]
        #expect(MLSError.has(.truncated) { _ = try Capabilities(decoding: bytes) } || MLSError.has(.trailingBytes) { _ = try Capabilities(decoding: bytes) })
    }

    @Test("optional presence octets other than 0 or 1 are rejected")
    func invalidOptional() {
        #expect(MLSError.has(.invalidOptional) { _ = try Commit(decoding: [0x00, 0x02]) })
    }

    @Test("unknown values of closed enums are rejected", arguments: [0, 4, 255] as [UInt8])
    func closedEnum(_ raw: UInt8) {
        #expect(MLSError.has(.invalidEnumValue) { var d = TLSDecoder([raw]); _ = try ContentType(from: &d) })
    }

    @Test("open registries keep unknown values (GREASE) through a round trip")
    func greaseKept() throws {
        let capabilities = Capabilities(versions: [.mls10, ProtocolVersion(rawValue: 0x0A0A)],
                                        cipherSuites: [.x25519AES128GCMSHA256Ed25519, CipherSuite(rawValue: 0x1A1A)],
                                        extensions: [ExtensionType(rawValue: 0x2A2A)], proposals: [ProposalType(rawValue: 0x3A3A)],
                                        credentials: [.basic, CredentialType(rawValue: 0x4A4A)])
        #expect(try Capabilities(decoding: capabilities.encoded) == capabilities)
    }

    @Test("an MLSMessage of another protocol version is rejected")
    func wrongVersion() {
        #expect(MLSError.has(.unsupportedVersion) { _ = try MLSMessage(decoding: [0x00, 0x02, 0x00, 0x05]) })
    }

    @Test("error descriptions carry code and section but no input bytes")
    func errorDescription() {
        let error = MLSError.badInput(.truncated, "group_id needs 5 byte(s)", rfc: "§2.1")
        #expect(error.description == "codec.truncated: group_id needs 5 byte(s) (RFC 9420 §2.1)")
    }
}

/// Limits on what a peer can make this client allocate.
struct ResourceLimitTests {
    @Test("a ratchet tree of more than 2^21 - 1 nodes is refused before it is expanded")
    func hugeTree() throws {
        // 2^21 + 1 nodes: all blank but the last, one byte each on the wire.
        let count = RatchetTree.maximumNodeCount + 2
        let wire = RatchetTreeNodes(Array(repeating: nil, count: count - 1) + [Optional(Node.parent(ParentNode(encryptionKey: HPKEPublicKey([1]), parentHash: [], unmergedLeaves: [])))])
        let decoded = try RatchetTreeNodes(decoding: wire.encoded)
        #expect(decoded.nodes.count == count)
        #expect(MLSError.has(.invalidValue) { _ = try RatchetTree(decoded) })
    }
}
