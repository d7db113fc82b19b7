import Foundation
@testable import IsnadRelay
import IsnadStore
import IsnadWire
import NIOCore
import Testing

/// `POST /v1/messages` reads the plain body in place, without strings (``MessageRoutes/Send/flat(_:maxRecipients:maxPayload:)``),
/// and every other body through `JSONDecoder` and ``WireParsing``. Whenever the quick way
/// answers, the slow way must answer the same; bodies clients send must take the quick way; and a
/// body that breaks a rule must be left to the slow way, which words the error.
@Suite("Send body reader")
struct SendBodyTests {
    static let maxRecipients = 3, maxPayload = 300

    /// What reading a body came to: its checked fields, or the refusal's code and sentence.
    enum Outcome: Equatable {
        case checked(MessageRoutes.Send.Checked)
        case refused(code: String, message: String)

        init(_ body: () throws -> MessageRoutes.Send.Checked) {
            do {
                self = .checked(try body())
            } catch let error as RelayError {
                self = .refused(code: error.code.rawValue, message: error.message)
            } catch {
                self = .refused(code: "not a RelayError", message: "\(error)")
            }
        }
    }

    /// The slow way alone: `JSONDecoder`, then the checks in the order the route makes them.
    static func slow(_ text: String) -> Outcome {
        Outcome {
            let body = try JSONBody.decode(MessageRoutes.Send.self, from: ByteBuffer(string: text))
            let messageID = try WireParsing.messageID(body.messageID)
            let recipients = try WireParsing.deviceIDs(body.recipients, field: "recipients", max: maxRecipients)
            guard !recipients.isEmpty else { throw RelayError(.malformedRequest, "`recipients` names no device.") }
            return .init(messageID: messageID, recipients: recipients, payload: try WireParsing.bytes(body.payload, field: "payload", max: maxPayload))
        }
    }

    static func quick(_ text: String) -> MessageRoutes.Send.Checked? {
        MessageRoutes.Send.flat(ByteBuffer(string: text), maxRecipients: maxRecipients, maxPayload: maxPayload)
    }

    static func read(_ text: String) -> Outcome {
        Outcome { try MessageRoutes.Send.read(ByteBuffer(string: text), maxRecipients: maxRecipients, maxPayload: maxPayload) }
    }

    static func body(messageID: String = UUID().uuidString, recipients: [String] = [UUID().uuidString.lowercased()],
                     payload: String = Base64URL(Data((0..<100).map { _ in .random(in: 0...255) })).text, spacing: Bool = false) -> String {
        let s = spacing ? " \n" : ""
        let fields = ["\"message_id\"\(s):\"\(messageID)\"", "\"recipients\":\(s)[\(recipients.map { "\"\($0)\"" }.joined(separator: ",\(s)"))]",
                      "\"payload\":\"\(payload)\""].shuffled()
        return s + "{" + fields.joined(separator: "," + s) + "}" + s
    }

    @Test("the bodies clients send take the quick way and read as the slow way reads them")
    func plainBodies() throws {
        for round in 0..<500 {
            let recipients = (0..<Int.random(in: 1...Self.maxRecipients)).map { _ in round.isMultiple(of: 2) ? UUID().uuidString : UUID().uuidString.lowercased() }
            let text = Self.body(recipients: recipients, payload: Base64URL(Data((0..<Int.random(in: 1...Self.maxPayload)).map { _ in .random(in: 0...255) })).text,
                                 spacing: round.isMultiple(of: 3))
            let quick = try #require(Self.quick(text), "\(text)")
            #expect(.checked(quick) == Self.slow(text), "\(text)")
        }
    }

    @Test("a body that breaks a rule is left to the slow way, whose error the route answers", arguments: [
        body(messageID: "x"), body(messageID: ""), body(recipients: ["x"]), body(recipients: []),
        body(recipients: (0..<4).map { _ in UUID().uuidString }), body(payload: ""), body(payload: "A"), body(payload: "AB"),
        body(payload: "AA=="), body(payload: Base64URL(Data(count: 301)).text), body(payload: "AA+/"),
        #"{"message_id":"\#(UUID())","recipients":["\#(UUID())"],"payload":"AA","payload":"AA"}"#,
        #"{"message_id":"\#(UUID())","recipients":["\#(UUID())"]}"#,
        #"{"message_id":"\#(UUID())","recipients":["\#(UUID())"],"payload":"AA","note":"x"}"#,
        #"{"message_id":"\#(UUID())","recipients":"\#(UUID())","payload":"AA"}"#,
        #"{"message_id":["\#(UUID())"],"recipients":["\#(UUID())"],"payload":"AA"}"#,
        #"{"message_id":"\#(UUID())","recipients":["\#(UUID())"],"payload":["AA"]}"#,
    ])
    func brokenRules(_ text: String) {
        #expect(Self.quick(text) == nil, "\(text)")
        #expect(Self.read(text) == Self.slow(text), "\(text)")
    }

    @Test("mutated bodies: whenever the quick way answers, the slow way answers the same")
    func mutations() {
        let alphabet = Array("{}[]\",: \\\nab0-AQ_".unicodeScalars)
        var answered = 0
        for _ in 0..<5000 {
            var scalars = Array(Self.body(payload: "AQID").unicodeScalars)
            for _ in 0..<Int.random(in: 1...2) {
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
                #expect(.checked(quick) == Self.slow(text), "\(text)")
            }
            #expect(Self.read(text) == Self.slow(text), "\(text)")
        }
        #expect(answered > 100, "some mutations stay inside the plain form (\(answered))")
    }
}

