/// The role of a person in the conflict, as counted and as recorded for named victims.
///
/// JSON uses the snake_case names; the binary encoding uses the codes (docs/reports.md, "Values").
public enum PersonCategory: String, Codable, Sendable, Hashable, CaseIterable {
    /// Not taking part in hostilities.
    case civilian
    /// A member of a non-state armed group.
    case combatant
    /// A member of state armed or security forces.
    case soldier
    /// A former member of state forces who defected.
    case defector
}

extension PersonCategory: WireEnumeration {
    var code: UInt8 {
        switch self {
        case .civilian: 1
        case .combatant: 2
        case .soldier: 3
        case .defector: 4
        }
    }
}
