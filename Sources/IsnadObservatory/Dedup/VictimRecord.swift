import IsnadWire

/// Identifies one named victim in one report: the report's commitment and the victim's position
/// in its `victims` list. Ordered by commitment bytes, then position, so every output that lists
/// records has one order.
public struct VictimRecordID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The commitment of the report that names the victim.
    public let report: ReportCommitment
    /// The victim's index in the report's `victims`.
    public let index: Int

    /// Creates an identifier.
    public init(report: ReportCommitment, index: Int) {
        self.report = report
        self.index = index
    }

    public static func < (a: VictimRecordID, b: VictimRecordID) -> Bool {
        a.report.bytes != b.report.bytes ? a.report.bytes.lexicographicallyPrecedes(b.report.bytes) : a.index < b.index
    }

    /// The commitment's first 8 hex digits and the index: enough to find the record, no content.
    public var description: String { "\(CommitmentText.hex(report).prefix(8))#\(index)" }
}

/// A named victim as one report gives it, with the report's time and place filled in where the
/// victim has none: the unit that de-duplication compares.
public struct VictimRecord: Sendable {
    /// Where the record comes from.
    public var id: VictimRecordID
    /// The reporter's pseudonymous key (32 bytes); records from one report never merge.
    public var reporterKey: [UInt8]
    /// The victim as reported.
    public var victim: Victim
    /// The UTC day (days since 1970-01-01) of the incident, when known to the day or better.
    public var day: Int64?
    /// The victim's place, completed part by part from the report's place.
    public var place: Place

    /// Creates a record.
    /// - Parameters:
    ///   - occurred: the report's time; `month` and `unknown` precision give no day.
    ///   - reportPlace: the report's place, used for every part the victim's own place lacks.
    public init(id: VictimRecordID, reporterKey: [UInt8], victim: Victim, occurred: ReportTime, reportPlace: Place) {
        self.id = id
        self.reporterKey = reporterKey
        self.victim = victim
        self.day = DayNumber.day(of: occurred)
        let own = victim.place ?? Place()
        self.place = Place(
            governorate: own.governorate ?? reportPlace.governorate, district: own.district ?? reportPlace.district,
            locality: own.locality ?? reportPlace.locality, coordinates: own.coordinates ?? reportPlace.coordinates)
    }

    /// The records of every named victim in a report.
    public static func records(of report: Report, commitment: ReportCommitment, reporterKey: [UInt8]) -> [VictimRecord] {
        report.victims.enumerated().map { index, victim in
            VictimRecord(
                id: VictimRecordID(report: commitment, index: index), reporterKey: reporterKey, victim: victim,
                occurred: report.occurred, reportPlace: report.place)
        }
    }
}

/// UTC day numbers for report times.
public enum DayNumber {
    /// The day (days since 1970-01-01, UTC) of a time known to the day or better, else `nil`.
    public static func day(of time: ReportTime) -> Int64? {
        guard let seconds = time.secondsSinceEpoch else { return nil }
        switch time.precision {
        case .exact, .approximate, .day: return floorDivide(seconds, 86_400)
        case .month, .unknown: return nil
        }
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a / b - (a % b < 0 ? 1 : 0)
    }
}

/// Lowercase hex of commitments, for identifiers in exports and descriptions.
public enum CommitmentText {
    /// 64 lowercase hex digits.
    public static func hex(_ commitment: ReportCommitment) -> String {
        hex(commitment.bytes)
    }

    /// Lowercase hex of any bytes.
    public static func hex(_ bytes: [UInt8]) -> String {
        Hex.encode(bytes)
    }
}
