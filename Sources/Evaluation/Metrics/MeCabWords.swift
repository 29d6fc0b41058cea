import CMeCab
import Foundation

/// sacrebleu 2.x's `ja-mecab` tokenizer: MeCab with the IPAdic 2.7.0 dictionary in `-Owakati` mode, applied to the
/// stripped line, its output stripped and split on whitespace (which also drops the U+3000 tokens MeCab keeps).
/// Used by bleu_ja and by ROUGE on Japanese text (llm-jp-eval's RougeJa).
final class MeCabWords: @unchecked Sendable {
    /// sacrebleu asserts exactly 392,126 entries (the PyPI `ipadic` build of IPAdic 2.7.0), so that scores are
    /// comparable across machines. Debian's mecab-ipadic-utf8 (2.7.0-20070801) compiles the same sources to 392,127
    /// entries; Tests/EvaluationTests/MeCabMetricTests check that it splits the fixture sentences as sacrebleu does.
    static let ipadicEntries = 392_126
    static let acceptedEntries: Set<Int> = [392_126, 392_127]

    /// Where Debian's `mecab-ipadic-utf8` installs IPAdic; `KASANE_MECAB_DICDIR` names another folder.
    static var dictionaryDirectory: String {
        ProcessInfo.processInfo.environment["KASANE_MECAB_DICDIR"] ?? "/var/lib/mecab/dic/ipadic-utf8"
    }

    /// The tagger every metric shares, or the one-line reason there is none.
    static let shared: Result<MeCabWords, EvaluationError> = {
        do { return .success(try MeCabWords(dictionary: dictionaryDirectory)) } catch let error as EvaluationError {
            return .failure(error)
        } catch {
            return .failure(.invalidValue(path: dictionaryDirectory, field: "MeCab", detail: "\(error)"))
        }
    }()

    /// Why Japanese word metrics cannot be computed here, or nil.
    static var unavailableReason: String? {
        if case let .failure(error) = shared { return "not computed: \(error)" }
        return nil
    }

    private let tagger: OpaquePointer
    /// A MeCab tagger keeps one lattice: one parse at a time.
    private let lock = NSLock()

    init(dictionary: String) throws {
        let sysdic = (dictionary as NSString).appendingPathComponent("sys.dic")
        guard FileManager.default.fileExists(atPath: sysdic) else {
            throw EvaluationError.fileNotFound(path: sysdic, what: "the MeCab IPAdic dictionary (apt-get install mecab-ipadic-utf8)")
        }
        // -r /dev/null: no mecabrc, so the user's or the system's settings cannot change the tokenization.
        // An argument vector rather than one string: a dictionary path may hold spaces.
        let arguments = ["mecab", "-r", "/dev/null", "-d", dictionary, "-Owakati"]
        var argv = arguments.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        guard let tagger = mecab_new(Int32(argv.count), &argv) else {
            let message = mecab_strerror(nil).map { String(cString: $0) } ?? "unknown error"
            throw EvaluationError.invalidValue(path: dictionary, field: "MeCab", detail: "does not load (\(message))")
        }
        guard let info = mecab_dictionary_info(tagger) else {
            mecab_destroy(tagger)
            throw EvaluationError.invalidValue(path: sysdic, field: "MeCab", detail: "reports no dictionary")
        }
        let size = Int(info.pointee.size)
        let extra = info.pointee.next != nil
        guard MeCabWords.acceptedEntries.contains(size), !extra else {
            mecab_destroy(tagger)
            let found = extra ? "a user dictionary besides the system one" : "\(size) entries"
            throw EvaluationError.invalidValue(path: sysdic, field: "dictionary", detail:
                "has \(found); sacrebleu's ja-mecab needs IPAdic 2.7.0 alone (392,126 entries; Debian's build 392,127)")
        }
        self.tagger = tagger
    }

    deinit { mecab_destroy(tagger) }

    /// `TokenizerJaMecab()(text).split()`.
    func words(_ text: String) -> [String] {
        let line = PythonText.strip(text)
        if line.isEmpty { return [] }
        let output: String = lock.withLock {
            let bytes = Array(line.utf8).map { CChar(bitPattern: $0) }
            return bytes.withUnsafeBufferPointer { buffer in
                guard let chars = buffer.baseAddress else { return "" }
                return mecab_sparse_tostr2(tagger, chars, buffer.count).map { String(cString: $0) } ?? ""
            }
        }
        return PythonText.split(Array(output.unicodeScalars)).map { PythonText.string($0) }
    }
}
