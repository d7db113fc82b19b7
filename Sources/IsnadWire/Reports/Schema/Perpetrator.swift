/// The party the reporter alleges is responsible, from a fixed list; unknown when not known.
///
/// JSON uses the snake_case names; the binary encoding uses the codes (docs/reports.md, "Values").
public enum Perpetrator: String, Codable, Sendable, Hashable, CaseIterable {
    /// State armed forces, security services and police.
    case governmentForces = "government_forces"
    /// Militias fighting for or alongside the government.
    case progovernmentMilitia = "progovernment_militia"
    /// Non-state armed groups fighting the government.
    case armedOpposition = "armed_opposition"
    /// Groups designated as terrorist by the UN Security Council.
    case extremistGroup = "extremist_group"
    /// The armed forces of another state or an international coalition.
    case foreignForces = "foreign_forces"
    /// Another party; name it in the narrative.
    case other
    /// Not known. Never guessed.
    case unknown
}

extension Perpetrator: WireEnumeration {
    var code: UInt8 {
        switch self {
        case .governmentForces: 1
        case .progovernmentMilitia: 2
        case .armedOpposition: 3
        case .extremistGroup: 4
        case .foreignForces: 5
        case .other: 6
        case .unknown: 7
        }
    }
}
