/// What happened, as the reporter classifies it.
///
/// JSON uses the snake_case names; the binary encoding uses the codes (docs/reports.md, "Values").
public enum IncidentType: String, Codable, Sendable, Hashable, CaseIterable {
    /// People were killed.
    case killed
    /// People were injured.
    case injured
    /// People were arrested or detained.
    case detained
    /// People disappeared; their fate is unknown.
    case disappeared
    /// Artillery, mortar or rocket fire.
    case shelling
    /// An air or drone strike.
    case airStrike = "air_strike"
    /// Fighting between armed parties.
    case clash
    /// Members of armed or security forces defected.
    case defection
    /// People were forced from their homes.
    case displacement
    /// Anything else; describe it in the narrative.
    case other
}

extension IncidentType: WireEnumeration {
    var code: UInt8 {
        switch self {
        case .killed: 1
        case .injured: 2
        case .detained: 3
        case .disappeared: 4
        case .shelling: 5
        case .airStrike: 6
        case .clash: 7
        case .defection: 8
        case .displacement: 9
        case .other: 10
        }
    }
}
