extension ReportTime {
    /// The JSON text of the instant for the time's precision, or `nil` for an unknown time.
    var text: String? {
        guard let secondsSinceEpoch else { return nil }
        let c = CivilTime(secondsSinceEpoch: secondsSinceEpoch)
        let date = "\(Self.pad(c.year, 4))-\(Self.pad(c.month, 2))"
        switch precision {
        case .month: return date
        case .day: return date + "-\(Self.pad(c.day, 2))"
        case .exact, .approximate, .unknown:
            return date + "-\(Self.pad(c.day, 2))T\(Self.pad(c.hour, 2)):\(Self.pad(c.minute, 2)):\(Self.pad(c.second, 2))Z"
        }
    }

    /// Parses the JSON text of an instant in the exact form its precision requires.
    /// - Returns: Unix seconds, or `nil` if the text does not have that form or names no real date.
    static func parse(_ text: String, precision: TimePrecision) -> Int64? {
        let u = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= u.count else { return nil }
            var value: Int64 = 0
            for i in range {
                guard (0x30...0x39).contains(u[i]) else { return nil }
                value = value * 10 + Int64(u[i] - 0x30)
            }
            return value
        }
        func char(_ i: Int, _ c: Character) -> Bool { i < u.count && u[i] == c.asciiValue }
        guard let year = number(0..<4), char(4, "-"), let month = number(5..<7) else { return nil }
        var civil = CivilTime(year: year, month: month, day: 1)
        switch precision {
        case .unknown:
            return nil
        case .month:
            guard u.count == 7 else { return nil }
        case .day:
            guard u.count == 10, char(7, "-"), let day = number(8..<10) else { return nil }
            civil.day = day
        case .exact, .approximate:
            guard u.count == 20, char(7, "-"), char(10, "T"), char(13, ":"), char(16, ":"), char(19, "Z"),
                  let day = number(8..<10), let hour = number(11..<13), let minute = number(14..<16),
                  let second = number(17..<19)
            else { return nil }
            (civil.day, civil.hour, civil.minute, civil.second) = (day, hour, minute, second)
        }
        return civil.secondsSinceEpoch
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
