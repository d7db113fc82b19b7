/// An age range, for counts and for victims whose exact age is not known.
///
/// JSON uses the snake_case names; the binary encoding uses the codes (docs/reports.md, "Values").
public enum AgeBand: String, Codable, Sendable, Hashable, CaseIterable {
    /// Under 18 years.
    case child
    /// 18 to 59 years.
    case adult
    /// 60 years or older.
    case elderly
}

extension AgeBand: WireEnumeration {
    var code: UInt8 {
        switch self {
        case .child: 1
        case .adult: 2
        case .elderly: 3
        }
    }
}
