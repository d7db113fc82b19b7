import Foundation

/// Where one identity keeps its encrypted store: a folder of its own, so several identities
/// can live side by side (one folder each).
///
/// The folder is, in order: the explicit path (`--home`), `$ISNAD_HOME`, then
/// `$XDG_DATA_HOME/isnad/home` (else `~/.local/share/isnad/home`).
public struct Home: Sendable, Equatable {
    /// The folder.
    public let url: URL

    /// The file of the encrypted SQLite store in the folder.
    public var storeURL: URL { url.appendingPathComponent("store.sqlite") }

    public init(url: URL) {
        self.url = url
    }

    /// Resolves the home folder from an explicit path, then the environment, then XDG defaults.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Home {
        if let explicit, !explicit.isEmpty { return Home(url: URL(fileURLWithPath: explicit)) }
        if let fromEnvironment = environment["ISNAD_HOME"], !fromEnvironment.isEmpty {
            return Home(url: URL(fileURLWithPath: fromEnvironment))
        }
        let dataHome: URL
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = URL(fileURLWithPath: xdg)
        } else {
            let user = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
            dataHome = user.appendingPathComponent(".local/share")
        }
        return Home(url: dataHome.appendingPathComponent("isnad/home"))
    }

    /// Whether the folder holds a store.
    public var exists: Bool { FileManager.default.fileExists(atPath: storeURL.path) }

    /// Creates the folder, readable by its owner only.
    func create() throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ClientError(.fileAccess, "The home folder \(url.path) could not be created.")
        }
    }
}
