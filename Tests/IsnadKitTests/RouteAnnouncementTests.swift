import Foundation
@testable import IsnadKit
import Testing

/// A member's `routes` announcement comes from inside the group, but is still outside input:
/// only well-formed relay addresses are kept, and only a few.
@Suite("Route announcements")
struct RouteAnnouncementTests {
    @Test("only http(s) relay addresses are kept, normalised, at most eight")
    func acceptedRoutes() {
        let device = UUID()
        let announced = [AppContent.Route(url: "https://relay.example/", deviceID: device),
                         AppContent.Route(url: "file:///etc/passwd", deviceID: device),
                         AppContent.Route(url: "not a url", deviceID: device)]
            + (0..<20).map { AppContent.Route(url: "http://relay\($0).example", deviceID: device) }
        let kept = Messenger.acceptedRoutes(announced)
        #expect(kept.count == 8)
        #expect(kept.first == AppContent.Route(url: "https://relay.example", deviceID: device))
        #expect(kept.dropFirst().map(\.url) == (0..<7).map { "http://relay\($0).example" })
    }

    @Test("a routes message round trips through the content encoding; older content without routes still reads")
    func encoding() throws {
        let routes = [AppContent.Route(url: "http://127.0.0.1:8080", deviceID: UUID())]
        let content = AppContent(id: UUID(), kind: .routes, sequence: 3, sentAt: Date(timeIntervalSince1970: 1_700_000_000), routes: routes)
        let decoded = try AppContent(decoding: try content.encoded())
        #expect(decoded.kind == .routes && decoded.routes == routes && decoded.sequence == 3)
        let older = Data(#"{"version":1,"id":"\#(UUID().uuidString)","kind":"text","sequence":0,"sentAt":0,"text":"hi"}"#.utf8)
        #expect(try AppContent(decoding: older).routes == nil)
    }
}
