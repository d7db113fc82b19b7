import IsnadWire

extension TallySnapshot {
    /// Every report commitment behind the snapshot's figures, once each, in byte order.
    public var reportCommitments: [ReportCommitment] {
        Array(Set(figures.flatMap(\.reports))).sorted(by: ReportCommitment.byteOrder)
    }

    /// The figures that rest on a report the log does not hold: what a reader checking the
    /// snapshot against the transparency log (`isnad verify`) reports. Empty when every figure
    /// rests on logged reports.
    /// - Parameter isLogged: whether a commitment is an entry of the log (e.g. a lookup in the
    ///   entries the reader fetched and checked against a signed checkpoint).
    public func figuresWithUnloggedReports(isLogged: (ReportCommitment) -> Bool) -> [(figure: TallyFigure, missing: [ReportCommitment])] {
        figures.compactMap { figure in
            let missing = figure.reports.filter { !isLogged($0) }
            return missing.isEmpty ? nil : (figure, missing)
        }
    }
}
