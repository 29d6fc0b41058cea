import Testing
import Evaluation

@Test func evaluationModuleLinks() {
    #expect(EvaluationModule.name == "Evaluation")
}
