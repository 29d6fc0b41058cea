import Foundation
import Testing
@testable import Trajectory

@Suite struct ReportTests {
    /// A ten-checkpoint run built from the four-checkpoint fixture, with raw, averaged and ensembled trajectories.
    static func input() throws -> ReportInput {
        let base = TableFixtures.fourCheckpoints()
        let order = [0, 1, 2, 3, 2, 1, 3, 3, 0, 2]
        var raw = base.restricted(to: order)
        raw.steps = (1...10).map { $0 * 100 }
        let rawNLI = TrajectoryTable(steps: raw.steps, datasets: Array(raw.datasets[0...1]))
        var averaged = raw.restricted(to: Array(2..<10))
        for k in averaged.datasets.indices {
            averaged.datasets[k].scores = averaged.datasets[k].scores.map { 0.8 * $0 + 0.1 }
        }
        let sweep = try StabilitySweep.run(raw: raw, averaged: [3: averaged], windows: [1, 2, 3], span: .all,
                                           options: StabilityOptions(bootstrapResamples: 200),
                                           scorer: ExactMatchScorer2())
        let drift = (1..<10).map { k in
            DriftPair(fromStep: k * 100, toStep: (k + 1) * 100, total: .init(l2: 1, relativeL2: 0.01 / Double(k), updateCosine: 0.5),
                      groups: [:], layers: [:])
        }
        let ensemble = try EnsembleBuilder.build(raw: rawNLI, window: CheckpointWindow(size: 3), scorer: ExactMatchScorer())
        return ReportInput(runName: "/machine/home/fixture <run>",
                           settings: [("run", "/machine/home/fixture <run> (10 checkpoints)"),
                                      ("analysis span", "all checkpoints"), ("IS similarity", "exact")],
                           raw: raw, averaged: [3: averaged], ensembles: [3: ensemble.table], sweep: sweep,
                           excluded: ["jsquad": "no score at step 300"], drift: drift,
                           costs: [MethodCost(method: .raw, window: 1, positions: 10, forwardPasses: 400, seconds: 2,
                                              peakBytes: 50_000_000)])
    }

    @Test func writesEveryFile() throws {
        let tmp = try TempDir("kasane-report"); defer { tmp.cleanup() }
        let dir = URL(fileURLWithPath: tmp.file("report"))
        let files = try ReportWriter.write(try Self.input(), to: dir.path)
        let names = files.map { String($0.dropFirst(dir.path.count + 1)) }
        #expect(names.filter { !$0.hasPrefix("figures/") }.sorted()
                == ["examples.csv", "report.html", "report.md", "scores.csv", "stability.csv", "stability.json"])
        // Every figure is also its own SVG file.
        let figures = names.filter { $0.hasPrefix("figures/") }
        for expected in ["figures/trajectory-AVG.svg", "figures/window-sweep-mean.svg", "figures/window-sweep-mtv.svg",
                         "figures/drift-vs-mtv.svg"] {
            #expect(figures.contains(expected), "missing \(expected) in \(figures)")
        }
        #expect(figures.contains { $0.hasPrefix("figures/flips-") })
        for f in figures {
            let svg = try String(contentsOfFile: dir.appendingPathComponent(f).path, encoding: .utf8)
            #expect(svg.hasPrefix("<?xml") && svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        }
        let html = try String(contentsOfFile: dir.appendingPathComponent("report.html").path, encoding: .utf8)
        // Self-contained: no scripts, no fetched resources; the only URI is the SVG namespace.
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "://") == nil)
        #expect(html.contains("<h1>Stability report: fixture &lt;run&gt;</h1>"))
        #expect(!html.contains("/machine/home"))  // no machine path anywhere on the page
        let csv = try String(contentsOfFile: dir.appendingPathComponent("stability.csv").path, encoding: .utf8)
        let header = csv.split(separator: "\n").first.map(String.init)
        #expect(header == StabilityExport.csvHeader.joined(separator: ","))
        #expect(csv.contains("\nensemble,3,trailing,majority,dataset,jnli,NLI,"))
        let md = try String(contentsOfFile: dir.appendingPathComponent("report.md").path, encoding: .utf8)
        #expect(md.contains("## Main table") && md.contains("### MTV") && md.contains("jsquad: no score at step 300"))
        #expect(md.contains("| averaged, n=3 |") && md.contains("## Cost"))
    }

    @Test func rendersInHeadlessChromium() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            Issue.record("SKIPPED: chromium is not installed (apt-get install chromium); the HTML report was not rendered")
            return
        }
        let tmp = try TempDir("kasane-report"); defer { tmp.cleanup() }
        let dir = URL(fileURLWithPath: tmp.file("report"))
        let input = try Self.input()
        try ReportWriter.write(input, to: dir.path)
        let page = dir.appendingPathComponent("report.html")
        let profile = dir.appendingPathComponent("profile")
        let (status, dom, log) = try run(chromium, ["--headless", "--no-sandbox", "--disable-gpu",
                                                    "--user-data-dir=\(profile.path)", "--virtual-time-budget=2000",
                                                    "--dump-dom", page.absoluteString])
        #expect(status == 0, "chromium exited with \(status): \(log.suffix(400))")
        // The DOM as Chromium parsed it: the plots are there as SVG with lines, legends and heatmap cells.
        let svgs = dom.components(separatedBy: "<svg").count - 1
        #expect(svgs >= 7, "found \(svgs) SVG elements")
        #expect(dom.contains("class=\"series\"") && dom.contains("class=\"legend\"") && dom.contains("chart heatmap"))
        #expect(dom.contains("class=\"band\""))  // bootstrap bands drawn
        // The first section is the main table: three measures, categories and AVG as columns, raw once per
        // set of positions, Δ marks and intervals.
        let main = dom.components(separatedBy: "id=\"main-table\"").dropFirst().first?
            .components(separatedBy: "</section>").first ?? ""
        #expect(main.contains("data-table=\"Mean score\"") && main.contains("data-table=\"MTV\"")
                && main.contains("data-table=\"IS\""))
        #expect(main.contains("<th>NLI</th>") && main.contains("<th>AVG</th>"))
        #expect(main.contains("averaged, n=3") && main.contains("class=\"delta") && main.contains("class=\"ci\""))
        let rawRows = main.components(separatedBy: "data-table=\"Mean score\"").dropFirst().first?
            .components(separatedBy: "</table>").first?.components(separatedBy: "<td>raw checkpoints").count ?? 0
        let groups = input.positionGroups.count
        #expect(rawRows - 1 == groups, "raw rows: \(rawRows - 1), position groups: \(groups)")
        #expect(dom.range(of: "id=\"main-table\"")!.lowerBound < dom.range(of: "id=\"trajectories\"")!.lowerBound)
        #expect(dom.contains("<details") && dom.contains("Every level of every method"))
        #expect(!log.contains("Uncaught") && !log.contains("ERR_FILE_NOT_FOUND"))
        let shot = dir.appendingPathComponent("shot.png")
        let (shotStatus, _, _) = try run(chromium, ["--headless", "--no-sandbox", "--disable-gpu",
                                                    "--user-data-dir=\(profile.path)", "--window-size=1100,3000",
                                                    "--screenshot=\(shot.path)", page.absoluteString])
        #expect(shotStatus == 0)
        let size = (try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
        #expect(size > 20_000, "screenshot is \(size) bytes")
        if let keep = ProcessInfo.processInfo.environment["KASANE_KEEP_REPORT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try? FileManager.default.copyItem(at: dir, to: URL(fileURLWithPath: keep))
        }
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self),
                String(decoding: errData, as: UTF8.self))
    }
}

/// Exact match for the fixture's exact-match datasets; the graded and corpus-level ones keep their first score.
struct ExactMatchScorer2: DatasetRescorer {
    func rescore(_ dataset: DatasetSeries, predictions: [String]) throws -> RescoredDataset {
        let per = zip(predictions, dataset.examples).map { p, e -> [String: Double] in
            dataset.hasExampleScores ? [dataset.mainMetric: p == e.gold ? 1.0 : 0.0] : [:]
        }
        let main = per.compactMap { $0[dataset.mainMetric] }.reduce(0, +) / Double(max(1, per.count))
        return RescoredDataset(perExample: per, metrics: [dataset.mainMetric: main], main: main)
    }
}
