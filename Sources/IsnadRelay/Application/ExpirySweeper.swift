import Foundation
import IsnadStore
import Logging
import ServiceLifecycle

/// Removes expired messages, idempotence records, challenges and tokens at a fixed interval.
struct ExpirySweeper: Service {
    let dependencies: RelayDependencies

    func run() async throws {
        let interval = Duration.milliseconds(Int64(dependencies.configuration.sweepInterval * 1000))
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    let report = try await dependencies.store.removeExpired(now: dependencies.now())
                    dependencies.metrics.countExpiredMessages(report.messages)
                    dependencies.logger.debug("expiry sweep", metadata: [
                        "messages": "\(report.messages)", "submissions": "\(report.submissions)",
                        "credentials": "\(report.credentials)",
                    ])
                } catch {
                    // The next sweep retries; nothing is lost by waiting.
                    dependencies.logger.warning("expiry sweep failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
