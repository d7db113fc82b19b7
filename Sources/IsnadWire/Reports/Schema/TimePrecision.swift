/// How precisely a ReportTime is known.
///
/// JSON uses the snake_case names; the binary encoding uses the codes (docs/reports.md, "Values").
public enum TimePrecision: String, Codable, Sendable, Hashable, CaseIterable {
    /// Known to the second (or to the minute with zero seconds).
    case exact
    /// Known to the calendar day (UTC).
    case day
    /// Known to the calendar month (UTC).
    case month
    /// Around the given instant; the reporter is unsure.
    case approximate
    /// Not known; no instant is given.
    case unknown
}

extension TimePrecision: WireEnumeration {
    var code: UInt8 {
        switch self {
        case .exact: 1
        case .day: 2
        case .month: 3
        case .approximate: 4
        case .unknown: 5
        }
    }
}
