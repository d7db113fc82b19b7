import Foundation
import IsnadStore

/// The observatory's named staff accounts (`isnad observatory staff add NAME`, the staff login).
public struct StaffAccounts: Sendable {
    let store: any ObservatoryStore

    /// Accounts in a store.
    public init(store: any ObservatoryStore) { self.store = store }

    /// Creates an account with a passphrase (kept as a scrypt hash).
    /// - Throws: ``ObservatoryError/Code/malformedRequest`` for a bad name or a short passphrase,
    ///   ``ObservatoryError/Code/conflict`` if the name is taken.
    public func add(_ name: String, passphrase: String, now: Date) async throws {
        guard Self.isValidName(name) else {
            throw ObservatoryError(.malformedRequest, "A staff name has 1 to 64 letters, digits, dots, dashes or underscores.")
        }
        let hash = try StaffPassphrase.hash(passphrase)
        do {
            try await store.addStaff(StaffAccount(name: name, passphraseHash: hash, createdAt: now))
        } catch let error as StoreError where error.code == .conflict {
            throw ObservatoryError(.conflict, error.message)
        }
    }

    /// Whether the name is an account and the passphrase is its own.
    public func authenticate(_ name: String, passphrase: String) async throws -> Bool {
        guard Self.isValidName(name), let account = try await store.staffAccount(named: name) else { return false }
        return StaffPassphrase.matches(passphrase, stored: account.passphraseHash)
    }

    /// Whether an account of this name exists.
    public func exists(_ name: String) async throws -> Bool {
        Self.isValidName(name) ? try await store.staffAccount(named: name) != nil : false
    }

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}
