import Foundation
import IsnadStore
import Testing

@Suite("UUID text form")
struct UUIDTextTests {
    @Test("parses and prints what Foundation parses and prints, in either case")
    func agreesWithFoundation() {
        for _ in 0..<2000 {
            let uuid = UUID()
            let upper = uuid.uuidString
            #expect(uuid.lowercasedText == upper.lowercased())
            #expect(UUID(canonical: upper) == uuid)
            #expect(UUID(canonical: upper.lowercased()) == uuid)
            let mixed = String(upper.enumerated().map { $0.offset.isMultiple(of: 2) ? Character($0.element.lowercased()) : $0.element })
            #expect(UUID(canonical: mixed) == uuid)
        }
    }

    @Test("refuses what is not exactly 8-4-4-4-12 hex digits", arguments: [
        "", "00000000-0000-0000-0000-00000000000", "00000000-0000-0000-0000-0000000000000",
        "00000000x0000-0000-0000-000000000000", "0000000-00000-0000-0000-000000000000",
        "g0000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-00000000000G",
        " 0000000-0000-0000-0000-000000000000", "+0000000-0000-0000-0000-000000000000",
        "0 000000-0000-0000-0000-000000000000", "{0000000-0000-0000-0000-00000000000}",
        "00000000-0000-0000-0000-0000000000é", "000000000000000000000000000000000000",
    ])
    func refuses(_ text: String) {
        #expect(UUID(canonical: text) == nil)
    }

    @Test("never accepts what Foundation refuses, nor reads a UUID differently (mutated inputs)")
    func neverLooserThanFoundation() {
        let alphabet = Array("0123456789abcdefABCDEF-gxz +{}é\u{0}")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            var characters = Array(UUID().uuidString)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                characters[Int.random(in: 0..<characters.count, using: &generator)] = alphabet.randomElement(using: &generator)!
            }
            let text = String(characters)
            if let ours = UUID(canonical: text) {
                #expect(UUID(uuidString: text) == ours, "\(text)")
            }
        }
    }

    @Test("device IDs sort as their text forms do")
    func deviceOrder() {
        for _ in 0..<2000 {
            let a = DeviceID.random(), b = DeviceID.random()
            #expect((a < b) == (a.description < b.description))
            #expect(!(a < a))
        }
    }
}
