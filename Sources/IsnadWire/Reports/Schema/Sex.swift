/// A person's sex as reported.
///
/// JSON uses the snake_case names; the binary encoding uses the codes (docs/reports.md, "Values").
public enum Sex: String, Codable, Sendable, Hashable, CaseIterable {
    /// Female.
    case female
    /// Male.
    case male
}

extension Sex: WireEnumeration {
    var code: UInt8 {
        switch self {
        case .female: 1
        case .male: 2
        }
    }
}
