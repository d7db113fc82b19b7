import Testing
@testable import IsnadTransparency

// Known answers from two independent sources (test data only):
//  - golang.org/x/mod, sumdb/note/note_test.go (commit 02c99138): PeterNeumann and EnochRoot keys,
//    the Peter Neumann quote and its signatures.
//  - c2sp.org/signed-note, "Verifier keys / Example": the example.com/foo key and note.
enum NoteVectors {
    static let peterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let enochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSig = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSig = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    static let c2spVerifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    static let c2spNote = """
        This is an example message.

        \u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=

        """
}

@Suite("C2SP signed notes")
struct SignedNoteTests {
    @Test("verifier and signer keys parse, agree on the key ID and re-encode identically")
    func keys() throws {
        let peter = try NoteVerifier(verifierKey: NoteVectors.peterVerifierKey)
        #expect(peter.name == "PeterNeumann")
        #expect(peter.keyID == 0xc74f20a3)
        #expect(peter.verifierKey == NoteVectors.peterVerifierKey)
        let signer = try NoteSigner(signerKey: NoteVectors.peterSignerKey)
        #expect(signer.keyID == 0xc74f20a3)
        #expect(signer.verifier == peter)
        #expect(signer.signerKey == NoteVectors.peterSignerKey)
        let example = try NoteVerifier(verifierKey: NoteVectors.c2spVerifierKey)
        #expect(example.keyID == 0x530d903a)
    }

    @Test("every truncation and every one-character change of a key is rejected")
    func keyManglings() {
        for key in [NoteVectors.peterVerifierKey, NoteVectors.peterSignerKey] {
            let isVerifier = !key.hasPrefix("PRIVATE")
            func parses(_ candidate: String) -> Bool {
                isVerifier ? (try? NoteVerifier(verifierKey: candidate)) != nil : (try? NoteSigner(signerKey: candidate)) != nil
            }
            #expect(parses(key))
            let bytes = Array(key.utf8)
            for i in 0...bytes.count {
                for j in (i + 1)...max(i + 1, bytes.count) where j <= bytes.count && !(i == 0 && j == bytes.count) {
                    #expect(!parses(String(decoding: bytes[i..<j], as: UTF8.self)))
                }
            }
            for i in bytes.indices {
                var changed = bytes
                changed[i] &+= 1
                #expect(!parses(String(decoding: changed, as: UTF8.self)), "changed byte \(i)")
            }
        }
        // From note_test.go: a wrong-length key and an unknown algorithm, both with adjusted key IDs.
        expectCode(.malformedVerifierKey) {
            _ = try NoteVerifier(verifierKey: "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
        }
        expectCode(.unsupportedSignatureType) {
            _ = try NoteVerifier(verifierKey: "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
        expectCode(.keyIDMismatch) {
            _ = try NoteVerifier(verifierKey: "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    @Test("signing the Go test text reproduces the published signature line")
    func signKnownAnswer() throws {
        let signer = try NoteSigner(signerKey: NoteVectors.peterSignerKey)
        let note = try SignedNote(text: NoteVectors.text, signers: [signer])
        // Ed25519 (RFC 8032) is deterministic, so the exact bytes are reproducible.
        #expect(note.encoded == NoteVectors.text + "\n" + NoteVectors.peterSig)
        _ = try note.verify(with: [signer.verifier])
    }

    @Test("the C2SP example note verifies with the C2SP example key")
    func c2spExample() throws {
        let note = try SignedNote(parsing: NoteVectors.c2spNote)
        #expect(note.text == "This is an example message.\n")
        #expect(note.encoded == NoteVectors.c2spNote)
        let verified = try note.verify(with: [try NoteVerifier(verifierKey: NoteVectors.c2spVerifierKey)])
        #expect(verified.verifiedSignatures.count == 1)
    }

    @Test("unknown signatures are ignored, known ones verified, none known is rejected")
    func openWithVerifierLists() throws {
        let peter = try NoteVerifier(verifierKey: NoteVectors.peterVerifierKey)
        let enoch = try NoteVerifier(verifierKey: NoteVectors.enochVerifierKey)
        let note = try SignedNote(parsing: NoteVectors.text + "\n" + NoteVectors.peterSig + NoteVectors.enochSig)
        #expect(note.text == NoteVectors.text)
        let one = try note.verify(with: [peter])
        #expect(one.verifiedSignatures.map(\.keyName) == ["PeterNeumann"])
        #expect(one.unverifiedSignatures.map(\.keyName) == ["EnochRoot"])
        let both = try note.verify(with: [peter, enoch, enoch])
        #expect(both.verifiedSignatures.map(\.keyID) == [0xc74f20a3, 0xaf0cfe78])
        #expect(both.unverifiedSignatures.isEmpty)
        expectCode(.noVerifiedSignature) { _ = try note.verify(with: []) }
        // Same name, different key ID (and the reverse) are unknown keys, not failures.
        let otherPeter = try NoteSigner.generate(name: "PeterNeumann").verifier
        expectCode(.noVerifiedSignature) { _ = try note.verify(with: [otherPeter]) }
    }

    @Test("a corrupted signature from a known key rejects the note")
    func invalidSignature() throws {
        let peter = try NoteVerifier(verifierKey: NoteVectors.peterVerifierKey)
        let sig = NoteVectors.peterSig
        let cut = sig.index(sig.startIndex, offsetBy: 60)
        let corrupted = String(sig[..<cut]) + "ABCD" + String(sig[cut...])
        let note = try SignedNote(parsing: NoteVectors.text + "\n" + corrupted)
        expectCode(.invalidSignature) { _ = try note.verify(with: [peter]) }
        // Flip one bit of the signed text instead.
        let altered = try SignedNote(parsing: NoteVectors.text.replacingOccurrences(of: "problem,", with: "problem;") + "\n" + sig)
        expectCode(.invalidSignature) { _ = try altered.verify(with: [peter]) }
    }

    @Test("two different trusted keys with the same name and key ID are ambiguous")
    func ambiguous() throws {
        let peter = try NoteVerifier(verifierKey: NoteVectors.peterVerifierKey)
        let other = try NoteSigner.generate(name: "PeterNeumann").verifier
        let impostor = NoteVerifier(name: "PeterNeumann", collidingKeyID: peter.keyID, publicKey: other.publicKey)
        let note = try SignedNote(parsing: NoteVectors.text + "\n" + NoteVectors.peterSig)
        _ = try note.verify(with: [peter, peter])
        expectCode(.ambiguousKey) { _ = try note.verify(with: [peter, impostor]) }
        // An impostor alone (same name and ID, wrong key) makes the signature fail, never pass.
        expectCode(.invalidSignature) { _ = try note.verify(with: [impostor]) }
    }

    @Test("malformed notes are rejected with malformedNote")
    func malformed() {
        let text = NoteVectors.text
        let sig = NoteVectors.peterSig
        let bad = [
            text,
            text + "\n",
            text + "\n" + String(sig.dropLast()),
            "\u{01}" + text + "\n" + sig,
            text + "\n" + "\u{2014} Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            text + "\n" + sig + "Unexpected line.\n",
            text + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            text + "\n" + "\u{2014} Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            text + "\n" + "\u{2014} PeterNeumann x08go\n",
            text + "\n" + String(repeating: sig, count: 101),
        ]
        for note in bad { expectCode(.malformedNote) { _ = try SignedNote(parsing: note) } }
        expectCode(.malformedNote) { _ = try SignedNote(parsing: [0xff] + Array((text + "\n" + sig).utf8)) }
        expectCode(.malformedNote) { _ = try SignedNote(text: "no newline", signatures: []) }
        expectCode(.invalidKeyName) { _ = try NoteSigner.generate(name: "has space") }
        expectCode(.invalidKeyName) { _ = try NoteSigner.generate(name: "") }
    }

    @Test("signing replaces an earlier signature by the same key; blank lines in text round-trip")
    func signAndRoundTrip() throws {
        let signer = try NoteSigner.generate(name: "isnad.example/log")
        let witness = try NoteSigner.generate(name: "witness.example")
        let text = "first\n\nthird after a blank line\n\n"
        var note = try SignedNote(text: text, signers: [signer, witness])
        try note.addSignature(by: signer)
        #expect(note.signatures.count == 2)
        let parsed = try SignedNote(parsing: note.encoded)
        #expect(parsed == note)
        #expect(parsed.text == text)
        let verified = try parsed.verify(with: [signer.verifier, witness.verifier])
        #expect(verified.verifiedSignatures.count == 2)
        // Sixteen signatures must be accepted (c2sp.org/signed-note, Format).
        let signers = try (0..<16).map { i throws(TransparencyError) in try NoteSigner.generate(name: "w\(i).example") }
        let many = try SignedNote(parsing: try SignedNote(text: text, signers: signers).encoded)
        #expect(try many.verify(with: signers.map(\.verifier)).verifiedSignatures.count == 16)
    }
}

@Suite("signer keys stay secret")
struct NoteSignerRedactionTests {
    @Test("description, debugDescription and dump never contain the key")
    func redaction() throws {
        let signer = try NoteSigner(signerKey: NoteVectors.peterSignerKey)
        let seedBase64 = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
        var dumped = ""
        dump(signer, to: &dumped)
        for text in ["\(signer)", String(reflecting: signer), dumped] {
            #expect(!text.contains(seedBase64))
            #expect(!text.contains("privateKey"))
            #expect(!text.contains("PRIVATE"))
        }
        #expect("\(signer)" == "NoteSigner(PeterNeumann+c74f20a3)")
    }
}
