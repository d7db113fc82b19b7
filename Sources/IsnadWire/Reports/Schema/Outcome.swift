/// What happened to people: used for counts and for each named victim.
///
/// JSON uses the snake_case names; the binary encoding uses the codes (docs/reports.md, "Values").
public enum Outcome: String, Codable, Sendable, Hashable, CaseIterable {
    /// Killed.
    case killed
    /// Injured.
    case injured
    /// Arrested or detained.
    case detained
    /// Disappeared; fate unknown.
    case disappeared
    /// Defected from armed or security forces.
    case defected
    /// Forced from their home.
    case displaced
}

extension Outcome: WireEnumeration {
    /// The one-octet code of docs/reports.md ("Values"), also used in tally snapshots.
    package var code: UInt8 {
        switch self {
        case .killed: 1
        case .injured: 2
        case .detained: 3
        case .disappeared: 4
        case .defected: 5
        case .displaced: 6
        }
    }
}
