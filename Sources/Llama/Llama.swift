// The Llama layer; see ../../docs/ARCHITECTURE.md (or ../shared/DESIGN.md) for what it owns.
public enum LlamaModule {
    public static let name = "Llama"
}
