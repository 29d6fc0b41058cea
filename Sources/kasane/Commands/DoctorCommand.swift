import ArgumentParser
import Linalg

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract:
        "Print CPU features, the OpenBLAS core in use, thread counts and a measured sgemm GFLOP/s.")

    @Option(help: "Square matrix size for the sgemm measurement.") var size = 1024
    @Option(help: "Seconds of sgemm work to measure.") var seconds = 1.0
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() async throws {
        let report = try MachineReport(sgemmSize: size, seconds: seconds)
        print(json ? report.json : report.lines(version: Kasane.version).joined(separator: "\n"))
    }
}
