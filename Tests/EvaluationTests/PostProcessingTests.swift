import Foundation
import Testing
@testable import Evaluation

struct PostProcessingTests {
    @Test func matchesPythonNFKCAndStrip() throws {
        for c in try TestPaths.cases("postprocess.json", count: 13) {
            let raw = c["generated"] as? String ?? ""
            let strip = c["prediction_strip"] as? String ?? "?", keep = c["prediction_nostrip"] as? String ?? "?"
            #expect(PythonText.equal(PostProcessing.prediction(fromGenerated: raw, strip: true), strip), "\(raw.debugDescription)")
            #expect(PythonText.equal(PostProcessing.prediction(fromGenerated: raw, strip: false), keep), "\(raw.debugDescription)")
        }
    }

    @Test func blockEndDetection() {
        #expect(PostProcessing.containsBlockEnd("a\n\nb"))
        #expect(!PostProcessing.containsBlockEnd("a\nb\n"))
        #expect(PostProcessing.containsBlockEnd("\n\n"))
    }
}
