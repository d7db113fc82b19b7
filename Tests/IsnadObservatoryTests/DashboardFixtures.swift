import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IsnadWire

@testable import IsnadObservatory

/// Two published snapshots, the second following the first, and an observatory serving them.
enum DashboardFixtures {
    static func snapshots() throws -> (first: PublishedSnapshot, second: PublishedSnapshot) {
        let figures = try ExportTests.snapshot().figures
        let first = TallySnapshot(figures: Array(figures.prefix(2)), sequence: 1, publishedAt: 1_763_625_600)
        let second = TallySnapshot(figures: figures, sequence: 2, publishedAt: 1_763_712_000, previous: first)
        return (PublishedSnapshot(snapshot: first, logIndex: 5), PublishedSnapshot(snapshot: second, logIndex: 300))
    }

    static func observatory(_ published: [PublishedSnapshot]) throws -> Observatory {
        var observatory = try ObservatoryFixtures.observatory()
        observatory.snapshots = InMemoryPublishedSnapshots(published)
        return observatory
    }

    static func application(_ published: [PublishedSnapshot]) throws -> some ApplicationProtocol {
        let router = Router()
        try observatory(published).register(on: router)
        return Application(router: router)
    }

    /// `at least` totals per outcome, computed here from the figures (not by the dashboard).
    static func totals(_ figures: [TallyFigure]) -> [Outcome: UInt64] {
        var totals: [Outcome: UInt64] = [:]
        for figure in figures { totals[figure.outcome, default: 0] += UInt64(figure.atLeast) }
        return totals
    }

    /// One GET through the router: status, headers, body bytes.
    static func get(_ app: some ApplicationProtocol, _ uri: String, headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, HTTPFields, [UInt8]) {
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: headers) { response in
                (response.status, response.headers, Array(response.body.readableBytesView))
            }
        }
    }
}
