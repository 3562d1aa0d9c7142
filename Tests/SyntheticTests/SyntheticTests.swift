import Columnar
import Digest
import Testing

@testable import Synthetic

@Suite struct SHA256Tests {
  func hex(_ text: String) -> String {
    var out: [UInt8] = []
    Array(text.utf8).withUnsafeBytes { SHA256.appendHexDigest(of: $0, to: &out) }
    return String(decoding: out, as: UTF8.self)
  }

  @Test func knownVectors() {
    #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(hex(String(repeating: "a", count: 1000)).hasPrefix("41edece42d63e8d9bf515a9ba6932e1c"))
  }
}

@Suite struct NetflowGeneratorTests {
  func allRows(_ generator: NetflowGenerator, batch: Int) -> [String] {
    var generator = generator
    var rows: [String] = []
    while let next = generator.next(maxRows: batch) {
      for row in 0..<next.rowCount {
        var line: [UInt8] = []
        ValueRenderer.appendJSONRow(next, row: row, to: &line)
        rows.append(String(decoding: line, as: UTF8.self))
      }
    }
    return rows
  }

  @Test func deterministicWhateverTheBatchSize() {
    let a = allRows(NetflowGenerator(rows: 1000, seed: 9, days: 3), batch: 1000)
    let b = allRows(NetflowGenerator(rows: 1000, seed: 9, days: 3), batch: 77)
    #expect(a.count == 1000)
    #expect(a == b)
    let c = allRows(NetflowGenerator(rows: 1000, seed: 10, days: 3), batch: 1000)
    #expect(a != c)
  }

  @Test func valuesAreWellFormed() throws {
    var generator = NetflowGenerator(rows: 5000, seed: 1, startDay: 19_723, days: 2)
    let first = generator.next(maxRows: 10_000)
    let batch = try #require(first)
    #expect(batch.rowCount == 5000)
    #expect(generator.next() == nil)
    guard case .int64(let times) = batch.columns[0].storage, case .int32(let days) = batch.columns[12].storage,
      case .int32(let ports) = batch.columns[5].storage
    else {
      Issue.record("unexpected storage")
      return
    }
    #expect(times == times.sorted())
    #expect(Set(days) == [1, 2])  // 2024-01-01 and 2024-01-02
    #expect(ports.allSatisfy { (1024...65535).contains($0) })
    for row in 0..<200 {
      let privateIP = ValueRenderer.text(batch.columns[2], row: row)
      let parts = privateIP.split(separator: ".").compactMap { Int($0) }
      #expect(parts.count == 4)
      #expect(parts[0] == 10 || (parts[0] == 172 && (16...31).contains(parts[1])) || (parts[0] == 192 && parts[1] == 168))
      let client = ValueRenderer.text(batch.columns[4], row: row).split(separator: ".").compactMap { Int($0) }
      #expect(client.count == 4 && client[0] != 10 && client[0] != 127 && client[0] < 224)
      #expect(ValueRenderer.text(batch.columns[1], row: row).count == 64)
      #expect(["in", "out"].contains(ValueRenderer.text(batch.columns[6], row: row)))
      #expect(["allow", "block", "drop", "alert"].contains(ValueRenderer.text(batch.columns[7], row: row)))
    }
  }
}
