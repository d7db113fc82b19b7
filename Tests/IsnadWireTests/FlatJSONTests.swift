import Foundation
import IsnadWire
import Testing

/// The quick reader against `JSONDecoder`, which is the reference: whatever ``FlatJSON`` reads,
/// `JSONDecoder` must read the same way, and the bodies clients send must take the quick way.
@Suite("Flat JSON reader")
struct FlatJSONTests {
    static func quick(_ text: String) -> [String: FlatJSON.Value]? {
        Array(text.utf8).withUnsafeBytes(FlatJSON.object)
    }

    static func reference(_ text: String) -> [String: FlatJSON.Value]? {
        try? JSONDecoder().decode([String: FlatJSON.Value].self, from: Data(text.utf8))
    }

    static func randomBody() -> String {
        let space = ["", " ", "\n", "\t", " \r\n "]
        func s() -> String { space.randomElement()! }
        let recipients = (0..<Int.random(in: 0...4)).map { _ in "\(s())\"\(UUID().uuidString.lowercased())\"\(s())" }
        let payload = Base64URL(Data((0..<Int.random(in: 1...300)).map { _ in UInt8.random(in: 0...255) })).text
        let fields = ["\"message_id\"\(s()):\(s())\"\(UUID().uuidString)\"", "\"recipients\"\(s()):\(s())[\(recipients.joined(separator: ","))]",
                      "\"payload\"\(s()):\(s())\"\(payload)\""].shuffled()
        return s() + "{" + s() + fields.joined(separator: s() + "," + s()) + s() + "}" + s()
    }

    @Test("message bodies in every spacing and key order are read quickly, as JSONDecoder reads them")
    func messageBodies() throws {
        for _ in 0..<1000 {
            let body = Self.randomBody()
            let quick = try #require(Self.quick(body), "\(body)")
            #expect(quick == Self.reference(body), "\(body)")
            #expect(quick.count == 3)
        }
    }

    @Test("anything outside the plain subset is left to JSONDecoder", arguments: [
        "", " ", "[]", "\"a\"", "{", "}", "{\"a\":\"b\"", "{\"a\":\"b\",}", "{\"a\" \"b\"}", "{\"a\":\"b\"} x", "{\"a\":\"b\"}{}",
        "{\"a\":1}", "{\"a\":null}", "{\"a\":true}", "{\"a\":{}}", "{\"a\":[1]}", "{\"a\":[\"b\",]}", "{\"a\":[[]]}",
        "{\"a\":\"b\",\"a\":\"c\"}", "{\"a\\u0062\":\"c\"}", "{\"a\":\"b\\\"c\"}", "{\"a\":\"b\\/c\"}", "{\"a\":\"é\"}",
        "{\"a\":\"b\u{1}\"}", "{\"a\":\"b\u{7F}\"}", "\u{FEFF}{\"a\":\"b\"}", "{'a':'b'}", "{a:\"b\"}",
    ])
    func refusals(_ text: String) {
        #expect(Self.quick(text) == nil)
    }

    @Test("every byte, at every place in a long string, is read or left to JSONDecoder by the plain subset's rule, eight bytes at a time or one")
    func everyByteEverywhere() {
        // Long strings go through the eight-byte scan: a byte it let pass unread would be accepted
        // here where it must be refused (or, for `"`, would end the string somewhere else).
        for byte in UInt8(0)...UInt8(255) {
            let stops = byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte > 0x7E
            for place in 0..<24 {
                var body = Array(#"{"payload":""#.utf8) + Array(repeating: UInt8(ascii: "A"), count: 40)
                body[12 + place] = byte
                body += Array(#""}"#.utf8)
                let quick = body.withUnsafeBytes(FlatJSON.object)
                if stops {
                    #expect(quick == nil, "byte \(byte) at \(place)")
                } else {
                    let text = String(decoding: body[12..<52], as: UTF8.self)
                    #expect(quick == ["payload": .string(text)], "byte \(byte) at \(place)")
                }
            }
        }
    }

    @Test("an empty object and an empty array are read")
    func empties() {
        #expect(Self.quick("{}") == [:])
        #expect(Self.quick(" { \"a\" : [ ] } ") == ["a": .strings([])])
        #expect(Self.reference(" { \"a\" : [ ] } ") == ["a": .strings([])])
    }

    @Test("mutated bodies: whenever the quick reader answers, JSONDecoder answers the same")
    func mutations() {
        let alphabet = Array("{}[]\",: \\\nab0é\u{0}\u{1F}1-".unicodeScalars)
        var answered = 0
        for _ in 0..<5000 {
            var scalars = Array(Self.randomBody().unicodeScalars)
            for _ in 0..<Int.random(in: 1...3) {
                let at = Int.random(in: 0..<scalars.count)
                switch Int.random(in: 0..<3) {
                case 0: scalars[at] = alphabet.randomElement()!
                case 1: scalars.insert(alphabet.randomElement()!, at: at)
                default: scalars.remove(at: at)
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            if let quick = Self.quick(text) {
                answered += 1
                #expect(quick == Self.reference(text), "\(text)")
            }
        }
        #expect(answered > 100, "some mutations stay inside the subset (\(answered))")
    }

    @Test("RelayJSON.timestamp writes what the relay's JSONEncoder writes for a date")
    func timestamps() throws {
        let encoder = RelayJSON.makeEncoder()
        for seconds in [0, 1, 59.999, 951_782_400, 1_700_000_000.5, 4_102_444_799.999] + (0..<2000).map({ _ in Double.random(in: 0..<4_102_444_800) }) {
            let date = Date(timeIntervalSince1970: seconds)
            let encoded = try #require(String(data: try encoder.encode([date]), encoding: .utf8))
            #expect(encoded == "[\"\(RelayJSON.timestamp(date))\"]", "\(seconds)")
        }
    }
}
