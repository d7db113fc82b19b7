/// One reason in a pair's score, shown to the person who decides an uncertain pair; the points
/// each adds or takes away are in docs/dedup.md, "Scoring".
public enum PairEvidence: Hashable, Sendable, CustomStringConvertible {
    /// How alike the names are (0…1, Jaro–Winkler on folded forms and skeletons).
    case nameSimilarity(Double)
    /// Both names have at least this many words (two or more: given and family name; three:
    /// with the father's name), so agreement means more.
    case fullNames(Int)
    /// One name is a single word, which many people share.
    case singleName
    /// The fathers' names (given, or the middle word of a three-word name) agree, or disagree
    /// (a veto: namesakes are told apart by their fathers).
    case fatherAgrees(Double)
    case fatherDiffers(Double)
    /// Both records give the same sex, or different sexes (a veto).
    case sexAgrees
    case sexDiffers
    /// The ages in years differ by this many years (a large gap is a veto).
    case ageGap(Int)
    /// An age band and an age or another band agree, or contradict each other (a veto).
    case ageBandAgrees
    case ageBandContradicts
    /// Days between the incidents.
    case daysApart(Int64)
    /// Governorates or localities agree or differ (both given).
    case governorateDiffers
    case localityAgrees
    case localityDiffers
    /// Categories (civilian, soldier, …) agree or differ.
    case categoryAgrees
    case categoryDiffers
    /// Outcomes (killed, detained, …) differ.
    case outcomeDiffers

    /// Whether this reason alone rules out one person: such a pair never merges automatically,
    /// and neither do clusters that contain it.
    public var isVeto: Bool {
        switch self {
        case .sexDiffers, .ageBandContradicts, .fatherDiffers: true
        case .ageGap(let years): years > PairScorer.vetoAgeGap
        default: false
        }
    }

    /// Whether this reason identifies a person beyond name, time and place: a pair merges
    /// without review only with at least one (namesakes are common, docs/dedup.md "Scoring").
    public var isIdentifying: Bool {
        switch self {
        case .fatherAgrees: true
        case .ageGap(let years): years <= 3
        default: false
        }
    }

    public var description: String {
        switch self {
        case .nameSimilarity(let s): "names \(Int((s * 100).rounded()))% alike"
        case .fullNames(let words): "both names have \(words)+ words"
        case .singleName: "a single-word name"
        case .fatherAgrees(let s): "fathers' names agree (\(Int((s * 100).rounded()))%)"
        case .fatherDiffers(let s): "fathers' names differ (\(Int((s * 100).rounded()))%)"
        case .sexAgrees: "same sex"
        case .sexDiffers: "different sex"
        case .ageGap(let years): "ages \(years) years apart"
        case .ageBandAgrees: "age bands agree"
        case .ageBandContradicts: "age bands contradict"
        case .daysApart(let days): "\(days) days apart"
        case .governorateDiffers: "different governorates"
        case .localityAgrees: "same locality"
        case .localityDiffers: "different localities"
        case .categoryAgrees: "same category"
        case .categoryDiffers: "different categories"
        case .outcomeDiffers: "different outcomes"
        }
    }
}
