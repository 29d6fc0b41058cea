import Foundation
import Testing
@testable import TorchCheckpoint
import TestSupport

@Test(arguments: ["refuse_global.pt", "refuse_stack_global.pt"])
func refusesAPickleThatCallsOsSystem(file: String) {
    // os.system pickles as posix.system on Linux (nt.system on Windows).
    expectError([file, "refused", "system'"]) { _ = try TorchCheckpoint(path: fixtures + "/" + file) }
}

@Test func refusesEveryGlobalOutsideTheAllowList() {
    for global in ["builtins\neval\n", "subprocess\nPopen\n", "torch\nload\n", "numpy.core.multiarray\n_reconstruct\n"] {
        let bytes: [UInt8] = [0x80, 0x02, 0x63] + Array(global.utf8) + [0x29, 0x52, 0x2E]
        var unpickler = RestrictedUnpickler(file: "x.pkl", bytes: bytes)
        let name = global.split(separator: "\n").joined(separator: ".")
        expectError(["x.pkl", "'\(name)'"]) { _ = try unpickler.load() }
    }
}

@Test func malformedStreamsFailWithOneLine() {
    let cases: [([UInt8], String)] = [
        ([0x80, 0x02, 0x7D], "no STOP"),                 // EMPTY_DICT then end of data
        ([0x80, 0x02, 0x2E], "underflow"),               // STOP on an empty stack
        ([0x80, 0x02, 0x68, 0x07, 0x2E], "memo key 7"),  // BINGET of nothing
        ([0x80, 0x02, 0xFF], "opcode 0xFF"),
        ([0x80, 0x02, 0x58, 0xFF, 0xFF, 0x00, 0x00], "truncated"),
    ]
    for (bytes, fragment) in cases {
        var unpickler = RestrictedUnpickler(file: "bad.pkl", bytes: bytes)
        expectError(["bad.pkl", fragment]) { _ = try unpickler.load() }
    }
}

@Test func notAZipFileFailsClearly() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("kasane-notzip-\(UUID().uuidString).pt").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 100))
    defer { try? FileManager.default.removeItem(atPath: path) }
    expectError(["kasane-notzip", "not a zip file"]) { _ = try TorchCheckpoint(path: path) }
    expectError(["absent.pt", "cannot open"]) { _ = try TorchCheckpoint(path: "/nonexistent/absent.pt") }
}
