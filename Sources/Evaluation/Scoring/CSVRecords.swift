/// RFC 4180 CSV records (what `kasane export --format csv` writes): fields separated by commas, quoted when they hold
/// a comma, quote or line break, `""` for a quote inside quotes, records ended by CRLF or LF.
enum CSVRecords {
    /// The records of `text`, blank lines skipped; nil when a quoted field never closes.
    static func parse(_ text: String) -> [[String]]? {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false, afterQuote = false
        var chars = Array(text.unicodeScalars).makeIterator()
        func endRecord() {
            record.append(field)
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []; field = ""
        }
        while let c = chars.next() {
            if quoted {
                if c == "\"" { quoted = false; afterQuote = true } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"":
                if afterQuote { field.unicodeScalars.append(c) }   // "" inside a quoted field
                quoted = true; afterQuote = false
            case ",": record.append(field); field = ""; afterQuote = false
            case "\r": afterQuote = false
            case "\n": endRecord(); afterQuote = false
            default: field.unicodeScalars.append(c); afterQuote = false
            }
        }
        if quoted { return nil }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        return records
    }
}
