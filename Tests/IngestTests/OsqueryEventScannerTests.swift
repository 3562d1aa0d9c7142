import Testing

@testable import Ingest

/// The event-format fast path must give exactly what the general path gives, or decline.
@Suite struct OsqueryEventScannerTests {
  static let base =
    #"{"name":"processes","hostIdentifier":"h1","calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":1412123850,"epoch":0,"counter":1,"numerics":false,"decorations":{"host_uuid":"U1"},"columns":{"pid":"1","name":"init"},"action":"added"}"#

  /// Lines the fast path should take, then lines it must decline or that are wrong somewhere.
  static let lines: [String] = [
    base,
    OsqueryDecoderTests.eventLine,
    OsqueryBenchmarkLine.text,
    // Same query, same columns (the cached names), then other columns, fewer, more, reordered.
    base.replacingOccurrences(of: #""pid":"1""#, with: #""pid":"2""#),
    base.replacingOccurrences(of: #""pid":"1","name":"init""#, with: #""name":"init","pid":"1""#),
    base.replacingOccurrences(of: #","name":"init""#, with: ""),
    base.replacingOccurrences(of: #""name":"init""#, with: #""name":"init","path":"/sbin/init","cwd":"/""#),
    base.replacingOccurrences(of: #""name":"processes""#, with: #""name":"users""#),
    base,
    // Long values: the word-at-a-time scan, and an escape or a control byte deep inside.
    base.replacingOccurrences(of: #""name":"init""#, with: #""name":"/usr/lib/systemd/systemd --system --deserialize 31""#),
    // Whitespace everywhere JSON allows it.
    " { \"name\" : \"processes\" ,\t\"unixTime\" : 1412123850 , \"columns\" : { \"pid\" : \"1\" , \"name\" : \"x\" } } \r",
    // Scalars of every kind as column values (numerics on), and their typing.
    base.replacingOccurrences(of: #""pid":"1""#, with: #""pid":97830,"ratio":1.5,"exp":-2e3,"ok":true,"no":false,"none":null"#),
    base.replacingOccurrences(of: #""pid":"1""#, with: #""big":123456789012345678901234567890"#),
    // Metadata in other shapes.
    base.replacingOccurrences(of: #""unixTime":1412123850"#, with: #""unixTime":"1412123850""#),
    base.replacingOccurrences(of: #""unixTime":1412123850"#, with: #""unixTime":1412123850.5"#),
    base.replacingOccurrences(of: #""unixTime":1412123850,"#, with: ""),
    base.replacingOccurrences(of: #""unixTime":1412123850,"#, with: "").replacingOccurrences(
      of: #""calendarTime":"Tue Sep 30 17:37:30 2014 UTC","#, with: ""),
    base.replacingOccurrences(of: #""epoch":0"#, with: #""epoch":"7""#),
    base.replacingOccurrences(of: #""counter":1"#, with: #""counter":null"#),
    base.replacingOccurrences(of: #""hostIdentifier":"h1""#, with: #""hostname":"legacy""#),
    base.replacingOccurrences(of: #""hostIdentifier":"h1""#, with: #""hostIdentifier":null,"hostname":"legacy""#),
    base.replacingOccurrences(of: #""decorations":{"host_uuid":"U1"}"#, with: #""decorations":{}"#),
    base.replacingOccurrences(of: #""decorations":{"host_uuid":"U1"}"#, with: #""decorations":{"n":1,"z":null}"#),
    base.replacingOccurrences(of: #","action":"added""#, with: ""),
    base.replacingOccurrences(of: #""columns":{"pid":"1","name":"init"}"#, with: #""columns":{}"#),
    base.replacingOccurrences(of: #""name":"processes""#, with: #""name":"pack/with space""#),
    // Columns named like metadata fields get a prefix.
    base.replacingOccurrences(of: #""pid":"1""#, with: #""action":"a","epoch":"e","counter":"c""#),
    // Non-ASCII and invalid UTF-8 in values.
    base.replacingOccurrences(of: #""name":"init""#, with: #""name":"prüfung ✓""#),
    // Declined by the fast path: other formats, escapes, nesting, top-level decorations.
    OsqueryDecoderTests.batchLine,
    OsqueryDecoderTests.snapshotLine,
    OsqueryDecoderTests.statusLine,
    base.replacingOccurrences(of: #""name":"init""#, with: #""name":"a\"b\\c\u00e9\n""#),
    base.replacingOccurrences(of: #""name":"processes""#, with: #""name":"proc\u0065sses""#),
    base.replacingOccurrences(of: #""pid":"1""#, with: #""p\u0069d":"1""#),
    base.replacingOccurrences(of: #""pid":"1""#, with: #""list":[1,"two",{"x":null}],"object":{"a":[]}"#),
    base.replacingOccurrences(of: #""counter":1"#, with: #""counter":1,"host_tag":"web""#),
    base.replacingOccurrences(of: #""counter":1"#, with: #""counter":1,"log_type":"result""#),
    // Wrong somewhere: the general path's error, whichever path looked first.
    base.replacingOccurrences(of: #""pid":"1","name":"init""#, with: #""pid":"1","pid":"2""#),
    base.replacingOccurrences(of: #""counter":1"#, with: #""counter":1,"counter":2"#),
    base.replacingOccurrences(of: #""numerics":false"#, with: #""numerics":tru"#),
    base.replacingOccurrences(of: #""epoch":0"#, with: #""epoch":"x""#),
    base.replacingOccurrences(of: #""unixTime":1412123850"#, with: #""unixTime":"soon""#),
    base.replacingOccurrences(of: #""name":"processes""#, with: #""name":7"#),
    base.replacingOccurrences(of: #""name":"processes","#, with: ""),
    base.replacingOccurrences(of: #""name":"processes""#, with: #""name":"..""#),
    base.replacingOccurrences(of: #""pid":"1""#, with: #""pid":1x"#),
    base.replacingOccurrences(of: #""pid":"1""#, with: #""pid":-"#),
    base.replacingOccurrences(of: #""pid":"1""#, with: "\"pid\":\"a\u{01}b\""),
    base.replacingOccurrences(of: #""pid":"1""#, with: "\"pid\":\"abcdefghijklmnop\u{1F}qrstuvwxyz\""),
    base.replacingOccurrences(of: #""pid":"1""#, with: #""pid":"abcdefghijklmnopq\"rstuvwxyz""#),
    base.replacingOccurrences(of: #""columns":{"pid":"1","name":"init"}"#, with: #""columns":"nope""#),
    base.replacingOccurrences(of: #""decorations":{"host_uuid":"U1"}"#, with: #""decorations":[1]"#),
    base + " x",
    base + "}",
    String(base.dropLast(3)),
    "{}",
    "[]",
    "not json",
  ]

  static func decodeAll(fastPath: Bool) -> [Result<[DecodedRecord], DecodeError>] {
    var decoder = OsqueryDecoder()
    decoder.usesFastPath = fastPath
    return lines.map { line in
      var records: [DecodedRecord] = []
      do throws(DecodeError) {
        try decoder.decode(line, into: &records)
        return .success(records)
      } catch {
        return .failure(error)
      }
    }
  }

  @Test func givesWhatTheGeneralPathGivesLineByLine() {
    let fast = Self.decodeAll(fastPath: true)
    let general = Self.decodeAll(fastPath: false)
    for (index, line) in Self.lines.enumerated() {
      #expect(fast[index] == general[index], "line \(index): \(line)")
    }
  }

  /// The comparison above would pass if the fast path never ran: it takes the common lines.
  @Test func takesTheEventFormatLines() {
    var scanner = OsqueryEventScanner()
    var records: [DecodedRecord] = []
    var taken: [Int] = []
    for (index, line) in Self.lines.enumerated() {
      var bytes = Array(line.utf8)
      if bytes.withUnsafeMutableBufferPointer({ scanner.decode(UnsafeBufferPointer($0), into: &records) }) {
        taken.append(index)
      }
    }
    #expect(taken == Array(0...27), "\(taken)")
    #expect(records.count == taken.count)
  }

  /// The eight-bytes-at-a-time test finds every quote, backslash and control byte in any lane,
  /// among bytes of every other value.
  @Test func theWordTestFindsEverySpecialByte() {
    for filler in [UInt8(ascii: "a"), 0x20, 0x7F, 0x80, 0xFF] {
      for lane in 0..<8 {
        for byte in 0...255 {
          var word = [UInt8](repeating: filler, count: 8)
          word[lane] = UInt8(byte)
          let value = word.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
          let special = byte == 0x22 || byte == 0x5C || byte < 0x20
          if OsqueryEventScanner.ByteReader.hasSpecialByte(value) != special {
            Issue.record("byte \(byte) in lane \(lane) among \(filler)")
          }
        }
      }
    }
  }

  /// Invalid UTF-8 is repaired the same way on both paths.
  @Test func invalidUTF8IsRepairedAlike() throws {
    var line = Array(Self.base.utf8)
    let at = line.firstIndex(of: UInt8(ascii: "U"))!
    line[at] = 0xFF
    var fast = OsqueryDecoder()
    var general = OsqueryDecoder()
    general.usesFastPath = false
    var a: [DecodedRecord] = []
    var b: [DecodedRecord] = []
    try line.withUnsafeBufferPointer { bytes throws(DecodeError) in
      try fast.decode(bytes, into: &a)
      try general.decode(bytes, into: &b)
    }
    #expect(a == b && a.count == 1)
  }
}
