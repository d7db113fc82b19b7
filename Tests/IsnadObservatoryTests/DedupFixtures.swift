import IsnadWire

@testable import IsnadObservatory

/// Small hand-made inputs for the de-duplication, corroboration and tally tests.
enum Fixtures {
    /// A commitment whose 32 bytes are all `n` (a stand-in for a logged report's commitment).
    static func commitment(_ n: UInt8) -> ReportCommitment {
        // 32 bytes by construction.
        try! ReportCommitment(bytes: Array(repeating: n, count: 32))
    }

    static func key(_ n: UInt8) -> [UInt8] { Array(repeating: n, count: 32) }

    /// Midnight UTC of a day in November 2025, as a day-precision time.
    static func day(_ d: Int64) -> ReportTime {
        ReportTime(precision: .day, secondsSinceEpoch: 1_761_955_200 + (d - 1) * 86_400)
    }

    static func record(
        _ report: UInt8, _ index: Int = 0, reporter: UInt8? = nil, arabic: String? = nil, latin: String? = nil,
        father: String? = nil, sex: Sex? = nil, age: VictimAge? = nil, category: PersonCategory? = nil,
        day d: Int64? = 20, governorate: String? = "حلب", locality: String? = nil
    ) -> VictimRecord {
        VictimRecord(
            id: VictimRecordID(report: commitment(report), index: index), reporterKey: key(reporter ?? report),
            victim: Victim(nameArabic: arabic, nameLatin: latin, fatherName: father, sex: sex, age: age, category: category),
            occurred: d.map(day) ?? .unknown, reportPlace: Place(governorate: governorate, locality: locality))
    }
}

extension Fixtures {
    static let gazetteer = Gazetteer([
        Gazetteer.Entry(code: "G02", name: "Aleppo", aliases: ["حلب", "Halab"]),
        Gazetteer.Entry(code: "G04", name: "Homs", aliases: ["حمص"]),
    ])

    /// An instant on a day of November 2025 at the given hour (UTC).
    static func at(_ d: Int64, hour: Int64, _ precision: TimePrecision = .exact) -> ReportTime {
        ReportTime(precision: precision, secondsSinceEpoch: 1_761_955_200 + (d - 1) * 86_400 + hour * 3600)
    }

    static func report(
        _ n: UInt8, reporter: UInt8, type: IncidentType = .airStrike, time: ReportTime = at(20, hour: 14),
        governorate: String? = "حلب", locality: String? = "الشعار", counts: ReportCounts = ReportCounts(),
        victims: [Victim] = [], verified: Bool = true, evidence: Bool = false
    ) -> ReviewedReport {
        ReviewedReport(
            commitment: commitment(n), reporterKey: key(reporter),
            report: Report(incidentType: type, occurred: time, place: Place(governorate: governorate, locality: locality),
                           counts: counts, victims: victims),
            isVerified: verified, isEvidenceSeen: evidence)
    }
}
