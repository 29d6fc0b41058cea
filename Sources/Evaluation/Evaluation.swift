// The Evaluation layer; see ../../docs/ARCHITECTURE.md (or ../shared/DESIGN.md) for what it owns.
public enum EvaluationModule {
    public static let name = "Evaluation"
}
