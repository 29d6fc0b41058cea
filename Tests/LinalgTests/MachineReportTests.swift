import Testing
@testable import Linalg

/// `kasane doctor`'s limits: a size or duration it cannot measure with is refused before any measurement, naming
/// the option.
@Test func machineReportRefusesSizesAndDurationsOutOfRange() {
    for size in [0, -1, 8193] {
        #expect(throws: LinalgError.outOfRange(option: "--size", range: "1...8192")) {
            try MachineReport(sgemmSize: size, seconds: 1)
        }
    }
    for seconds in [0, -1, 60.5, .nan] {
        #expect(throws: LinalgError.outOfRange(option: "--seconds", range: "(0, 60]")) {
            try MachineReport(sgemmSize: 64, seconds: seconds)
        }
    }
    #expect("\(LinalgError.outOfRange(option: "--size", range: "1...8192"))" == "--size must be in 1...8192")
}
