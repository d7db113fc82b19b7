/// A point in time with the precision the reporter actually knows (docs/reports.md, "Times").
///
/// The instant is seconds since 1970-01-01T00:00:00Z (UTC, no leap seconds). It is absent exactly
/// when the precision is ``TimePrecision/unknown``; for ``TimePrecision/day`` it is midnight UTC of
/// that day and for ``TimePrecision/month`` midnight UTC of the month's first day, so that one
/// meaning has one encoding.
///
/// JSON: `{"precision": "day", "value": "2026-11-20"}`; the value is `YYYY-MM-DDTHH:MM:SSZ` for
/// `exact` and `approximate`, `YYYY-MM-DD` for `day`, `YYYY-MM` for `month`, absent for `unknown`.
public struct ReportTime: Hashable, Sendable {
    /// How precisely the time is known.
    public var precision: TimePrecision
    /// Seconds since the Unix epoch, UTC; `nil` exactly when ``precision`` is `unknown`.
    public var secondsSinceEpoch: Int64?

    /// The earliest instant a report may carry: 1900-01-01T00:00:00Z.
    public static let earliest: Int64 = -2_208_988_800
    /// One past the latest instant a report may carry: 10000-01-01T00:00:00Z.
    public static let end: Int64 = 253_402_300_800

    /// A time that is not known.
    public static let unknown = ReportTime(precision: .unknown, secondsSinceEpoch: nil)

    /// Creates a time; ``validate(field:)`` checks that precision and instant agree.
    /// - Parameters:
    ///   - precision: how precisely the time is known.
    ///   - secondsSinceEpoch: the instant, UTC; `nil` for an unknown time.
    public init(precision: TimePrecision, secondsSinceEpoch: Int64?) {
        self.precision = precision
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// Checks the schema rules of docs/reports.md, "Times".
    /// - Parameter field: the field name used in errors.
    /// - Throws: ``WireError/Code/schemaViolation``.
    public func validate(field: String) throws(WireError) {
        guard let seconds = secondsSinceEpoch else {
            guard precision == .unknown else {
                throw WireError.schema(field, "a time with precision '\(precision.rawValue)' needs a value")
            }
            return
        }
        guard precision != .unknown else {
            throw WireError.schema(field, "a time with precision 'unknown' must not have a value")
        }
        guard seconds >= Self.earliest, seconds < Self.end else {
            throw WireError.schema(field, "the time must lie between the years 1900 and 9999")
        }
        let civil = CivilTime(secondsSinceEpoch: seconds)
        switch precision {
        case .day where !civil.isMidnight:
            throw WireError.schema(field, "a time with precision 'day' is midnight UTC of that day")
        case .month where !civil.isMidnight || civil.day != 1:
            throw WireError.schema(field, "a time with precision 'month' is midnight UTC of the month's first day")
        default:
            break
        }
    }

    /// Whether the earliest instant the time can denote lies after `now`.
    func isAfter(_ now: Int64) -> Bool {
        guard let secondsSinceEpoch else { return false }
        return secondsSinceEpoch > now
    }
}
