import Foundation

/// Signed-in staff: a random session token (the cookie) maps to the account and a CSRF token for its forms.
/// Held in memory: a restart signs everyone out, which is acceptable for a handful of staff.
actor StaffSessions {
    struct Session {
        let staff: String
        let csrf: String
        let expires: Date
    }

    /// How long a session lasts after sign-in.
    static let lifetime: TimeInterval = 8 * 3600

    private var sessions: [String: Session] = [:]

    /// Starts a session; returns its token.
    func start(for staff: String, now: Date) -> String {
        sessions = sessions.filter { $0.value.expires > now }
        let token = Self.randomToken()
        sessions[token] = Session(staff: staff, csrf: Self.randomToken(), expires: now + Self.lifetime)
        return token
    }

    /// The live session of a token, or `nil`.
    func session(_ token: String, now: Date) -> Session? {
        guard let session = sessions[token], session.expires > now else { return nil }
        return session
    }

    func end(_ token: String) { sessions[token] = nil }

    /// 32 random bytes, base64url.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
