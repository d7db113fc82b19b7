@testable import IsnadRelay
import Testing

/// A request's WebSocket handler reference is made only when the WebSocket upgrade asks for it
/// (RelayRequestContext.swift): the routes' other requests never pay for it.
@Suite("WebSocket slot of a request context")
struct WebSocketSlotTests {
    @Test("made on first use, kept, and made afresh once emptied")
    func lazy() {
        let slot = WebSocketSlot()
        #expect(!slot.isMade, "nothing is made until asked for")
        _ = slot.reference
        #expect(slot.isMade, "made when asked for, and kept for every copy of the context")
        slot.reset()
        #expect(!slot.isMade, "emptied, it holds nothing (the old handler's box is let go)")
        _ = slot.reference
        #expect(slot.isMade, "and a fresh one is made when asked for again")
    }
}
