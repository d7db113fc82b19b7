import Foundation
import IsnadWire

/// The period a figure covers: a UTC day, or a month when the reports know no better, or unknown.
/// Ordered: days chronologically, then months, then unknown.
public enum TallyPeriod: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01 (UTC).
    case day(Int64)
    /// A calendar month (UTC).
    case month(year: Int, month: Int)
    /// The reports give no usable date.
    case unknown

    /// The period of a report time: its day, or its month for month precision.
    public init(_ time: ReportTime) {
        if let day = DayNumber.day(of: time) {
            self = .day(day)
        } else if time.precision == .month, let seconds = time.secondsSinceEpoch {
            let parts = Self.calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            self = .month(year: parts.year ?? 0, month: parts.month ?? 0)
        } else {
            self = .unknown
        }
    }

    /// ISO 8601: `2025-11-20`, `2025-11`, or empty for unknown.
    public var text: String {
        switch self {
        case .day(let day):
            return Date(timeIntervalSince1970: TimeInterval(day) * 86_400).formatted(.iso8601.year().month().day())
        case .month(let year, let month):
            return String(format: "%04d-%02d", year, month)
        case .unknown:
            return ""
        }
    }

    public static func < (a: TallyPeriod, b: TallyPeriod) -> Bool {
        switch (a, b) {
        case (.day(let x), .day(let y)): x < y
        case (.month(let y1, let m1), .month(let y2, let m2)): (y1, m1) < (y2, m2)
        case (.day, _): true
        case (.month, .unknown): true
        default: false
        }
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()
}
