import IsnadStore
import Testing

@Suite("Storage contract: in memory")
struct InMemoryContractTests {
    @Test(arguments: RelayStoreContract.checks)
    func contract(_ check: RelayStoreContract.Check) async throws {
        try await check.run(on: InMemoryRelayStore())
    }
}
