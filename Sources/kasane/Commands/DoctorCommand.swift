import ArgumentParser

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Print CPU features, the OpenBLAS core and a measured sgemm GFLOP/s (arrives with issue 2)")

    func run() async throws {
        throw ValidationError("'kasane doctor' is not implemented yet (issue 2)")
    }
}
