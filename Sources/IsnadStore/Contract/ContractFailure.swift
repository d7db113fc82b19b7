/// A storage engine broke a rule of ``RelayStoreContract``.
///
/// The checks live in this library (not in a test target) so that every engine's test target
/// runs the same ones; a failed check throws this, which fails the calling test.
public struct ContractFailure: Error, CustomStringConvertible {
    /// The rule that was broken, and where.
    public var description: String
}

/// Throws a ``ContractFailure`` unless `condition` holds.
func expect(
    _ condition: Bool, _ rule: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) throws {
    guard condition else {
        throw ContractFailure(description: "\(rule()) (\(file):\(line))")
    }
}

/// Runs `body` and throws unless it throws a ``StoreError`` with `code`.
func expectStoreError<T>(
    _ code: StoreError.Code, _ rule: String,
    file: StaticString = #fileID, line: UInt = #line,
    _ body: () async throws -> T
) async throws {
    do {
        _ = try await body()
    } catch let error as StoreError {
        try expect(error.code == code, "\(rule): expected \(code), got \(error.code)", file: file, line: line)
        return
    }
    throw ContractFailure(description: "\(rule): expected \(code), nothing thrown (\(file):\(line))")
}
