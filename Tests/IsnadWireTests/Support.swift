import Foundation
import IsnadWire
import Testing

/// Expects `body` to throw a ``WireError`` with `code` (and `field`, if given).
func expectWireError(
    _ code: WireError.Code, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as WireError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let field { #expect(error.field == field, "\(error)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("expected a WireError, got \(type(of: error))", sourceLocation: sourceLocation)
    }
}

/// Test clock: 2026-11-27T00:00:00Z.
let testNow = Date(timeIntervalSince1970: 1_795_737_600)

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
