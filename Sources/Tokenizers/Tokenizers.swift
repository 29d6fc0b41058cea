// The Tokenizers layer; see ../../docs/ARCHITECTURE.md (or ../shared/DESIGN.md) for what it owns.
public enum TokenizersModule {
    public static let name = "Tokenizers"
}
