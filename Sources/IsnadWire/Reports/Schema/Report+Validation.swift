import Foundation

extension Report {
    /// Checks every schema rule of docs/reports.md that does not depend on the time.
    /// - Throws: ``WireError/Code/unsupportedVersion`` for another schema version,
    ///   ``WireError/Code/schemaViolation`` naming the first field that breaks a rule.
    public func validate() throws(WireError) {
        guard schemaVersion == Self.currentSchemaVersion else {
            throw WireError(
                .unsupportedVersion, kind: .unsupported,
                "report schema version \(schemaVersion) is not supported; this build reads version \(Self.currentSchemaVersion)",
                field: "schema_version", specRule: "docs/reports.md §Versions")
        }
        try occurred.validate(field: "occurred")
        try place.validate(field: "place")
        try counts.validate(field: "counts")
        guard victims.count <= Limits.victims else {
            throw WireError.schema("victims", "a report names at most \(Limits.victims) victims")
        }
        for (index, victim) in victims.enumerated() { try victim.validate(field: "victims[\(index)]") }
        guard narrative.utf8.count <= Limits.narrativeBytes else {
            throw WireError.schema("narrative", "the narrative has \(narrative.utf8.count) bytes; the limit is \(Limits.narrativeBytes)")
        }
        guard evidence.count <= Limits.evidenceItems else {
            throw WireError.schema("evidence", "a report lists at most \(Limits.evidenceItems) evidence items")
        }
        for (index, item) in evidence.enumerated() { try item.validate(field: "evidence[\(index)]") }
    }

    /// Checks the schema rules and that no date lies after `now`.
    ///
    /// A date with precision `day` or `month` is in the future only if its first second is.
    /// The library has no clock: the caller passes the time it trusts.
    /// - Parameter now: the current time.
    /// - Throws: as ``validate()``, and ``WireError/Code/futureDate`` naming the field.
    public func validate(now: Date) throws(WireError) {
        try validate()
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        if occurred.isAfter(seconds) { throw Self.future("occurred") }
        for (index, item) in evidence.enumerated() where item.captureTime.isAfter(seconds) {
            throw Self.future("evidence[\(index)].capture_time")
        }
    }

    private static func future(_ field: String) -> WireError {
        WireError(
            .futureDate, "the date lies in the future; check the device clock and the date entered",
            field: field, specRule: "docs/reports.md §Times")
    }
}
