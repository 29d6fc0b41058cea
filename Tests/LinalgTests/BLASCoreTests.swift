import Testing
@testable import Linalg

private let intelAVX512 = CPUFeatures(modelName: "Intel Xeon", vendor: "GenuineIntel", flags: ["avx2", "fma", "avx512f"])
private let intelAVX2 = CPUFeatures(modelName: "Intel Core", vendor: "GenuineIntel", flags: ["avx2", "fma"])
private let amdAVX2 = CPUFeatures(modelName: "AMD EPYC", vendor: "AuthenticAMD", flags: ["avx2", "fma"])
private let oldCPU = CPUFeatures(modelName: "old", vendor: "GenuineIntel", flags: ["sse4_2", "avx"])

@Test func coreDecisionUpgradesGenericKernels() {
    #expect(BLAS.decide(coreName: "Prescott", cpu: intelAVX512, environment: [:]) == .reexec(coreType: "SkylakeX"))
    #expect(BLAS.decide(coreName: "Prescott", cpu: intelAVX2, environment: [:]) == .reexec(coreType: "Haswell"))
    #expect(BLAS.decide(coreName: "Haswell", cpu: intelAVX512, environment: [:]) == .reexec(coreType: "SkylakeX"))
    #expect(BLAS.decide(coreName: "Prescott", cpu: amdAVX2, environment: [:]) == .reexec(coreType: "Zen"))
}

@Test func coreDecisionKeepsGoodOrUserChoices() {
    func keeps(_ d: BLAS.CoreDecision) -> Bool { if case .keep = d { return true } else { return false } }
    #expect(keeps(BLAS.decide(coreName: "SkylakeX", cpu: intelAVX512, environment: [:])))
    #expect(keeps(BLAS.decide(coreName: "Zen", cpu: amdAVX2, environment: [:])))
    #expect(keeps(BLAS.decide(coreName: "Haswell", cpu: intelAVX2, environment: [:])))
    #expect(keeps(BLAS.decide(coreName: "Prescott", cpu: oldCPU, environment: [:])))
    // Never override the user, never loop.
    #expect(keeps(BLAS.decide(coreName: "Prescott", cpu: intelAVX512, environment: ["OPENBLAS_CORETYPE": "Prescott"])))
    #expect(keeps(BLAS.decide(coreName: "Prescott", cpu: intelAVX512, environment: [BLAS.reexecMarker: "1"])))
}

@Test func cpuinfoParsing() {
    let text = """
    processor\t: 0
    vendor_id\t: GenuineIntel
    model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
    flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512bw

    processor\t: 1
    vendor_id\t: GenuineIntel
    flags\t\t: fpu
    """
    let cpu = CPUFeatures.parse(cpuinfo: text)
    #expect(cpu.modelName == "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz")
    #expect(cpu.vendor == "GenuineIntel")
    #expect(cpu.hasAVX512F && cpu.hasAVX2FMA)
    #expect(cpu.summary == ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw"])
    #expect(!BLAS.coreName.isEmpty)
}
