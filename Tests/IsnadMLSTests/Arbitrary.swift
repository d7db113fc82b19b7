import IsnadMLS

/// Seeded random values of every wire type, for round-trip property tests.
struct Arbitrary {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func bool() -> Bool { Bool.random(using: &generator) }
    mutating func u32() -> UInt32 { UInt32.random(in: 0...UInt32.max, using: &generator) }
    mutating func u64() -> UInt64 { generator.next() }
    /// Bytes of a length that crosses the 1- and 2-byte varint boundaries.
    mutating func bytes(max: Int = 80) -> [UInt8] {
        let length = [0, 1, 63, 64, int(0...max)][int(0...4)]
        return randomBytes(length, using: &generator)
    }
    mutating func array<T>(_ max: Int, _ element: (inout Arbitrary) -> T) -> [T] {
        (0..<int(0...max)).map { _ in element(&self) }
    }
    mutating func optional<T>(_ element: (inout Arbitrary) -> T) -> T? { bool() ? element(&self) : nil }

    mutating func extensionValue() -> Extension { Extension(type: ExtensionType(rawValue: UInt16(truncatingIfNeeded: u32())), data: bytes()) }
    mutating func extensions() -> [Extension] { array(3) { $0.extensionValue() } }
    mutating func credential() -> Credential {
        bool() ? .basic(identity: bytes()) : .x509(certificates: array(3) { $0.bytes() })
    }
    mutating func capabilities() -> Capabilities {
        Capabilities(versions: array(3) { ProtocolVersion(rawValue: UInt16(truncatingIfNeeded: $0.u32())) },
                     cipherSuites: array(3) { CipherSuite(rawValue: UInt16(truncatingIfNeeded: $0.u32())) },
                     extensions: array(3) { ExtensionType(rawValue: UInt16(truncatingIfNeeded: $0.u32())) },
                     proposals: array(3) { ProposalType(rawValue: UInt16(truncatingIfNeeded: $0.u32())) },
                     credentials: array(3) { CredentialType(rawValue: UInt16(truncatingIfNeeded: $0.u32())) })
    }
    mutating func leafNode() -> LeafNode {
        let source: LeafNode.Source = switch int(0...2) {
        case 0: .keyPackage(Lifetime(notBefore: u64(), notAfter: u64()))
        case 1: .update
        default: .commit(parentHash: bytes())
        }
        return LeafNode(encryptionKey: HPKEPublicKey(bytes()), signatureKey: SignaturePublicKey(bytes()), credential: credential(),
                        capabilities: capabilities(), source: source, extensions: extensions(), signature: bytes())
    }
    mutating func keyPackage() -> KeyPackage {
        KeyPackage(version: .mls10, cipherSuite: CipherSuite(rawValue: UInt16(int(1...7))), initKey: HPKEPublicKey(bytes()),
                   leafNode: leafNode(), extensions: extensions(), signature: bytes())
    }
    mutating func pskID() -> PreSharedKeyID {
        let kind: PreSharedKeyID.Kind = bool()
            ? .external(pskID: bytes())
            : .resumption(usage: [.application, .reinit, .branch][int(0...2)], groupID: bytes(), epoch: u64())
        return PreSharedKeyID(kind: kind, nonce: bytes())
    }
    mutating func proposal() -> Proposal {
        switch int(0...6) {
        case 0: .add(keyPackage())
        case 1: .update(leafNode())
        case 2: .remove(LeafIndex(u32()))
        case 3: .preSharedKey(pskID())
        case 4: .reInit(groupID: bytes(), version: .mls10, cipherSuite: CipherSuite(rawValue: 1), extensions: extensions())
        case 5: .externalInit(kemOutput: bytes())
        default: .groupContextExtensions(extensions())
        }
    }
    mutating func updatePath() -> UpdatePath {
        UpdatePath(leafNode: leafNode(), nodes: array(3) { a in
            UpdatePathNode(encryptionKey: HPKEPublicKey(a.bytes()),
                           encryptedPathSecret: a.array(3) { HPKECiphertext(kemOutput: $0.bytes(), ciphertext: $0.bytes()) })
        })
    }
    mutating func commit() -> Commit {
        Commit(proposals: array(3) { a in a.bool() ? .proposal(a.proposal()) : .reference(a.bytes()) }, path: optional { $0.updatePath() })
    }
    mutating func sender() -> Sender {
        switch int(0...3) {
        case 0: .member(LeafIndex(u32()))
        case 1: .external(senderIndex: u32())
        case 2: .newMemberProposal
        default: .newMemberCommit
        }
    }
    mutating func content() -> Content {
        switch int(0...2) {
        case 0: .application(bytes())
        case 1: .proposal(proposal())
        default: .commit(commit())
        }
    }
    mutating func framedContent() -> FramedContent {
        FramedContent(groupID: bytes(), epoch: u64(), sender: sender(), authenticatedData: bytes(), content: content())
    }
    mutating func groupContext() -> GroupContext {
        GroupContext(cipherSuite: CipherSuite(rawValue: UInt16(int(1...7))), groupID: bytes(), epoch: u64(), treeHash: bytes(),
                     confirmedTranscriptHash: bytes(), extensions: extensions())
    }
    mutating func groupInfo() -> GroupInfo {
        GroupInfo(groupContext: groupContext(), extensions: extensions(), confirmationTag: bytes(), signer: LeafIndex(u32()), signature: bytes())
    }
    mutating func welcome() -> Welcome {
        Welcome(cipherSuite: CipherSuite(rawValue: 1), secrets: array(3) { a in
            EncryptedGroupSecrets(newMember: a.bytes(), encryptedGroupSecrets: HPKECiphertext(kemOutput: a.bytes(), ciphertext: a.bytes()))
        }, encryptedGroupInfo: bytes())
    }
    mutating func publicMessage() -> PublicMessage {
        let content = framedContent()
        let tag: [UInt8]? = content.content.type == .commit ? bytes() : nil
        let membership: [UInt8]? = if case .member = content.sender { bytes() } else { nil }
        return PublicMessage(content: content, auth: FramedContentAuthData(signature: bytes(), confirmationTag: tag), membershipTag: membership)
    }
    mutating func privateMessage() -> PrivateMessage {
        PrivateMessage(groupID: bytes(), epoch: u64(), contentType: [.application, .proposal, .commit][int(0...2)],
                       authenticatedData: bytes(), encryptedSenderData: bytes(), ciphertext: bytes())
    }
    mutating func mlsMessage() -> MLSMessage {
        switch int(0...4) {
        case 0: .publicMessage(publicMessage())
        case 1: .privateMessage(privateMessage())
        case 2: .welcome(welcome())
        case 3: .groupInfo(groupInfo())
        default: .keyPackage(keyPackage())
        }
    }
    mutating func ratchetTree() -> RatchetTreeNodes {
        RatchetTreeNodes(array(5) { a in
            a.optional { b in
                b.bool() ? .leaf(b.leafNode())
                    : .parent(ParentNode(encryptionKey: HPKEPublicKey(b.bytes()), parentHash: b.bytes(), unmergedLeaves: b.array(3) { LeafIndex($0.u32()) }))
            }
        })
    }
    mutating func groupSecrets() -> GroupSecrets {
        GroupSecrets(joinerSecret: SecretBytes(bytes()), pathSecret: optional { SecretBytes($0.bytes()) }, psks: array(3) { $0.pskID() })
    }
}
