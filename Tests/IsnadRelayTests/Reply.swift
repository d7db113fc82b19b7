import Foundation
import HTTPTypes
import IsnadRelay
import Testing

/// A decoded response.
struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    /// Checks this is an RFC 9457 problem with the given status and code.
    func expectProblem(_ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try? JSONDecoder().decode(ProblemDetails.self, from: body)
        #expect(problem?.code == code, "body: \(String(decoding: body, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(problem?.status == status.code, sourceLocation: sourceLocation)
        #expect(problem?.type == "urn:isnad:problem:\(code)", sourceLocation: sourceLocation)
        #expect(problem?.detail.isEmpty == false, sourceLocation: sourceLocation)
    }
}

/// Whether two byte strings are equal. For large ones use this rather than `#expect(a == b)`:
/// on a failure Swift Testing computes a diff of the two collections, which for megabytes of
/// random bytes runs for many minutes instead of failing.
func sameBytes(_ first: Data, _ second: some Collection<UInt8>) -> Bool {
    first.count == second.count && first.elementsEqual(second)
}
