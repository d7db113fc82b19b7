import Foundation
import IsnadWire

/// Which figures an export or a page shows, from query parameters (docs/dedup.md, "Exports"):
///
/// | parameter | value | repeatable |
/// |---|---|---|
/// | `from`, `to` | `YYYY-MM-DD`, inclusive (UTC days) | no |
/// | `governorate` | a code, or a name in any spelling the gazetteer knows | yes |
/// | `outcome` | `killed`, `injured`, `detained`, `disappeared`, `defected`, `displaced` | yes |
/// | `status` | the weakest status to show: `single_source`, `corroborated`, `verified_with_evidence` | no |
///
/// An unknown parameter, a repeated single parameter, a malformed or impossible date, `from`
/// after `to`, or an unknown outcome or status is an ``AnalysisError/Code/invalidFilter`` naming
/// the parameter; nothing is shown from a filter that does not parse.
public struct TallyFilter: Sendable {
    /// First and last UTC day shown; figures of a month overlap-test, figures without a date are
    /// shown only without a date bound.
    public var from: Int64?
    public var to: Int64?
    /// Folded governorate keys; empty shows every governorate.
    public var governorates: Set<String> = []
    /// Outcomes shown; empty shows all.
    public var outcomes: Set<Outcome> = []
    /// The weakest status shown.
    public var minimumStatus: TallyStatus = .singleSource

    /// A filter that shows everything.
    public init() {}

    /// Parses query parameters.
    /// - Parameters:
    ///   - query: name–value pairs in their order in the query string.
    ///   - gazetteer: resolves governorate names to keys.
    /// - Throws: ``AnalysisError/Code/invalidFilter``.
    public init(query: [(name: String, value: String)], gazetteer: Gazetteer = Gazetteer()) throws(AnalysisError) {
        var seen: Set<String> = []
        for (name, value) in query {
            func invalid(_ message: String) -> AnalysisError { AnalysisError(.invalidFilter, message, field: name) }
            if ["from", "to", "status"].contains(name) {
                guard seen.insert(name).inserted else { throw invalid("'\(name)' may be given once") }
            }
            switch name {
            case "from", "to":
                guard let day = Self.day(value) else { throw invalid("'\(name)' is a date as YYYY-MM-DD") }
                if name == "from" { from = day } else { to = day }
            case "governorate":
                let governorate = gazetteer.governorate(code: value) ?? gazetteer.governorate(value)
                guard governorate.isKnown else { throw invalid("'governorate' needs a name or a code") }
                governorates.insert(governorate.key)
            case "outcome":
                guard let outcome = Outcome(rawValue: value) else {
                    throw invalid("'outcome' is one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                outcomes.insert(outcome)
            case "status":
                guard let status = TallyStatus(rawValue: value) else {
                    throw invalid("'status' is one of \(TallyStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                minimumStatus = status
            default:
                throw invalid("unknown filter '\(name)'; the filters are from, to, governorate, outcome, status")
            }
        }
        if let from, let to, from > to {
            throw AnalysisError(.invalidFilter, "'from' is after 'to'", field: "from")
        }
    }

    /// Whether a figure passes the filter.
    public func matches(_ figure: TallyFigure) -> Bool {
        guard figure.status >= minimumStatus else { return false }
        guard outcomes.isEmpty || outcomes.contains(figure.outcome) else { return false }
        guard governorates.isEmpty || governorates.contains(figure.governorate.key) else { return false }
        guard from != nil || to != nil else { return true }
        guard let days = Self.days(of: figure.period) else { return false }
        return days.upperBound >= (from ?? .min) && days.lowerBound <= (to ?? .max)
    }

    /// The UTC days a period covers.
    static func days(of period: TallyPeriod) -> ClosedRange<Int64>? {
        switch period {
        case .day(let day): return day...day
        case .month(let year, let month):
            guard let first = day(String(format: "%04d-%02d-01", year, month)) else { return nil }
            let next = month == 12 ? day(String(format: "%04d-01-01", year + 1)) : day(String(format: "%04d-%02d-01", year, month + 1))
            return next.map { first...($0 - 1) }
        case .unknown: return nil
        }
    }

    /// A strict `YYYY-MM-DD` (years 1900–9999, real dates only) as a UTC day number.
    static func day(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]), (1900...9999).contains(year)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: dayOfMonth)) else { return nil }
        // Calendar rolls impossible dates over (31 April → 1 May); reject them.
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == dayOfMonth else { return nil }
        return Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }
}
