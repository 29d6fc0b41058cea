import Linalg
/// One person of the world and the facts the seed gave them.
public struct Person: Sendable, Hashable {
    public let name: Term
    public let city: Term
    public let animal: Animal      // favourite animal
    public let colour: Term        // favourite colour
    public let birthMonth: Term
}

/// The seeded tiny world: fixed lexicon facts (capitals, animal classes) plus per-person facts drawn from the seed.
/// Everything the corpus states and every evalset answer comes from here, so one seed gives one consistent world.
public struct World: Sendable {
    public let seed: UInt64
    public let people: [Person]
    public let countries: [Country]
    public let animals: [Animal]

    public init(seed: UInt64) {
        var rng = SeededRandom(seed: seed, stream: "world")
        self.seed = seed
        countries = Lexicon.countries
        animals = Lexicon.animals
        people = Lexicon.people.map { name in
            Person(name: name, city: rng.pick(Lexicon.cities), animal: rng.pick(Lexicon.animals),
                   colour: rng.pick(Lexicon.colours), birthMonth: rng.pick(Lexicon.months))
        }
    }
}
