import Foundation
import IsnadWire
import Testing

/// `Base64URL` against Foundation's independent base64 codec (RFC 4648 §4), with the alphabet
/// swapped as §5 says and the padding removed, plus the spellings it must refuse.
@Suite struct Base64URLTests {
    /// Foundation's encoding turned into unpadded base64url: the reference.
    static func reference(_ bytes: Data) -> String {
        String(bytes.base64EncodedString().compactMap { character -> Character? in
            switch character {
            case "+": "-"
            case "/": "_"
            case "=": nil
            default: character
            }
        })
    }

    @Test func rfc4648Vectors() {
        // RFC 4648 §10, without padding.
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64URL(Data(plain.utf8)).text == encoded)
            #expect(Base64URL(text: encoded)?.data == Data(plain.utf8))
        }
        // The two symbols that differ from base64: 0xfb 0xff → "-_8" (base64 "+/8=").
        #expect(Base64URL(Data([0xFB, 0xFF])).text == "-_8")
        #expect(Base64URL(text: "-_8")?.data == Data([0xFB, 0xFF]))
    }

    @Test func agreesWithFoundationOnRandomBytes() throws {
        var g = SeededGenerator(seed: 0xB64)
        for length in 0..<300 {
            let bytes = Data(g.bytes(length))
            let expected = Self.reference(bytes)
            #expect(Base64URL(bytes).text == expected, "length \(length)")
            #expect(Base64URL(text: expected)?.data == bytes, "length \(length)")
        }
    }

    @Test func refusesEverySpellingButTheCanonicalOne() {
        for text in ["Zg==", "Zm8=", "Zg=", "+/8", "/w", "Zm9v\n", " Zm9v", "Zm9v Yg", "Z", "Zm9vY", "Zh", "Zm9", "Zm9vYmF", "Zé", "Zm9v\u{0}"] {
            #expect(Base64URL(text: text) == nil, "\(text.debugDescription) must be refused")
        }
        // Every byte outside the alphabet, in each position of a quantum.
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for byte in UInt8(0)...UInt8(127) where !alphabet.contains(byte) {
            for position in 0..<4 {
                var quantum = Array("AAAA".utf8)
                quantum[position] = byte
                #expect(Base64URL(text: String(decoding: quantum, as: UTF8.self)) == nil, "byte \(byte) at \(position)")
            }
        }
    }

    @Test func jsonRoundTripAndTypedError() throws {
        let value = Base64URL(Data([0, 1, 2, 250, 251, 252, 253, 254, 255]))
        let json = try JSONEncoder().encode([value])
        #expect(String(decoding: json, as: UTF8.self) == #"["AAEC-vv8_f7_"]"#)
        #expect(try JSONDecoder().decode([Base64URL].self, from: json) == [value])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Base64URL].self, from: Data(#"["AAEC+vv8/f7/"]"#.utf8)) }
    }
}
