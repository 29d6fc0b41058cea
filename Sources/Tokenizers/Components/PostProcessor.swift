import JSON
/// A tokenizer.json `post_processor`, applied when special tokens are requested.
indirect enum PostProcessor: Sendable {
    enum TemplatePiece: Sendable { case sequence, special(ids: [Int], tokens: [String]) }
    case template(single: [TemplatePiece])
    case byteLevel
    case sequence([PostProcessor])

    static func parse(_ json: JSONValue, file: String) throws -> PostProcessor {
        let type = try json.required("type", \.stringValue, file: file, field: "post_processor.type")
        switch type {
        case "TemplateProcessing":
            let single = try json.required("single", \.arrayValue, file: file, field: "post_processor.single")
            let specials = json["special_tokens"]
            var pieces: [TemplatePiece] = []
            for (i, p) in single.enumerated() {
                if let seq = p["Sequence"] {
                    guard seq["id"]?.stringValue == "A" else {
                        throw TokenizerError.badField(file: file, field: "post_processor.single[\(i)]", reason: "a single template may only use sequence A")
                    }
                    pieces.append(.sequence)
                } else if let sp = p["SpecialToken"], let name = sp["id"]?.stringValue {
                    guard let entry = specials?[name], let ids = entry["ids"]?.arrayValue,
                          let toks = entry["tokens"]?.arrayValue else {
                        throw TokenizerError.badField(file: file, field: "post_processor.special_tokens", reason: "missing '\(name)'")
                    }
                    let idList = ids.compactMap(\.intValue), tokList = toks.compactMap(\.stringValue)
                    guard idList.count == ids.count, tokList.count == toks.count else {
                        throw TokenizerError.badField(file: file, field: "post_processor.special_tokens.\(name)", reason: "bad ids or tokens")
                    }
                    pieces.append(.special(ids: idList, tokens: tokList))
                } else {
                    throw TokenizerError.badField(file: file, field: "post_processor.single[\(i)]", reason: "expected Sequence or SpecialToken")
                }
            }
            return .template(single: pieces)
        case "RobertaProcessing":
            // `cls $A sep`, e.g. older XLM-R tokenizer.json files.
            guard let cls = json["cls"]?.arrayValue, cls.count == 2, let clsToken = cls[0].stringValue, let clsId = cls[1].intValue,
                  let sep = json["sep"]?.arrayValue, sep.count == 2, let sepToken = sep[0].stringValue, let sepId = sep[1].intValue else {
                throw TokenizerError.badField(file: file, field: "post_processor.RobertaProcessing", reason: "cls and sep must be [token, id]")
            }
            return .template(single: [.special(ids: [clsId], tokens: [clsToken]), .sequence, .special(ids: [sepId], tokens: [sepToken])])
        case "ByteLevel":
            return .byteLevel
        case "Sequence":
            let list = try json.required("processors", \.arrayValue, file: file, field: "post_processor.processors")
            return .sequence(try list.map { try parse($0, file: file) })
        default:
            throw TokenizerError.unsupported(file: file, component: "post_processor", type: type)
        }
    }

    /// Adds the template's special tokens around one encoded sequence.
    func apply(ids: inout [Int], tokens: inout [String]?) {
        switch self {
        case .template(let single):
            var outIds: [Int] = []
            var outTokens: [String]? = tokens == nil ? nil : []
            outIds.reserveCapacity(ids.count + 4)
            for p in single {
                switch p {
                case .sequence:
                    outIds.append(contentsOf: ids)
                    if let t = tokens { outTokens?.append(contentsOf: t) }
                case .special(let sIds, let sTokens):
                    outIds.append(contentsOf: sIds)
                    outTokens?.append(contentsOf: sTokens)
                }
            }
            ids = outIds
            tokens = outTokens
        case .byteLevel: break   // only trims offsets, which Kasane does not track
        case .sequence(let list): for p in list { p.apply(ids: &ids, tokens: &tokens) }
        }
    }
}
