import Foundation
@testable import IsnadKit
import Testing

@Suite("Invites and safety numbers")
struct InviteTests {
    let invite = Invite(relay: "http://127.0.0.1:7420", identityKey: Data((0..<32).map { UInt8($0) }), secret: Data(repeating: 0xAB, count: 16))

    @Test("an invite reads back from its URI and from its bare string")
    func roundTrip() throws {
        #expect(invite.string.hasPrefix("isnad://invite/"))
        #expect(try Invite(parsing: invite.string) == invite)
        #expect(try Invite(parsing: "  " + String(invite.string.dropFirst(Invite.scheme.count)) + "\n") == invite)
    }

    @Test("a changed character, a cut string or garbage is a bad invite", arguments: [0, 1, 2])
    func damaged(kind: Int) throws {
        var text = invite.string
        switch kind {
        case 0:
            var characters = Array(text)
            characters[30] = characters[30] == "A" ? "B" : "A"
            text = String(characters)
        case 1:
            text = String(text.dropLast(6))
        default:
            text = "isnad://invite/%%%"
        }
        #expect(performing: { try Invite(parsing: text) }, throws: { ($0 as? ClientError)?.code == .badInvite })
    }

    @Test("safety numbers: 60 digits, the same whichever side computes them, different for another key")
    func safetyNumbers() {
        let a = Data(repeating: 1, count: 32), b = Data(repeating: 2, count: 32), c = Data(repeating: 3, count: 32)
        let ab = SafetyNumber(a, b)
        #expect(ab.digits.count == 60 && ab.digits.allSatisfy(\.isNumber))
        #expect(ab == SafetyNumber(b, a))
        #expect(ab != SafetyNumber(a, c))
        #expect(ab.grouped.split(separator: "\n").count == 3 && ab.grouped.split(separator: "\n").allSatisfy { $0.split(separator: " ").count == 4 })
    }
}
