import Foundation

extension LlamaModel {
    /// `kasane forward`: `{"logits": [[Float]]}`, one row of vocab_size fp32 logits per position. A non-finite logit
    /// is an error, never printed as if it were a number.
    public func logitsJSON(tokens: [Int]) throws -> String {
        let rows = try logits(tokens: tokens)
        var json = "{\"logits\":["
        json.reserveCapacity(rows.count * config.vocabSize * 12)
        for (p, row) in rows.enumerated() {
            if p > 0 { json += "," }
            json += "["
            for (i, v) in row.enumerated() {
                guard v.isFinite else { throw LlamaError.invalidRequest("logit \(i) at position \(p) is not finite (\(v))") }
                if i > 0 { json += "," }
                json += v.description
            }
            json += "]"
        }
        return json + "]}"
    }
}
