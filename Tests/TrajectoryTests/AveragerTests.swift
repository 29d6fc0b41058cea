import Foundation
import Linalg
import SafeTensors
import Testing
@testable import Trajectory

@Suite struct AveragerTests {
    let fixture: AveragingFixture
    init() throws { fixture = try AveragingFixture.load() }

    /// Runs every position of each (window, alignment, weights) group in one pass, as `--all` does.
    @Test(arguments: [DType.bf16, .f32])
    func matchesExactRationalAveragesForEveryWindowAndWeighting(dtype: DType) throws {
        let groups = Dictionary(grouping: fixture.cases) { "\($0.window)|\($0.align)|\($0.weights)" }
        #expect(groups.count == 8)
        for (_, cases) in groups {
            let first = cases[0]
            let alignment = try #require(WindowAlignment(parsing: first.align))
            let window = CheckpointWindow(size: first.window, alignment: alignment)
            let jobs = try AveragingPlan.jobs(steps: fixture.steps, window: window, at: nil)
            #expect(jobs.map(\.step) == cases.map(\.step).sorted())
            let averager = Averager(sources: MemorySource.fromFixture(fixture),
                                    weights: try AveragingWeights(parsing: first.weights))
            let layouts = try averager.validate(jobs)
            let averages = try averager.averageAll(jobs, tensors: layouts, dtype: dtype)
            for (job, tensors) in zip(jobs, averages) {
                let expected = try #require(cases.first { $0.step == job.step })
                #expect(job.members.map { fixture.steps[$0] } == expected.members)
                #expect(tensors.keys.sorted() == layouts.map(\.name))
                for (name, values) in tensors {
                    if dtype == .bf16 {
                        #expect(values.map(floatToBF16) == expected.bf16_bits[name], "\(first.window) \(first.align) \(first.weights) step \(job.step) \(name)")
                    } else {
                        #expect(values.map(\.bitPattern) == expected.f32_bits[name], "\(first.window) \(first.align) \(first.weights) step \(job.step) \(name)")
                    }
                }
            }
            if first.weights == "uniform" {
                // The sliding sum reads each checkpoint at most twice per tensor.
                #expect(averager.statistics.readsPerCheckpoint.values.allSatisfy { $0 <= 2 * layouts.count })
            }
        }
    }

    @Test func windowOfOneIsBitExact() throws {
        let sources = MemorySource.fromFixture(fixture)
        let jobs = try AveragingPlan.jobs(steps: fixture.steps, window: CheckpointWindow(size: 1), at: [30])
        let averager = Averager(sources: sources)
        for (name, values) in try averager.averageAll(jobs, tensors: try averager.validate(jobs), dtype: nil)[0] {
            #expect(values.map(\.bitPattern) == sources[2].tensors[name]!.1.map(\.bitPattern))
        }
    }

    @Test func roundToOddAvoidsDoubleRounding() {
        // d lies just above a bf16 midpoint: plain fp32 rounding lands on the midpoint and ties to even (down);
        // round-to-odd keeps it above, so bf16 rounds up, as a single rounding of d would.
        let midpoint = 1.0 + 1.0 / 256  // halfway between bf16 1.0 and 1.0078125
        let d = midpoint + 1e-12
        #expect(floatToBF16(Float(d)) == 0x3F80)
        #expect(floatToBF16(RoundToOdd.float(d)) == 0x3F81)
        #expect(floatToBF16(RoundToOdd.float(midpoint)) == 0x3F80)  // an exact tie still goes to even
        #expect(floatToBF16(RoundToOdd.float(-d)) == 0xBF81)
    }

    @Test func disagreeingCheckpointsNameTheTensor() throws {
        let sources = MemorySource.fromFixture(fixture)
        let name = "model.norm.weight"
        sources[3].tensors[name] = (TensorInfo(name: name, dtype: .bf16, shape: [2, 2]), [0, 0, 0, 0])
        let jobs = try AveragingPlan.jobs(steps: fixture.steps, window: CheckpointWindow(size: 3), at: [50])
        let error = try #require(throws: TrajectoryError.self) { try Averager(sources: sources).validate(jobs) }
        #expect(error.description.contains(name) && error.description.contains("checkpoint-40")
                && error.description.contains("shape"))
        sources[3].tensors[name] = (TensorInfo(name: name, dtype: .f32, shape: [4]), [0, 0, 0, 0])
        let dtypeError = try #require(throws: TrajectoryError.self) { try Averager(sources: sources).validate(jobs) }
        #expect(dtypeError.description.contains("dtype") && dtypeError.description.contains(name))
        sources[3].tensors[name] = nil
        let missing = try #require(throws: TrajectoryError.self) { try Averager(sources: sources).validate(jobs) }
        #expect(missing.description.contains(name))
        // A window that does not reach checkpoint 40 is unaffected.
        let early = try AveragingPlan.jobs(steps: fixture.steps, window: CheckpointWindow(size: 2), at: [30])
        #expect(try Averager(sources: sources).validate(early).count == 4)
    }

    @Test func planRejectsStepsWithoutAFullWindow() throws {
        #expect(throws: TrajectoryError.self) {
            try AveragingPlan.jobs(steps: [10, 20, 30], window: CheckpointWindow(size: 3), at: [20])
        }
        #expect(throws: TrajectoryError.self) {
            try AveragingPlan.jobs(steps: [10, 20, 30], window: CheckpointWindow(size: 2), at: [25])
        }
        // `kasane average --window 0` is refused by the averaging itself, naming the option.
        let empty = try #require(throws: TrajectoryError.self) {
            try CheckpointAveraging(checkpoints: [], window: CheckpointWindow(size: 0)).write(at: nil, output: "/nonexistent")
        }
        #expect(empty.description == "--window: '0' is not valid (expected n ≥ 1)")
        #expect(throws: TrajectoryError.self) { try AveragingWeights(parsing: "ema:0") }
        #expect(throws: TrajectoryError.self) { try AveragingWeights(parsing: "median") }
        let linear: [Double] = [1.0 / 6, 2.0 / 6, 3.0 / 6]
        #expect(AveragingWeights.linear.weights(count: 3) == linear)
    }
}
