/// The fixed vocabulary of the tiny world: every entity has a Japanese and an English surface form.
/// Which person lives where, likes what and so on is drawn from the seed (see `World`); the lexicon itself and
/// the country/capital and animal/class facts are fixed.
public struct Term: Sendable, Hashable {
    public let ja: String
    public let en: String
    public init(_ ja: String, _ en: String) { self.ja = ja; self.en = en }
}

public struct Country: Sendable, Hashable {
    public let name: Term
    public let capital: Term
}

public struct Animal: Sendable, Hashable {
    public let name: Term
    public let kind: Term     // 哺乳類 / mammal …
}

public enum Lexicon {
    public static let people: [Term] = [
        Term("タロウ", "Taro"), Term("ハナコ", "Hanako"), Term("ケン", "Ken"), Term("ユミ", "Yumi"),
        Term("ソラ", "Sora"), Term("リク", "Riku"), Term("メイ", "Mei"), Term("アオイ", "Aoi"),
        Term("ハルト", "Haruto"), Term("サクラ", "Sakura"), Term("ユウト", "Yuto"), Term("ミオ", "Mio"),
        Term("レン", "Ren"), Term("ヒナ", "Hina"), Term("カイ", "Kai"), Term("ナナ", "Nana"),
        Term("ダイキ", "Daiki"), Term("エミ", "Emi"), Term("ショウ", "Sho"), Term("マイ", "Mai"),
        Term("ジロウ", "Jiro"), Term("アヤ", "Aya"), Term("トモ", "Tomo"), Term("リナ", "Rina"),
    ]

    public static let cities: [Term] = [
        Term("東京", "Tokyo"), Term("大阪", "Osaka"), Term("京都", "Kyoto"), Term("札幌", "Sapporo"),
        Term("福岡", "Fukuoka"), Term("名古屋", "Nagoya"), Term("神戸", "Kobe"), Term("仙台", "Sendai"),
        Term("横浜", "Yokohama"), Term("奈良", "Nara"), Term("広島", "Hiroshima"), Term("長崎", "Nagasaki"),
    ]

    public static let countries: [Country] = [
        Country(name: Term("日本", "Japan"), capital: Term("東京", "Tokyo")),
        Country(name: Term("フランス", "France"), capital: Term("パリ", "Paris")),
        Country(name: Term("イギリス", "Britain"), capital: Term("ロンドン", "London")),
        Country(name: Term("ドイツ", "Germany"), capital: Term("ベルリン", "Berlin")),
        Country(name: Term("イタリア", "Italy"), capital: Term("ローマ", "Rome")),
        Country(name: Term("スペイン", "Spain"), capital: Term("マドリード", "Madrid")),
        Country(name: Term("中国", "China"), capital: Term("北京", "Beijing")),
        Country(name: Term("韓国", "Korea"), capital: Term("ソウル", "Seoul")),
        Country(name: Term("エジプト", "Egypt"), capital: Term("カイロ", "Cairo")),
        Country(name: Term("ロシア", "Russia"), capital: Term("モスクワ", "Moscow")),
        Country(name: Term("カナダ", "Canada"), capital: Term("オタワ", "Ottawa")),
        Country(name: Term("タイ", "Thailand"), capital: Term("バンコク", "Bangkok")),
        Country(name: Term("ケニア", "Kenya"), capital: Term("ナイロビ", "Nairobi")),
        Country(name: Term("ペルー", "Peru"), capital: Term("リマ", "Lima")),
        Country(name: Term("インド", "India"), capital: Term("デリー", "Delhi")),
        Country(name: Term("ギリシャ", "Greece"), capital: Term("アテネ", "Athens")),
    ]

    public static let kinds: [Term] = [
        Term("哺乳類", "mammal"), Term("鳥類", "bird"), Term("魚類", "fish"), Term("爬虫類", "reptile"),
    ]

    public static let animals: [Animal] = [
        Animal(name: Term("イヌ", "dog"), kind: kinds[0]), Animal(name: Term("ネコ", "cat"), kind: kinds[0]),
        Animal(name: Term("ウマ", "horse"), kind: kinds[0]), Animal(name: Term("ウシ", "cow"), kind: kinds[0]),
        Animal(name: Term("クマ", "bear"), kind: kinds[0]), Animal(name: Term("サル", "monkey"), kind: kinds[0]),
        Animal(name: Term("ウサギ", "rabbit"), kind: kinds[0]), Animal(name: Term("ゾウ", "elephant"), kind: kinds[0]),
        Animal(name: Term("ハト", "pigeon"), kind: kinds[1]), Animal(name: Term("カラス", "crow"), kind: kinds[1]),
        Animal(name: Term("ペンギン", "penguin"), kind: kinds[1]), Animal(name: Term("ワシ", "eagle"), kind: kinds[1]),
        Animal(name: Term("スズメ", "sparrow"), kind: kinds[1]), Animal(name: Term("マグロ", "tuna"), kind: kinds[2]),
        Animal(name: Term("サケ", "salmon"), kind: kinds[2]), Animal(name: Term("コイ", "carp"), kind: kinds[2]),
        Animal(name: Term("サメ", "shark"), kind: kinds[2]), Animal(name: Term("ヘビ", "snake"), kind: kinds[3]),
        Animal(name: Term("トカゲ", "lizard"), kind: kinds[3]), Animal(name: Term("カメ", "turtle"), kind: kinds[3]),
        Animal(name: Term("ワニ", "crocodile"), kind: kinds[3]),
    ]

    public static let colours: [Term] = [
        Term("赤", "red"), Term("青", "blue"), Term("白", "white"), Term("黒", "black"),
        Term("緑", "green"), Term("黄色", "yellow"),
    ]

    /// Things people carry in reading-comprehension passages (colour + object in both languages).
    public static let objects: [Term] = [
        Term("傘", "umbrella"), Term("帽子", "hat"), Term("鞄", "bag"), Term("本", "book"),
        Term("時計", "watch"), Term("靴", "shoes"),
    ]

    /// Foods used for sentiment (entity-level polarity) sentences.
    public static let foods: [Term] = [
        Term("りんご", "apples"), Term("みかん", "oranges"), Term("パン", "bread"), Term("寿司", "sushi"),
        Term("ラーメン", "ramen"), Term("カレー", "curry"), Term("うどん", "udon"), Term("ケーキ", "cake"),
    ]

    public static let months: [Term] = [
        Term("1月", "January"), Term("2月", "February"), Term("3月", "March"), Term("4月", "April"),
        Term("5月", "May"), Term("6月", "June"), Term("7月", "July"), Term("8月", "August"),
        Term("9月", "September"), Term("10月", "October"), Term("11月", "November"), Term("12月", "December"),
    ]

    public static let numberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                     "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                                     "sixteen", "seventeen", "eighteen"]
}
